"""The shape of a pool's sections: how many of each kind, how they nest, and their sizes.

A *pool* is the students of one discipline that may share a top-level section (one language of
instruction, or all languages when the coarsest kind mixes them). Its *levels* are the
discipline's kinds, coarse to fine. A :class:`Shape` is a planned section: its level, its planned
students per language key, and its children (the next level's sections inside it). Who goes
where is decided later (:mod:`solver.groups.assign`); the shape fixes the counts and sizes.

Choice (lexicographic, the first two objectives of the grouping):

1. fewest teaching lessons: sum over levels of sections x weekly lessons (with one lesson each,
   fewest sections);
2. best balance for those counts, as :mod:`models.groups_balance` ranks it: fewest levels whose
   largest and smallest planned section differ by more than one, then the least sum of those
   differences (over levels, and languages for levels that do not mix).

``balance_first`` swaps them: the cheapest counts whose every level can be held within one (when
such counts exist within the search range), else as above.

For a single language (or a discipline whose every kind mixes languages) the search is exhaustive
over the section counts ``k_1 <= k_2 <= ...`` of the levels, in increasing order of lessons; for
each count vector the sizes are the exact best of :func:`models.groups_balance.best_balance` (which
also enforces every level's capacity and minimum size, the minimum waived when a level has a
single section). The lower bound ``ceil(n / capacity)`` per level starts the search, so a shape
meeting it is proven to have the fewest sections, and its balance is the best those counts allow.

When a coarse kind mixes languages but a finer one does not, the finer levels are planned per
language as above and the mixing levels above pack them, largest first onto the least loaded
parent, with the fewest parents that fit (a heuristic: no optimality claim).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from models.enrollment import MIXED, EnrollmentError
from models.groups_balance import BalanceUndecided, LevelRule, Node, best_balance, held_within_one, simple_nesting

MAX_SHAPES = 5_000
"""Count combinations tried per pool before giving up (a pool whose rules admit no shape)."""
MAX_COUNTS = 200_000
"""Count combinations looked at per pool (most are rejected by a counting check without a try)."""


@dataclass(frozen=True)
class Level:
    """One kind of a discipline as the planner sees it."""

    kind: str
    capacity: int
    min_size: int
    lessons: int
    mixes: bool
    """Sections of this level may mix languages (this kind and every coarser one allow it)."""


@dataclass
class Shape:
    """A planned section: level index, planned students per language key, and its children."""

    level: int
    sizes: dict[str, int]
    children: list[Shape] = field(default_factory=list)
    window: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Students per language key the section may take while the plan's balance is kept
    (filled by :func:`plan_pool`)."""

    @property
    def size(self) -> int:
        return sum(self.sizes.values())

    def walk(self) -> list[Shape]:
        out = [self]
        for child in self.children:
            out += child.walk()
        return out


@dataclass(frozen=True)
class Plan:
    """The planned top-level sections of a pool, and what the plan costs."""

    roots: list[Shape]
    lessons: int
    imbalance: int
    lower_bound: list[int]
    """``ceil(students / capacity)`` per level (for a level that does not mix: summed over languages)."""

    def counts(self) -> list[int]:
        depth = max((s.level for r in self.roots for s in r.walk()), default=-1) + 1
        out = [0] * depth
        for root in self.roots:
            for shape in root.walk():
                out[shape.level] += 1
        return out


def plan_pool(levels: Sequence[Level], students: dict[str, int], balance_first: bool = False) -> Plan:
    """The best shape for a pool (see the module docstring).

    ``students`` maps language keys to counts: one language, or several when ``levels[0].mixes``
    (the key :data:`~models.enrollment.MIXED` when every level mixes). Raises
    :class:`~models.enrollment.EnrollmentError` when no shape fits the capacities and minimum sizes.
    """
    students = {k: n for k, n in students.items() if n > 0}
    total = sum(students.values())
    if total == 0:
        return Plan([], 0, 0, [0] * len(levels))
    pure_from = next((i for i, level in enumerate(levels) if not level.mixes), len(levels))
    if pure_from == 0 or pure_from == len(levels) or len(students) == 1:
        key = next(iter(students)) if len(students) == 1 else MIXED
        roots = _search(levels, total, key, balance_first)
    else:
        roots = []
        for language, n in sorted(students.items()):
            roots += _search(levels[pure_from:], n, language, balance_first, offset=pure_from)
        for i in range(pure_from - 1, -1, -1):
            roots = _pack(roots, levels[i], i)
    _set_windows(roots, levels)
    lower = []
    for level in levels:
        if level.mixes or len(students) == 1:
            lower.append(math.ceil(total / level.capacity))
        else:
            lower.append(sum(math.ceil(n / level.capacity) for n in students.values()))
    all_shapes = [s for r in roots for s in r.walk()]
    return Plan(
        roots,
        sum(levels[s.level].lessons for s in all_shapes),
        _imbalance(all_shapes, levels),
        lower,
    )


