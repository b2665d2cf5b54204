"""The exact best balance of nested sections: hand-worked cases, and a brute force on small pools."""

from __future__ import annotations

import itertools
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from models.groups_balance import (
    Balance,
    LevelRule,
    Node,
    best_balance,
    held_within_one,
    level_within_one_possible,
    lower_bound_counts,
    rank,
    spreads_of,
)

LEC, PRA, LAB = LevelRule(150, 10), LevelRule(30, 8), LevelRule(15, 5)


def sizes(roots: tuple[Node, ...], level: int) -> list[int]:
    out: list[int] = []

    def walk(node: Node, depth: int) -> None:
        if depth == level:
            out.append(node.size)
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return sorted(out)


def check_nested(rules: list[LevelRule], n: int, counts: tuple[int, ...], roots: tuple[Node, ...]) -> None:
    """Every level has its count, sizes within the rules, parents the sum of at least one child."""
    assert sum(r.size for r in roots) == n
    for level, (rule, k) in enumerate(zip(rules, counts, strict=True)):
        found = sizes(roots, level)
        assert len(found) == k
        assert all((rule.min_size if k > 1 else 1) <= s <= rule.capacity for s in found)

    def walk(node: Node, depth: int) -> None:
        if depth < len(rules) - 1:
            assert node.children and sum(c.size for c in node.children) == node.size
        else:
            assert not node.children
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)


def test_within_one_at_every_level_when_the_counts_divide() -> None:
    best = best_balance([LEC, PRA, LAB], 60, (1, 2, 4))
    assert best is not None
    assert best.balance == Balance(0, 0) and best.spreads == (0, 0, 0)
    assert sizes(best.roots, 1) == [30, 30] and sizes(best.roots, 2) == [15] * 4


def test_one_lab_group_forces_practice_imbalance() -> None:
    # 100 students, 4 practice groups, 7 labs: one group has a single lab (at most 15 students), the
    # other three hold at least 85 (sizes 28, 28, 29 at best): practice spread 29 - 15 = 14; the labs
    # are 14 and 15 (100 over 7 labs cannot be equal).
    best = best_balance([LEC, PRA, LAB], 100, (1, 4, 7))
    assert best is not None
    assert best.spreads == (0, 14, 1) and best.balance == Balance(1, 15)
    assert sizes(best.roots, 1) == [15, 28, 28, 29]
    check_nested([LEC, PRA, LAB], 100, (1, 4, 7), best.roots)
    assert held_within_one([LEC, PRA, LAB], 100, (1, 4, 7)) is None
    assert not level_within_one_possible([LEC, PRA, LAB], 100, (1, 4, 7), 1)
    assert level_within_one_possible([LEC, PRA, LAB], 100, (1, 4, 7), 2)


def test_fewest_levels_over_one_before_the_smallest_sum() -> None:
    # 400 students in 3 streams (at most 150) of 14 practice groups (at most 30): 5 + 5 + 4 groups.
    # Groups within one (28 or 29): the 4-group stream has at most 116, the others 142 each: spread
    # 26 + 1. Streams within 20 (120, 140, 140) would need groups of 30 and 28: 20 + 2, two levels
    # over one. One level over one ranks first.
    rules = [LEC, PRA]
    best = best_balance(rules, 400, (3, 14))
    assert best is not None
    assert best.balance == Balance(1, 27) and best.spreads == (26, 1)
    assert sizes(best.roots, 0) == [116, 142, 142]


def test_lower_bound_infeasible_by_minimum_size() -> None:
    # 35 students in groups of 25..30 cannot make 2 groups (at most 17 + 18) nor 1 (35 > 30).
    assert best_balance([LevelRule(30, 25)], 35, (2,)) is None
    assert best_balance([LevelRule(30, 25)], 35, (1,)) is None


def test_single_section_waives_the_minimum() -> None:
    best = best_balance([LEC, PRA], 5, (1, 1))
    assert best is not None and best.balance == Balance(0, 0)


def test_counts_must_nest() -> None:
    assert best_balance([LEC, PRA], 60, (3, 2)) is None  # fewer groups than streams
    assert best_balance([LEC, PRA], 2, (1, 3)) is None  # more groups than students


def test_lower_bound_counts() -> None:
    assert lower_bound_counts([LEC, PRA, LAB], 301) == (3, 11, 21)


# --------------------------------------------------------------------------- brute force


def partitions(n: int, k: int, lo: int, hi: int) -> list[tuple[int, ...]]:
    """Non-increasing ``k``-tuples of sizes in ``[lo, hi]`` summing to ``n``."""
    if k == 0:
        return [()] if n == 0 else []
    return [
        (first, *rest)
        for first in range(min(hi, n), lo - 1, -1)
        if first * k >= n
        for rest in partitions(n - first, k - 1, lo, first)
    ]


def splits_into(upper: tuple[int, ...], lower: tuple[int, ...]) -> bool:
    """Whether the ``lower`` sizes can be shared among the ``upper`` sections, each filled exactly."""

    @cache
    def place(i: int, room: tuple[int, ...]) -> bool:
        if i == len(lower):
            return all(r == 0 for r in room)
        for j, r in enumerate(room):
            if r >= lower[i] and r not in room[:j]:
                rest = tuple(sorted((*room[:j], r - lower[i], *room[j + 1 :])))
                if place(i + 1, rest):
                    return True
        return False

    return place(0, tuple(sorted(upper)))


def brute_force(rules: list[LevelRule], n: int, counts: tuple[int, ...]) -> Balance | None:
    """Every size multiset per level; adjacent levels must split into each other (a section with a
    positive size always gets at least one child)."""
    options = [
        partitions(n, k, rule.min_size if k > 1 else 1, rule.capacity) for rule, k in zip(rules, counts, strict=True)
    ]
    best = None
    for combo in itertools.product(*options):
        if all(splits_into(combo[i], combo[i + 1]) for i in range(len(combo) - 1)):
            found = rank([max(c) - min(c) for c in combo])
            best = found if best is None or found < best else best
    return best


@st.composite
def chains(draw: st.DrawFn) -> tuple[list[LevelRule], int, tuple[int, ...]]:
    depth = draw(st.integers(1, 3))
    capacities = sorted(draw(st.lists(st.integers(1, 10), min_size=depth, max_size=depth)), reverse=True)
    rules = [LevelRule(c, draw(st.integers(1, max(1, c // 2 + 1)))) for c in capacities]
    n = draw(st.integers(1, 16))
    counts = lower_bound_counts(rules, n)
    extra = draw(st.lists(st.integers(0, 2), min_size=depth, max_size=depth))
    counts = tuple(sorted(min(n, k + e) for k, e in zip(counts, extra, strict=True)))
    return rules, n, counts


@settings(max_examples=150, deadline=None)
@given(chains())
def test_best_balance_matches_the_brute_force(chain: tuple[list[LevelRule], int, tuple[int, ...]]) -> None:
    rules, n, counts = chain
    best = best_balance(rules, n, counts)
    assert (None if best is None else best.balance) == brute_force(rules, n, counts)
    if best is not None:
        check_nested(rules, n, counts, best.roots)
        assert spreads_of(best.roots, len(rules)) == best.spreads
        within = held_within_one(rules, n, counts)
        assert (within is not None) == (best.balance.over_one == 0)
        for level, d in enumerate(best.spreads):
            if d <= 1:
                assert level_within_one_possible(rules, n, counts, level)
