"""The grouping scorer: checks a :class:`~models.groups.Grouping` against its enrollment results and
recomputes every objective term from the sections alone (no solver involved).

Pools. Balance and lower bounds are counted per *pool*: the registered students of a discipline
for one kind, split by language of instruction unless the kind's sections may mix languages
(:meth:`~models.enrollment.EnrollmentInstance.pool_of`). A section belongs to the pool of its
students (of its first student if it mixes languages it should not).

Hard rules (violation counts):

- Coverage: each registration (student, discipline, kind of the discipline) must be in exactly one
  section of that discipline and kind; one unit per registration in none or in several;
- Registration: a section may only hold students registered for its discipline, and must name a
  known discipline and a kind the discipline has; one unit per foreign student or bad section;
- Capacity: one unit per section with more students than the kind's capacity;
- MinSize: one unit per section with fewer students than the kind's minimum, unless it is the only
  section of its pool (a pool smaller than the minimum forms one section); an empty section always
  counts;
- Language: one unit per section holding several languages of instruction where its kind (or a
  coarser kind of the discipline) does not allow mixing;
- Nesting: a section of the discipline's coarsest kind has no parent; any other section's parent is
  a section of the same discipline and the next coarser kind that contains all its students (so a
  lecture stream is the union of whole practice groups); one unit per section that breaks this.

Objective terms, each reported on its own:

- Sections: the number of sections; TeachingLessons: sections weighted by their weekly lessons
  (what the teaching costs); LowerBound: the sum over pools of ceil(pool students / capacity), and
  AboveBound: sections beyond it, summed over pools (never negative per pool);
- Imbalance: over pools, the sum of (largest - smallest section); PoolsOver1: pools where that
  difference exceeds 1; MaxImbalance: the largest difference;
- Splits (cohesion): over disciplines, kinds and academic groups, the sections that hold the
  group's registered students, minus one (0 when the group stays together);
- Strays (cohesion): over disciplines, kinds and academic groups, the group's registered students
  outside the section holding most of them;
- Combinations (cohesion): over academic groups, the number of distinct combinations of sections
  (all disciplines and kinds) among the group's students; Groups: the academic groups counted.

Students without an academic group count in neither cohesion term.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from models.course_instance import LessonKind
from models.enrollment import MIXED, EnrollmentInstance
from models.groups import Grouping, Section
from models.groups_balance import (
    BalanceUndecided,
    LevelRule,
    best_balance,
    level_within_one_possible,
    lower_bound_counts,
    rank,
)

HARD_TERMS = ("Coverage", "Registration", "Capacity", "MinSize", "Language", "Nesting")
OBJECTIVE_TERMS = (
    "Sections",
    "TeachingLessons",
    "LowerBound",
    "AboveBound",
    "Imbalance",
    "PoolsOver1",
    "MaxImbalance",
    "Splits",
    "Strays",
    "Combinations",
    "Groups",
)


@dataclass(frozen=True)
class PoolStats:
    """One pool: its students, sections, lower bound and smallest/largest section."""

    discipline: str
    kind: LessonKind
    pool: str
    students: int
    sections: int
    bound: int
    smallest: int
    largest: int

    @property
    def imbalance(self) -> int:
        return self.largest - self.smallest if self.sections else 0


@dataclass
class GroupingReport:
    """Hard violation counts, objective terms and one detail line per violation."""

    hard: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HARD_TERMS, 0))
    terms: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OBJECTIVE_TERMS, 0))
    pools: list[PoolStats] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    """``[H] ...`` lines, one per hard violation."""

    @property
    def hard_violations(self) -> int:
        return sum(self.hard.values())

    @property
    def feasible(self) -> bool:
        return self.hard_violations == 0

    def text(self, details: bool = True) -> str:
        """Details (if asked), then one line per hard rule and per objective term."""
        lines = [*self.details, ""] if details and self.details else []
        lines += [f"Violations of {name} (hard) : {n}" for name, n in self.hard.items()]
        lines += [f"{name} : {value}" for name, value in self.terms.items()]
        lines.append(f"Summary: Violations = {self.hard_violations}")
        return "\n".join(lines)


def score(instance: EnrollmentInstance, grouping: Grouping) -> GroupingReport:
    """Check ``grouping`` against ``instance`` and compute every term (see the module docstring)."""
    report = GroupingReport()
    disciplines = instance.discipline_by_id
    by_id = grouping.section_by_id
    registered = {d.id: set(d.students) for d in disciplines.values()}

    def violate(term: str, message: str) -> None:
        report.hard[term] += 1
        report.details.append(f"[H] {term}: {message}")

    # Registration: known discipline and kind, registered students only.
    valid: list[Section] = []
    for section in grouping.sections:
        discipline = disciplines.get(section.discipline)
        if discipline is None:
            violate("Registration", f"section {section.id} names unknown discipline {section.discipline!r}")
            continue
        if section.kind not in discipline.rules.kinds:
            violate(
                "Registration", f"section {section.id}: discipline {section.discipline} has no {section.kind} lessons"
            )
            continue
        for student in section.students:
            if student not in registered[section.discipline]:
                violate(
                    "Registration",
                    f"section {section.id}: student {student} is not registered for {section.discipline}",
                )
        valid.append(section)

    # Coverage: exactly one section per registration and kind.
    count: Counter[tuple[str, str, LessonKind]] = Counter()
    for section in valid:
        for student in section.students:
            count[student, section.discipline, section.kind] += 1
    for discipline in instance.disciplines:
        for kind in discipline.rules.kinds:
            for student in discipline.students:
                n = count[student, discipline.id, kind]
                if n != 1:
                    where = "no" if n == 0 else f"{n}"
                    violate("Coverage", f"student {student} is in {where} {kind} sections of {discipline.id}")

    # Capacity, language, nesting; sections by pool.
    by_pool: dict[tuple[str, LessonKind, str], list[Section]] = defaultdict(list)
    languages = {s.id: s.language for s in instance.students}
    for section in valid:
        discipline = disciplines[section.discipline]
        rule = discipline.rules.rule(section.kind)
        size = len(section.students)
        if size > rule.capacity:
            violate("Capacity", f"section {section.id} has {size} students, capacity {rule.capacity}")
        langs = sorted({languages[s] for s in section.students if s in languages})
        mixes = discipline.rules.mixes(section.kind)
        if not mixes and len(langs) > 1:
            violate("Language", f"section {section.id} mixes languages {', '.join(langs)}")
        first = languages.get(section.students[0], "-") if section.students else "-"
        pool = MIXED if mixes else first
        by_pool[section.discipline, section.kind, pool].append(section)
        _check_nesting(section, discipline.rules.parent_kind(section.kind), by_id, violate)

    # MinSize and pool statistics.
    for discipline in instance.disciplines:
        for kind in discipline.rules.kinds:
            rule = discipline.rules.rule(kind)
            pools = instance.pools(discipline, kind)
            keys = set(pools) | {p for (d, k, p) in by_pool if d == discipline.id and k == kind}
            for pool in sorted(keys):
                sections = by_pool.get((discipline.id, kind, pool), [])
                students = len(pools.get(pool, ()))
                sizes = [len(s.students) for s in sections]
                for section in sections:
                    size = len(section.students)
                    if size == 0 or (size < rule.min_size and len(sections) > 1):
                        violate("MinSize", f"section {section.id} has {size} students, minimum {rule.min_size}")
                report.pools.append(
                    PoolStats(
                        discipline.id,
                        kind,
                        pool,
                        students,
                        len(sections),
                        math.ceil(students / rule.capacity),
                        min(sizes, default=0),
                        max(sizes, default=0),
                    )
                )
    _objective_terms(instance, grouping, report)
    return report


def _check_nesting(
    section: Section, parent_kind: LessonKind | None, by_id: dict[str, Section], violate: Callable[[str, str], None]
) -> None:
    if parent_kind is None:
        if section.parent is not None:
            violate("Nesting", f"section {section.id} is a {section.kind} section and has no parent kind")
        return
    parent = by_id.get(section.parent) if section.parent is not None else None
    if parent is None:
        violate("Nesting", f"section {section.id} has no {parent_kind} section as parent")
    elif parent.discipline != section.discipline or parent.kind != parent_kind:
        violate(
            "Nesting",
            f"section {section.id}: parent {parent.id} is not a {parent_kind} section of {section.discipline}",
        )
    elif not set(section.students) <= set(parent.students):
        outside = sorted(set(section.students) - set(parent.students))
        violate(
            "Nesting", f"section {section.id}: {len(outside)} student(s) not in parent {parent.id}, e.g. {outside[0]}"
        )


def _objective_terms(instance: EnrollmentInstance, grouping: Grouping, report: GroupingReport) -> None:
    terms = report.terms
    disciplines = instance.discipline_by_id
    terms["Sections"] = len(grouping.sections)
    terms["TeachingLessons"] = sum(
        disciplines[s.discipline].rules.rule(s.kind).lessons
        for s in grouping.sections
        if s.discipline in disciplines and s.kind in disciplines[s.discipline].rules.kinds
    )
    terms["LowerBound"] = sum(p.bound for p in report.pools)
    terms["AboveBound"] = sum(max(0, p.sections - p.bound) for p in report.pools)
    terms["Imbalance"] = sum(p.imbalance for p in report.pools)
    terms["PoolsOver1"] = sum(1 for p in report.pools if p.imbalance > 1)
    terms["MaxImbalance"] = max((p.imbalance for p in report.pools), default=0)

    group_of = {s.id: s.group for s in instance.students}
    held: dict[tuple[str, LessonKind, str], set[str]] = defaultdict(set)
    held_students: dict[tuple[str, LessonKind, str], Counter[str]] = defaultdict(Counter)
    for section in grouping.sections:
        for student in section.students:
            group = group_of.get(student)
            if group is not None:
                held[section.discipline, section.kind, group].add(section.id)
                held_students[section.discipline, section.kind, group][section.id] += 1
    terms["Splits"] = sum(len(ids) - 1 for ids in held.values())
    terms["Strays"] = sum(sum(c.values()) - max(c.values()) for c in held_students.values())

    combination = grouping.student_sections()
    combos: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for student in instance.students:
        if student.group is not None:
            combos[student.group].add(combination.get(student.id, ()))
    terms["Combinations"] = sum(len(c) for c in combos.values())
    terms["Groups"] = len(combos)


@dataclass
class BalanceAudit:
    """A grouping's balance against the exact best at the lower bound (:mod:`models.groups_balance`).

    A *chain* is a discipline's pool through all its kinds (one language, or all languages when every
    kind mixes them); disciplines where a coarse kind mixes languages and a finer one does not are
    counted in ``chains_skipped`` and not audited. Counts of chains unless named pools:
    """

    chains: int = 0
    chains_skipped: int = 0
    """Partially mixing disciplines' pools (no exact computation)."""
    chains_undecided: int = 0
    """Chains whose exact computation exceeded its work limit (:class:`~models.groups_balance.BalanceUndecided`)."""
    chains_infeasible: int = 0
    """Chains where no nested sizes fit the lower-bound counts (a minimum size forces more sections)."""
    chains_within_one: int = 0
    """Chains where every level can be within one at the lower bound at the same time."""
    pools: int = 0
    """Pools (discipline, kind, language) of the audited chains."""
    pools_within_one_possible: int = 0
    """Pools that some nested sizes at the lower bound hold within one (each pool on its own)."""
    pools_within_one_best: int = 0
    """Pools within one in the best balance of their chain (the most pools within one at a time)."""
    chains_at_bound: int = 0
    """Chains the grouping forms with the lower-bound count at every level (the rest are not compared)."""
    chains_at_best: int = 0
    """Chains at the bound whose balance (levels over one, then the sum of imbalances) equals the best."""
    chains_worse: int = 0
    chains_better: int = 0
    """Better than the exact best: impossible; a non-zero count is a bug in one of the two."""
    pools_missed: int = 0
    """Pools over one in chains at the bound whose best balance has fewer pools over one."""
    best_imbalance: int = 0
    """Sum of the best imbalance over the chains at the bound."""
    imbalance: int = 0
    """The grouping's imbalance summed over the same chains."""
    details: list[str] = field(default_factory=list)
    """One line per chain worse or better than the best."""


