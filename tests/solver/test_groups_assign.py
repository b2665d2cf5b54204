"""The CP-SAT level model and its greedy: whole groups kept, forced splits only, strays kept few,
current sections kept when rebalancing, and many sections placed in chunks."""

from __future__ import annotations

from groups_testing import groups_instance, rules

from models.enrollment_changes import apply_changes
from models.groups_scoring import score
from solver.groups.assign import MAX_SLOTS, AssignStats, Block, assign_level
from solver.groups.form import FormOptions, form_sections
from solver.groups.rebalance import rebalance
from solver.groups.structure import Shape


def shapes(*windows: tuple[int, int], key: str = "kk") -> list[Shape]:
    return [Shape(0, {key: (lo + hi) // 2}, [], {key: (lo, hi)}) for lo, hi in windows]


def block(cohort: str, n: int, old: str | None = None) -> Block:
    return Block([f"{cohort}-{i:02d}" for i in range(n)], "kk", cohort, old)


def groups_of(placements: list, cohort: str) -> list[int]:
    return [sum(1 for s in p.students if s.startswith(cohort + "-")) for p in placements]


def test_whole_groups_when_sums_allow() -> None:
    stats = AssignStats()
    out = assign_level(
        [block("A", 12), block("B", 8), block("C", 9), block("D", 11)], shapes((20, 20), (20, 20)), stats=stats
    )
    for cohort in "ABCD":
        assert sorted(groups_of(out, cohort))[-1] == {"A": 12, "B": 8, "C": 9, "D": 11}[cohort]  # never split
    assert sorted(len(p.students) for p in out) == [20, 20]


def test_a_forced_split_keeps_most_of_the_group_together() -> None:
    out = assign_level([block("A", 21), block("B", 9)], shapes((15, 15), (15, 15)), time_limit=1.0)
    assert sorted(groups_of(out, "A")) == [6, 15]  # one split, 6 strays (not 10 + 11)
    assert sorted(groups_of(out, "B")) == [0, 9]


def test_rebalancing_keeps_students_in_their_current_section() -> None:
    blocks = [block("A", 10, old="S1"), block("B", 10, old="S2"), block("C", 4, old="S1"), block("N", 2)]
    out = assign_level(blocks, shapes((13, 13), (13, 13)), current=["S1", "S2"], time_limit=1.0)
    by_id = {p.section: p for p in out}
    assert set(by_id) == {"S1", "S2"}
    # S1 held 14 and must shrink to 13: one student of C leaves; the new pair fills S2.
    assert sum(1 for s in by_id["S1"].students if s.startswith(("A-", "C-"))) == 13
    assert all(s in by_id["S2"].students for s in ("B-00", "N-00", "N-01"))


def test_many_sections_are_placed_in_chunks() -> None:
    n_groups = 20
    instance = groups_instance({f"G{i:02d}": ("kk", 21) for i in range(n_groups)}, {"LANG": rules(practice=15)})
    result = form_sections(instance, FormOptions(workers=1, model_time=0.2))
    report = score(instance, result.grouping)
    assert report.feasible and report.terms["Sections"] == 28 > MAX_SLOTS  # 420 students in classes of 15
    assert report.terms["Splits"] <= 2 * n_groups  # every group of 21 must split; never into more than 3


def test_rebalancing_a_large_level_keeps_nearly_everyone() -> None:
    instance = groups_instance({f"G{i:02d}": ("kk", 21) for i in range(30)}, {"LANG": rules(practice=15)})
    current = form_sections(instance, FormOptions(workers=1, model_time=0.2)).grouping
    assert len(current.sections) > 2 * MAX_SLOTS
    changed = apply_changes(instance, ["drop:G00-00:LANG", "drop:G05-03:LANG", "drop:G11-07:LANG"])
    result = rebalance(changed, current, FormOptions(workers=1, model_time=0.2))
    assert score(changed, result.grouping).feasible
    assert len(result.moves) <= 6 < result.scratch_moves
