"""Sections (lecture streams, practice groups, lab subgroups) from enrollment results, rebalancing
after changes, and first-year academic groups.

- :func:`~solver.groups.form.form_sections`: the formation (planner + CP-SAT level models);
- :func:`~solver.groups.rebalance.rebalance`: after changes, fewest moved students;
- :func:`~solver.groups.intake.form_intake_groups`: first-year academic groups;
- :func:`~solver.groups.greedy.form_greedy`: the baseline (fill sections in list order).
"""

from solver.groups.form import FormOptions, FormResult, form_sections
from solver.groups.greedy import form_greedy
from solver.groups.intake import IntakeResult, form_intake_groups
from solver.groups.rebalance import RebalanceResult, rebalance

__all__ = [
    "FormOptions",
    "FormResult",
    "IntakeResult",
    "RebalanceResult",
    "form_greedy",
    "form_intake_groups",
    "form_sections",
    "rebalance",
]
