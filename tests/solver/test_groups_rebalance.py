"""Rebalancing after enrollment changes: valid, balanced as a fresh formation, fewest moves."""

from __future__ import annotations

from groups_testing import groups_instance, instances, rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.enrollment import EnrollmentInstance
from models.enrollment_changes import apply_changes
from models.groups import Grouping, moves_between
from models.groups_scoring import score
from solver.groups.form import FormOptions, form_sections
from solver.groups.rebalance import rebalance

FAST = FormOptions(workers=1, model_time=0.2, time_limit=30)


def same_sections(a: Grouping, b: Grouping) -> bool:
    def norm(g: Grouping) -> set[tuple[str, frozenset[str], str | None]]:
        return {(s.id, frozenset(s.students), s.parent) for s in g.sections}

    return norm(a) == norm(b)


def test_no_change_moves_nobody() -> None:
    instance = groups_instance(
        {f"G{i}": ("kk", 20 + i) for i in range(5)}, {"M": rules(lecture=60, practice=25, lab=13)}
    )
    current = form_sections(instance, FAST).grouping
    result = rebalance(instance, current, FAST)
    assert result.moves == [] and not result.from_scratch
    assert same_sections(result.grouping, current)


def test_a_dropped_student_moves_few_and_keeps_the_balance() -> None:
    instance = groups_instance({f"G{i}": ("kk", 25) for i in range(4)}, {"M": rules(practice=25)})
    current = form_sections(instance, FAST).grouping  # four groups of 25
    changed = apply_changes(instance, ["drop:G0-00:M", "drop:G0-01:M", "drop:G0-02:M"])
    result = rebalance(changed, current, FAST)
    report = score(changed, result.grouping)
    assert report.feasible and report.terms["MaxImbalance"] <= 1  # 97 students: 25, 24, 24, 24
    assert len(result.moves) == 2  # two students join G0's section
    assert {m.old for m in result.moves} <= {s.id for s in current.sections}
    assert result.scratch_moves >= len(result.moves)


def test_added_students_open_a_section_only_when_needed() -> None:
    instance = groups_instance({"A": ("kk", 28), "B": ("kk", 28)}, {"M": rules(practice=30)})
    current = form_sections(instance, FAST).grouping
    newcomers = [f"new:N{i}:P:1:kk:C" for i in range(10)] + [f"add:N{i}:M" for i in range(10)]
    result = rebalance(apply_changes(instance, newcomers), current, FAST)
    assert len(result.grouping.sections) == 3  # 66 students need a third group of at most 30
    kept = {s.id for s in result.grouping.sections} & {s.id for s in current.sections}
    assert kept == {s.id for s in current.sections}


def test_a_transfer_between_programmes() -> None:
    instance = groups_instance(
        {"A": ("kk", 20), "B": ("kk", 20)},
        {"GEN": rules(lecture=60, practice=20), "AX": rules(practice=25), "BX": rules(practice=25)},
        takers={"AX": ["A"], "BX": ["B"]},
    )
    current = form_sections(instance, FAST).grouping
    changed = apply_changes(instance, ["transfer:A-00:B"])
    result = rebalance(changed, current, FAST)
    assert score(changed, result.grouping).feasible
    assert "A-00" in {s for sec in result.grouping.of("BX") for s in sec.students}
    assert result.moved_students <= 2


@st.composite
def changed_instances(draw: st.DrawFn) -> tuple[EnrollmentInstance, EnrollmentInstance]:
    instance = draw(instances())
    students = [s.id for s in instance.students]
    changes = []
    for _ in range(draw(st.integers(0, 6))):
        sid = draw(st.sampled_from(students))
        discipline = draw(st.sampled_from(instance.disciplines))
        if sid in discipline.students:
            changes.append(f"drop:{sid}:{discipline.id}")
        else:
            changes.append(f"add:{sid}:{discipline.id}")
        try:
            apply_changes(instance, changes)
        except Exception:  # a repeated change: drop it
            changes.pop()
    return instance, apply_changes(instance, changes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changed_instances())
def test_rebalance_is_valid_and_never_moves_more_than_forming_from_scratch(
    pair: tuple[EnrollmentInstance, EnrollmentInstance],
) -> None:
    before, after = pair
    current = form_sections(before, FAST).grouping
    result = rebalance(after, current, FAST)
    report = score(after, result.grouping)
    assert report.feasible, report.details[:5]
    fresh = form_sections(after, FAST).grouping
    assert report.terms["TeachingLessons"] == score(after, fresh).terms["TeachingLessons"]
    assert len(result.moves) <= len(moves_between(current, fresh, match_labels=True))
    assert result.moves == moves_between(current, result.grouping)
