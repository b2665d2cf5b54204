"""The planner of section counts and sizes per pool (no CP-SAT involved)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.enrollment import MIXED, EnrollmentError
from models.groups_balance import BalanceUndecided, LevelRule, best_balance, rank
from solver.groups.structure import Level, Shape, plan_pool

LEC = Level("lecture", 150, 10, 1, False)
PRA = Level("practice", 30, 8, 1, False)
LAB = Level("lab", 15, 5, 1, False)


def sizes(plan_roots: list[Shape], level: int) -> list[int]:
    return [s.size for r in plan_roots for s in r.walk() if s.level == level]


def test_single_level_is_balanced_at_the_lower_bound() -> None:
    plan = plan_pool([PRA], {"kk": 100})
    assert plan.counts() == [4] == plan.lower_bound
    assert sorted(sizes(plan.roots, 0)) == [25, 25, 25, 25]
    assert plan.imbalance == 0


def test_nested_levels_reach_every_lower_bound_when_sizes_allow() -> None:
    plan = plan_pool([LEC, PRA, LAB], {"kk": 60})
    assert plan.counts() == [1, 2, 4] == plan.lower_bound
    assert sizes(plan.roots, 1) == [30, 30] and sizes(plan.roots, 2) == [15, 15, 15, 15]


def test_streams_are_unions_of_whole_planned_groups() -> None:
    plan = plan_pool([LEC, PRA], {"ru": 2750})
    for root in plan.roots:
        assert root.size == sum(c.size for c in root.children)
        assert root.size <= 150
        assert all(c.size <= 30 for c in root.children)
    assert plan.counts() == plan.lower_bound == [19, 92]


def test_fewest_sections_first_accepts_imbalance_that_balance_first_avoids() -> None:
    fewest = plan_pool([LEC, PRA, LAB], {"kk": 100})
    assert fewest.counts() == [1, 4, 7] == fewest.lower_bound  # 7 labs: one practice group has one lab
    # The one-lab group holds at most 15, the other three at least 85: 15 against 28, 28, 29 at best.
    assert sorted(sizes(fewest.roots, 1)) == [15, 28, 28, 29]
    assert max(sizes(fewest.roots, 2)) - min(sizes(fewest.roots, 2)) == 1
    balanced = plan_pool([LEC, PRA, LAB], {"kk": 100}, balance_first=True)
    assert balanced.counts() == [1, 4, 8]
    for level in range(3):
        assert max(sizes(balanced.roots, level)) - min(sizes(balanced.roots, level)) <= 1
    assert balanced.lessons > fewest.lessons


def test_weekly_lessons_weigh_the_count() -> None:
    # Two lectures a week: fewer streams are worth more practice groups.
    heavy = plan_pool([Level("lecture", 100, 1, 5, False), Level("practice", 30, 1, 1, False)], {"kk": 200})
    assert heavy.counts()[0] == 2
    assert heavy.lessons == 5 * 2 + heavy.counts()[1]


def test_minimum_size_is_waived_for_a_single_section() -> None:
    plan = plan_pool([LEC, PRA], {"en": 5})
    assert plan.counts() == [1, 1]


def test_no_shape_fits_names_the_pool() -> None:
    with pytest.raises(EnrollmentError, match=r"35 students \(kk\) fit no nested sections with sizes practice 25..30"):
        plan_pool([Level("practice", 30, 25, 1, False)], {"kk": 35})


def test_mixed_streams_hold_one_language_practice_groups() -> None:
    lecture = Level("lecture", 100, 1, 1, True)
    plan = plan_pool([lecture, PRA], {"kk": 70, "ru": 45, "en": 12})
    assert sum(r.size for r in plan.roots) == 127
    for root in plan.roots:
        assert root.size <= 100
        for child in root.children:
            assert len(child.sizes) == 1  # one language
        assert root.window == {k: (n, n) for k, n in root.sizes.items()}  # mixed level: exact make-up


def test_all_mixing_levels_use_one_key() -> None:
    lecture = Level("lecture", 100, 1, 1, True)
    practice = Level("practice", 30, 1, 1, True)
    plan = plan_pool([lecture, practice], {"kk": 20, "ru": 20})
    assert plan.counts() == [1, 2]
    assert set(plan.roots[0].sizes) == {MIXED}


def test_empty_pool() -> None:
    assert plan_pool([LEC], {"kk": 0}).roots == []


def test_a_pool_whose_cheapest_count_vectors_cannot_nest_is_still_planned() -> None:
    """527 students, streams of 34, groups of 7, subgroups of 5: the thousands of cheapest count
    vectors have too few subgroups for groups of 6-7 (found by the property below; the search gave up)."""
    levels = [Level("k0", 34, 1, 1, False), Level("k1", 7, 1, 1, False), Level("k2", 5, 1, 1, False)]
    plan = plan_pool(levels, {"kk": 527})
    assert sum(r.size for r in plan.roots) == 527
    for i, level in enumerate(levels):
        assert all(0 < s <= level.capacity for s in sizes(plan.roots, i))


@settings(deadline=None, max_examples=60)  # tiny capacities with minimum 1 take up to a second
@given(
    n=st.integers(1, 600),
    caps=st.tuples(st.integers(20, 200), st.integers(5, 40), st.integers(2, 20)),
    depth=st.integers(1, 3),
    balance_first=st.booleans(),
)
def test_plans_respect_capacities_and_windows(
    n: int, caps: tuple[int, int, int], depth: int, balance_first: bool
) -> None:
    capacities = sorted(caps, reverse=True)[:depth]
    levels = [Level(f"k{i}", c, 1, 1, False) for i, c in enumerate(capacities)]
    plan = plan_pool(levels, {"kk": n}, balance_first)
    assert sum(r.size for r in plan.roots) == n
    counts = plan.counts()
    for i, level in enumerate(levels):
        assert all(0 < s <= level.capacity for s in sizes(plan.roots, i))
        assert counts[i] >= math.ceil(n / level.capacity) == plan.lower_bound[i]
    spreads = [max(sizes(plan.roots, i)) - min(sizes(plan.roots, i)) for i in range(depth)]
    try:
        best = best_balance([LevelRule(level.capacity, level.min_size) for level in levels], n, counts)
    except BalanceUndecided:  # the planner fell back to the simple shape
        return
    assert best is not None
    if not balance_first:  # the sizes are the exact best for the counts
        assert rank(spreads) == best.balance
    else:
        assert rank(spreads) == best.balance or rank(spreads).over_one == 0
    for root in plan.roots:
        for shape in root.walk():
            lo, hi = shape.window["kk"]
            assert lo <= shape.size <= hi
            if shape.children:
                assert sum(c.size for c in shape.children) == shape.size
                assert sum(c.window["kk"][0] for c in shape.children) <= lo
                assert hi <= sum(c.window["kk"][1] for c in shape.children)