def audit_balance(instance: EnrollmentInstance, report: GroupingReport) -> BalanceAudit:
    """Compare the pools of ``report`` (the scorer's, for ``instance``) with the best balance their
    chains allow at the lower bound (see :class:`BalanceAudit`)."""
    stats = {(p.discipline, p.kind, p.pool): p for p in report.pools}
    audit = BalanceAudit()
    for discipline in instance.disciplines:
        kinds = discipline.rules.kinds
        mixing = [discipline.rules.mixes(kind) for kind in kinds]
        pools = instance.pools(discipline, kinds[0])
        if any(mixing) and not all(mixing):
            audit.chains_skipped += len(pools)
            continue
        rules = [LevelRule(discipline.rules.rule(k).capacity, discipline.rules.rule(k).min_size) for k in kinds]
        for key, members in sorted(pools.items()):
            n = len(members)
            counts = lower_bound_counts(rules, n)
            audit.chains += 1
            audit.pools += len(kinds)
            try:
                best = best_balance(rules, n, counts)
                possible = best is not None and sum(
                    level_within_one_possible(rules, n, counts, i) for i in range(len(kinds))
                )
            except BalanceUndecided:
                audit.chains_undecided += 1
                continue
            if best is None:
                audit.chains_infeasible += 1
                continue
            audit.pools_within_one_possible += possible
            audit.pools_within_one_best += sum(1 for d in best.spreads if d <= 1)
            audit.chains_within_one += best.balance.over_one == 0
            found = [stats.get((discipline.id, kind, key)) for kind in kinds]
            if any(p is None or p.sections != k for p, k in zip(found, counts, strict=True)):
                continue
            audit.chains_at_bound += 1
            spreads = [p.imbalance for p in found if p is not None]
            got = rank(spreads)
            audit.best_imbalance += best.balance.total
            audit.imbalance += got.total
            if got == best.balance:
                audit.chains_at_best += 1
            else:
                if got < best.balance:
                    audit.chains_better += 1
                else:
                    audit.chains_worse += 1
                    audit.pools_missed += max(0, got.over_one - best.balance.over_one)
                audit.details.append(
                    f"{discipline.id} ({key}), {n} students in {counts}: imbalance {spreads}, best {list(best.spreads)}"
                )
    return audit
