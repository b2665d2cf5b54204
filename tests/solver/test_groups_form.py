"""Forming sections: the rules on small hand-made registrations, the greedy baseline, and properties
of random registrations checked by the independent scorer."""

from __future__ import annotations

import pytest
from groups_testing import L, groups_instance, instances, rules
from hypothesis import HealthCheck, given, settings

import solver.groups.form as form_module
from models.enrollment import EnrollmentError, EnrollmentInstance
from models.groups_scoring import score
from solver.groups.form import FormOptions, form_sections
from solver.groups.greedy import form_greedy

FAST = FormOptions(workers=1, model_time=0.2, time_limit=30)


def formed(instance: EnrollmentInstance, options: FormOptions = FAST):
    result = form_sections(instance, options)
    report = score(instance, result.grouping)
    assert report.feasible, report.details[:5]
    return result, report


def test_academic_groups_that_fit_stay_whole_even_when_the_list_interleaves_them() -> None:
    instance = groups_instance(
        {"A": ("kk", 25), "B": ("kk", 25), "C": ("kk", 25), "D": ("kk", 25)},
        {"M": rules(lecture=100, practice=25)},
        order="interleaved",
    )
    _, report = formed(instance)
    assert report.terms["Splits"] == 0
    assert report.terms["AboveBound"] == 0 and report.terms["Imbalance"] == 0
    baseline = score(instance, form_greedy(instance))
    assert baseline.feasible and baseline.terms["Splits"] > 0


def test_a_split_group_is_split_into_the_same_halves_in_every_discipline() -> None:
    instance = groups_instance(
        {"A": ("kk", 26)},
        {"PHY": rules(lecture=60, lab=13), "CHE": rules(lecture=60, lab=13), "BIO": rules(lecture=60, lab=13)},
    )
    _, report = formed(instance)
    assert report.terms["Splits"] == 3  # forced: 26 students, labs of 13
    assert report.terms["Combinations"] == 2  # the same two halves everywhere


def test_languages_never_mix_unless_allowed() -> None:
    groups = {"K": ("kk", 12), "R": ("ru", 12)}
    _, report = formed(groups_instance(groups, {"M": rules(lecture=60, practice=30)}))
    assert report.terms["Sections"] == 4  # a stream and a group per language
    _, report = formed(groups_instance(groups, {"M": rules(lecture=60, practice=30, mix=True)}))
    assert report.terms["Sections"] == 2


def test_streams_are_unions_of_whole_practice_groups_and_labs_nest() -> None:
    instance = groups_instance({f"G{i}": ("kk", 24) for i in range(7)}, {"M": rules(lecture=100, practice=30, lab=15)})
    result, report = formed(instance)
    assert report.terms["AboveBound"] == 0
    grouping = result.grouping
    for stream in grouping.of("M", L):
        children = grouping.children(stream.id)
        assert sorted(s for c in children for s in c.students) == sorted(stream.students)
        for practice in children:
            labs = grouping.children(practice.id)
            assert sorted(s for lab in labs for s in lab.students) == sorted(practice.students)


def test_disciplines_with_the_same_students_and_rules_are_formed_once() -> None:
    instance = groups_instance(
        {"A": ("kk", 20), "B": ("kk", 20)},
        {"X": rules(practice=25), "Y": rules(practice=25), "Z": rules(practice=30)},
    )
    result, _ = formed(instance)
    assert result.reused == 1  # Y copies X; Z has other rules
    x = {s.students for s in result.grouping.of("X")}
    y = {s.students for s in result.grouping.of("Y")}
    assert x == y


def test_rules_no_sections_can_meet_are_reported() -> None:
    from models.enrollment import DisciplineRules, SectionRule

    instance = groups_instance(
        {"A": ("kk", 35)}, {"M": DisciplineRules(practice=SectionRule(capacity=30, min_size=25))}
    )
    with pytest.raises(EnrollmentError, match="35 students"):
        form_sections(instance, FAST)


def test_out_of_time_still_gives_a_valid_grouping() -> None:
    instance = groups_instance(
        {f"G{i}": ("kk", 17 + i) for i in range(8)}, {"M": rules(lecture=80, practice=28)}, order="interleaved"
    )
    result, _ = formed(instance, FormOptions(workers=1, time_limit=1e-6))
    assert result.stats.models == 0


def test_worker_processes_give_the_same_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = groups_instance(
        {f"G{i}": ("kk" if i % 3 else "ru", 15 + i) for i in range(9)},
        {"M": rules(lecture=90, practice=25), "N": rules(practice=20), "O": rules(lecture=60, lab=12)},
    )
    # A generous limit per level model, so that every model is solved to optimality in both runs even
    # on a loaded machine (a model stopped by its limit in one run only would differ).
    alone = form_sections(instance, FormOptions(workers=1, model_time=10, time_limit=60))
    monkeypatch.setattr(form_module, "PARALLEL_MIN_REGISTRATIONS", 0)
    together = form_sections(instance, FormOptions(workers=2, model_time=10, time_limit=60))
    assert alone.stats.optimal == together.stats.optimal == alone.stats.models
    assert together.grouping == alone.grouping


def test_greedy_baseline_fills_in_list_order() -> None:
    instance = groups_instance({"A": ("kk", 25), "B": ("kk", 10)}, {"M": rules(practice=30)})
    grouping = form_greedy(instance)
    assert [len(s.students) for s in grouping.sections] == [30, 5]
    report = score(instance, grouping)
    assert report.feasible and report.terms["Imbalance"] == 25


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_registrations_form_valid_sections(instance: EnrollmentInstance) -> None:
    result, report = formed(instance)
    # Every registration is in exactly one section of each kind; capacities, languages and nesting
    # hold (the scorer's hard rules, asserted by formed()); and no more teaching than the baseline.
    coverage = {(s, d.id, k) for d in instance.disciplines for k in d.rules.kinds for s in d.students}
    placed = [(s, sec.discipline, sec.kind) for sec in result.grouping.sections for s in sec.students]
    assert sorted(placed) == sorted(coverage)
    baseline = score(instance, form_greedy(instance))
    assert report.terms["TeachingLessons"] <= baseline.terms["TeachingLessons"]
    for pool in report.pools:
        assert pool.sections >= pool.bound