# --------------------------------------------------------------------------- single-language search


def _search(levels: Sequence[Level], n: int, key: str, balance_first: bool, offset: int = 0) -> list[Shape]:
    """Exhaustive search over section counts per level (see the module docstring)."""
    depth = len(levels)
    rules = tuple(LevelRule(level.capacity, level.min_size) for level in levels)
    low = [math.ceil(n / level.capacity) for level in levels]
    high = [max(low[i], n // levels[i].min_size) for i in range(depth)]
    for i in range(1, depth):
        low[i] = max(low[i], low[i - 1])
    best: tuple[tuple[int, int, int], list[Shape]] | None = None
    tried = 0
    for enumerated, counts in enumerate(_counts_by_cost(low, high, [level.lessons for level in levels])):
        lessons = sum(k * level.lessons for k, level in zip(counts, levels, strict=True))
        if tried >= MAX_SHAPES or enumerated >= MAX_COUNTS:
            break
        if best is not None and lessons > _give_up(best[0][0], balance_first):
            break
        if not _nesting_possible(levels, n, counts):
            continue  # no sizes fit these counts: not worth an exact balance, nor a try
        tried += 1
        if balance_first:
            try:
                within = held_within_one(rules, n, counts)
            except BalanceUndecided:
                within = None
            if within is not None:  # the first in order of lessons is the cheapest balanced shape
                return _shapes(within, key, offset)
        if best is not None and lessons > best[0][0]:
            continue  # only looking for a balanced shape now
        try:
            found = best_balance(rules, n, counts)
        except BalanceUndecided:  # tiny capacities only: the simple shape, if it fits
            found = simple_nesting(rules, n, counts)
        if found is None:
            continue
        rank = (lessons, found.balance.over_one, found.balance.total)
        if best is None or rank < best[0]:
            best = (rank, _shapes(found.roots, key, offset))
    if best is None:
        names = ", ".join(f"{lv.kind} {lv.min_size}..{lv.capacity}" for lv in levels)
        raise EnrollmentError(f"{n} students ({key}) fit no nested sections with sizes {names}")
    return best[1]


def _nesting_possible(levels: Sequence[Level], n: int, counts: Sequence[int]) -> bool:
    """A necessary condition for sizes to exist: every level has at least the fewest sections its
    parents' capacity forces (:func:`_fewest_children`); minimum sizes are not considered."""
    for i in range(1, len(levels)):
        fewest = _fewest_children(counts[i - 1], n, levels[i - 1].capacity, levels[i].capacity)
        if fewest is None or counts[i] < fewest:
            return False
    return True


def _fewest_children(parents: int, n: int, parent_cap: int, child_cap: int) -> int | None:
    """Fewest child sections under ``parents`` sections holding ``n`` students in all (``None`` if
    they cannot hold them). A parent with ``j`` children holds at most ``min(parent_cap, j * child_cap)``:
    each parent has one child, and every extra child adds ``child_cap`` until the parent holds
    ``parent_cap // child_cap`` full children, then at most ``parent_cap % child_cap``; the largest
    additions first give the fewest children."""
    full, rest = divmod(parent_cap, child_cap)
    if full == 0:
        return parents if parents * parent_cap >= n else None
    if n <= parents * full * child_cap:
        return max(parents, math.ceil(n / child_cap))
    if rest == 0:
        return None
    extra = math.ceil((n - parents * full * child_cap) / rest)
    return parents * full + extra if extra <= parents else None


def _give_up(fewest: int, balance_first: bool) -> int:
    """Most lessons worth trying once a shape with ``fewest`` lessons is known: no more unless
    looking for a balanced shape, then up to a quarter more (and 2) before falling back."""
    return fewest + fewest // 4 + 2 if balance_first else fewest


def _shapes(nodes: Sequence[Node], key: str, level: int) -> list[Shape]:
    """Planned sections of one language key from :class:`~models.groups_balance.Node` sizes."""
    return [Shape(level, {key: node.size}, _shapes(node.children, key, level + 1)) for node in nodes]


def _counts_by_cost(low: list[int], high: list[int], lessons: list[int]) -> Iterator[tuple[int, ...]]:
    """Nondecreasing count vectors within ``[low, high]``, in increasing order of teaching lessons.

    Best-first over the lattice (a heap keyed by cost), so the first feasible vector has the fewest
    lessons; each vector is produced once.
    """
    start = tuple(low)
    heap = [(sum(k * w for k, w in zip(start, lessons, strict=True)), start)]
    seen = {start}
    while heap:
        cost, counts = heapq.heappop(heap)
        if all(a <= b for a, b in itertools.pairwise(counts)):
            yield counts
        for i in range(len(counts)):
            if counts[i] < high[i]:
                nxt = (*counts[:i], counts[i] + 1, *counts[i + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (cost + lessons[i], nxt))


def _sizes_ok(nodes: list[Shape], level: Level) -> bool:
    if any(node.size > level.capacity for node in nodes):
        return False
    return len(nodes) == 1 or all(node.size >= level.min_size for node in nodes)


def _pack(children: list[Shape], level: Level, index: int) -> list[Shape]:
    """Fewest parents of a mixing level holding whole children within its capacity and minimum."""
    total = sum(c.size for c in children)
    for k in range(max(1, math.ceil(total / level.capacity)), len(children) + 1):
        parents = [Shape(index, {}, []) for _ in range(k)]
        load = [0] * k
        for child in sorted(children, key=lambda s: -s.size):
            j = min(range(k), key=lambda j: (load[j], j))
            parents[j].children.append(child)
            load[j] += child.size
            for lang, count in child.sizes.items():
                parents[j].sizes[lang] = parents[j].sizes.get(lang, 0) + count
        if all(p.children for p in parents) and _sizes_ok(parents, level):
            return parents
    raise EnrollmentError(
        f"{total} students in {len(children)} {level.kind} parts fit no {level.kind} sections of "
        f"{level.min_size}..{level.capacity}"
    )


# --------------------------------------------------------------------------- balance and windows


def _spreads(shapes: list[Shape], levels: Sequence[Level], offset: int = 0) -> dict[tuple[int, str], int]:
    """Largest minus smallest planned size per level (and, where a level does not mix, language)."""
    groups: dict[tuple[int, str], list[int]] = {}
    for shape in shapes:
        key = MIXED if levels[shape.level - offset].mixes or len(shape.sizes) != 1 else next(iter(shape.sizes))
        groups.setdefault((shape.level, key), []).append(shape.size)
    return {key: max(sizes) - min(sizes) for key, sizes in groups.items()}


def _imbalance(shapes: list[Shape], levels: Sequence[Level], offset: int = 0) -> int:
    """Sum of :func:`_spreads`."""
    return sum(_spreads(shapes, levels, offset).values())


def _set_windows(roots: list[Shape], levels: Sequence[Level]) -> None:
    """Fill each shape's window: the sizes it may take while every level keeps the plan's spread.

    A level that does not mix languages (or a pool of one language key) gets, per language, the
    range of the plan's section sizes at that level, narrowed to what its children's windows can
    sum to; a mixing level above a non-mixing one keeps the planned counts exactly (its language
    make-up must match its children's).
    """
    shapes = [s for r in roots for s in r.walk()]
    ranges: dict[tuple[int, str], tuple[int, int]] = {}
    for shape in shapes:
        if len(shape.sizes) == 1:
            (lang, size), key = next(iter(shape.sizes.items())), shape.level
            lo, hi = ranges.get((key, lang), (size, size))
            ranges[key, lang] = (min(lo, size), max(hi, size))

    def fill(shape: Shape) -> None:
        for child in shape.children:
            fill(child)
        if len(shape.sizes) != 1:
            shape.window = {lang: (n, n) for lang, n in shape.sizes.items()}
            return
        lang = next(iter(shape.sizes))
        lo, hi = ranges[shape.level, lang]
        if shape.children:
            lo = max(lo, sum(c.window[lang][0] for c in shape.children))
            hi = min(hi, sum(c.window[lang][1] for c in shape.children))
        assert lo <= shape.sizes[lang] <= hi, (lo, shape.sizes, hi)
        shape.window = {lang: (lo, hi)}

    for root in roots:
        fill(root)
