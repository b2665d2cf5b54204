"""First-year academic groups for an intake (CP-SAT over counts).

Per programme and language (a *pool* of n applicants), independently:

1. as few groups as the capacity allows, k = ceil(n / capacity), sizes balanced (each ``n // k`` or
   ``n // k + 1``); the minimum size must then hold (else the rules cannot be met and
   :class:`~models.enrollment.EnrollmentError` names the pool);
2. with attributes to balance, a CP-SAT model decides how many applicants of each combination of
   the attributes' values go into each group: every applicant placed, sizes as in 1, and the sum
   over attributes and values of (largest - smallest count in a group) minimised;
3. applicants of a combination are handed out in listed order.

Group ids: :func:`~models.groups_intake.group_id`, numbered per programme across its languages
(Kazakh, Russian, English).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.enrollment import LANGUAGES, EnrollmentError
from models.groups_intake import AcademicGroup, Applicant, IntakeGrouping, IntakeInstance, group_id


@dataclass
class IntakeResult:
    grouping: IntakeGrouping
    optimal: bool
    """Every pool's balance model was solved to optimality (or needed none)."""


def form_intake_groups(instance: IntakeInstance, time_limit: float = 10.0, seed: int = 0) -> IntakeResult:
    """Academic groups for ``instance`` (see the module docstring); ``time_limit`` per pool model."""
    rules = instance.rules
    groups: list[AcademicGroup] = []
    optimal = True
    numbers: dict[str, int] = defaultdict(int)
    pools = instance.pools()
    for (programme, language), applicants in sorted(
        pools.items(),
        key=lambda item: (item[0][0], LANGUAGES.index(item[0][1])),  # type: ignore[arg-type]
    ):
        n = len(applicants)
        k = max(1, math.ceil(n / rules.capacity))
        if k > 1 and n // k < rules.min_size:
            raise EnrollmentError(
                f"{programme} ({language}): {n} students fit no groups of {rules.min_size}..{rules.capacity}"
            )
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        members, proven = _balanced(applicants, sizes, rules.balance, time_limit, seed)
        optimal &= proven
        for students in members:
            numbers[programme] += 1
            groups.append(
                AcademicGroup(
                    id=group_id(programme, rules.admission_year, numbers[programme], language),
                    programme=programme,
                    language=language,  # type: ignore[arg-type]
                    students=tuple(a.id for a in students),
                )
            )
    return IntakeResult(IntakeGrouping(groups=tuple(groups)), optimal)


def _balanced(
    applicants: list[Applicant], sizes: list[int], attributes: tuple[str, ...], time_limit: float, seed: int
) -> tuple[list[list[Applicant]], bool]:
    """Applicants per group: sizes fixed, attribute values spread (CP-SAT over combination counts)."""
    k = len(sizes)
    if not attributes or k == 1:
        out, pos = [], 0
        for size in sizes:
            out.append(applicants[pos : pos + size])
            pos += size
        return out, True
    combos: dict[tuple[str, ...], list[Applicant]] = defaultdict(list)
    for applicant in applicants:
        combos[tuple(applicant.attributes[a] for a in attributes)].append(applicant)
    keys = sorted(combos)
    model = cp_model.CpModel()
    x = {(c, g): model.new_int_var(0, len(combos[keys[c]]), f"x{c}_{g}") for c in range(len(keys)) for g in range(k)}
    for c in range(len(keys)):  # every applicant placed
        model.add(sum(x[c, g] for g in range(k)) == len(combos[keys[c]]))
    for g in range(k):  # the balanced sizes
        model.add(sum(x[c, g] for c in range(len(keys))) == sizes[g])
    spreads = []
    for a, attribute in enumerate(attributes):
        for value in sorted({key[a] for key in keys}):
            members = [c for c, key in enumerate(keys) if key[a] == value]
            total = sum(len(combos[keys[c]]) for c in members)
            low = model.new_int_var(0, total, f"lo_{attribute}_{value}")
            high = model.new_int_var(0, total, f"hi_{attribute}_{value}")
            for g in range(k):
                count = sum(x[c, g] for c in members)
                model.add(low <= count)
                model.add(count <= high)
            spreads.append(high - low)
    model.minimize(sum(spreads))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # cannot happen: the model is always feasible
        raise RuntimeError("the intake balance model found no solution")
    out: list[list[Applicant]] = [[] for _ in range(k)]
    for c, key in enumerate(keys):
        pos = 0
        for g in range(k):
            n = solver.value(x[c, g])
            out[g] += combos[key][pos : pos + n]
            pos += n
    order = {a.id: i for i, a in enumerate(applicants)}
    for members in out:
        members.sort(key=lambda a: order[a.id])
    return out, status == cp_model.OPTIMAL
