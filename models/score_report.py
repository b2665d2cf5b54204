"""The common shape of a scorer's report: hard violation counts, soft costs, details, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ScoreReport:
    """Hard violations (counts) and soft costs (weighted) of a timetable, with details."""

    hard: dict[str, int] = field(default_factory=dict)
    soft: dict[str, int] = field(default_factory=dict)
    """Weighted cost per active soft term, keyed by label."""
    units: dict[str, int] = field(default_factory=dict)
    """Unweighted violation units per term (label)."""
    details: list[str] = field(default_factory=list)
    """One line per violation: ``[H]`` hard, ``[S]`` soft."""
    warnings: list[str] = field(default_factory=list)

    @property
    def hard_violations(self) -> int:
        return sum(self.hard.values())

    @property
    def feasible(self) -> bool:
        return self.hard_violations == 0

    @property
    def cost(self) -> int:
        return sum(self.soft.values())

    def extra_lines(self) -> list[str]:
        """Lines a kind of report adds after the totals (none by default)."""
        return []

    def validator_text(self) -> str:
        """The report in the Udine / ITC2007 validator's layout: details, totals, summary."""
        lines = [*self.details, ""]
        lines += [f"Violations of {name} (hard) : {n}" for name, n in self.hard.items()]
        lines += [f"Cost of {name} (soft) : {n}" for name, n in self.soft.items()]
        lines += self.extra_lines()
        lines.append("")
        if self.warnings:
            lines.append(f"There are {len(self.warnings)} warnings!")
        prefix = f"Violations = {self.hard_violations}, " if self.hard_violations else ""
        lines.append(f"Summary: {prefix}Total Cost = {self.cost}")
        return "\n".join(lines)
