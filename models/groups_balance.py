"""The best balance nested sections can have for given section counts: an exact computation per pool.

A *chain* is one pool of a discipline seen through all its kinds (coarse to fine, e.g. lecture,
practice, lab): ``n`` students of one language key, ``counts[i]`` sections of level ``i``, every
section of level ``i + 1`` inside one section of level ``i`` (a lecture stream is the union of whole
practice groups, a practice group of whole lab subgroups) and every section of a non-finest level
holding at least one. Sizes are students; a section of level ``i`` holds between its minimum
(waived, down to 1, when the level has a single section) and its capacity (:class:`LevelRule`).

The *spread* of a level is its largest minus its smallest section. Balance is ranked
lexicographically (:class:`Balance`):

1. ``over_one``: levels whose spread exceeds 1 (pools missing the "within one" target), fewest first;
2. ``total``: the sum of the spreads.

:func:`best_balance` returns the best rank any nested sizes with these counts can reach, with sizes
that reach it, or ``None`` when no sizes fit the counts at all (a minimum or a capacity can't be met).

How it is exact. Fix a *window* ``[lo_i, hi_i]`` per level. Whether sizes within the windows exist
is decided bottom-up: a finest section may take any size in its window; a section with children may
take any size in its window that is a sum of its children's possible sizes, which is an interval
(sums of integer intervals are intervals). A section of the middle level with ``c`` children may
take ``[max(lo, c * lo'), min(hi, c * hi')]``: its lower end is convex in ``c`` and its upper end
concave, so among the ways to share ``t`` children between ``m`` parents the even one (``t // m``
or one more each) gives every parent its widest interval. So the top-level sections are described
by their child counts alone (one count for two levels; ``m`` and ``t`` for three), and a dynamic
programme over the top-level sections, keeping the Pareto front of (smallest, largest) total size
per pair of used counts, decides whether ``n`` is reachable. Windows are tried in increasing order
of the rank: a level held within one has the window ``[n // k, n // k + 1]`` (the only sizes within
one that sum to ``n``); a free level every window of each spread ``d >= 2`` whose sizes can sum to
``n``. The first feasible windows give the best rank; sizes are then read back top-down.

At most three levels (the kinds a discipline has).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_LEVELS = 3
WORK_LIMIT = 50_000
"""Most steps of the dynamic programme per feasibility check before giving up (:class:`BalanceUndecided`)."""


class BalanceUndecided(Exception):
    """The exact computation would take more than :data:`WORK_LIMIT` steps for one set of windows (only
    seen with tiny capacities and minimum sizes of 1, where sizes fitting the counts exist in very many
    shapes yet no simple shape fits them)."""


@dataclass(frozen=True)
class LevelRule:
    """Size rule of one level of a chain: most and fewest students of a section."""

    capacity: int
    min_size: int = 1


@dataclass(frozen=True, order=True)
class Balance:
    """Rank of a chain's balance: levels with spread over one, then the sum of spreads (lower is better)."""

    over_one: int
    total: int


@dataclass(frozen=True)
class Node:
    """A planned section: its size and its children (sections of the next level inside it)."""

    size: int
    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class BestBalance:
    """The best balance for the counts, the spread per level, and top-level sections reaching it."""

    balance: Balance
    spreads: tuple[int, ...]
    roots: tuple[Node, ...]


def lower_bound_counts(rules: Sequence[LevelRule], n: int) -> tuple[int, ...]:
    """``ceil(n / capacity)`` per level: the fewest sections each level can have."""
    return tuple(math.ceil(n / rule.capacity) for rule in rules)


def spreads_of(roots: Sequence[Node], depth: int) -> tuple[int, ...]:
    """Largest minus smallest size per level of a planned forest (0 for a level without sections)."""
    sizes: list[list[int]] = [[] for _ in range(depth)]

    def walk(node: Node, level: int) -> None:
        sizes[level].append(node.size)
        for child in node.children:
            walk(child, level + 1)

    for root in roots:
        walk(root, 0)
    return tuple(max(s) - min(s) if s else 0 for s in sizes)


def rank(spreads: Sequence[int]) -> Balance:
    """The :class:`Balance` of these spreads."""
    return Balance(sum(1 for d in spreads if d > 1), sum(spreads))


def best_balance(rules: Sequence[LevelRule], n: int, counts: Sequence[int]) -> BestBalance | None:
    """The best :class:`Balance` of ``n`` students in nested sections with ``counts`` per level (see
    the module docstring), sizes reaching it; ``None`` if no nested sizes fit the counts and rules.
    Raises :class:`BalanceUndecided` when a check exceeds :data:`WORK_LIMIT`."""
    return _best(tuple(rules), n, tuple(counts))


def held_within_one(rules: Sequence[LevelRule], n: int, counts: Sequence[int]) -> tuple[Node, ...] | None:
    """Nested sizes with every level within one (sizes ``n // k`` and ``n // k + 1`` at a level of
    ``k`` sections), or ``None`` if the counts and rules allow none. One feasibility check: cheaper
    than :func:`best_balance` when only "within one or not" matters."""
    return _held(tuple(rules), n, tuple(counts))


def level_within_one_possible(rules: Sequence[LevelRule], n: int, counts: Sequence[int], level: int) -> bool:
    """Whether some nested sizes with these counts hold ``level`` within one (the other levels free
    within their rules)."""
    rules, counts = tuple(rules), tuple(counts)
    if not _counts_ok(rules, n, counts):
        return False
    windows = [(rule.min_size if k > 1 else 1, rule.capacity) for rule, k in zip(rules, counts, strict=True)]
    k = counts[level]
    windows[level] = (max(windows[level][0], n // k), min(windows[level][1], n // k + 1))
    return _feasible(tuple(windows), n, counts) is not None


@lru_cache(maxsize=4096)
def _held(rules: tuple[LevelRule, ...], n: int, counts: tuple[int, ...]) -> tuple[Node, ...] | None:
    if not _counts_ok(rules, n, counts):
        return None
    windows = []
    for rule, k in zip(rules, counts, strict=True):
        lo, hi = max(n // k, rule.min_size if k > 1 else 1), min(n // k + 1, rule.capacity)
        if lo > hi:
            return None
        windows.append((lo, hi))
    return _feasible(tuple(windows), n, counts)


def _counts_ok(rules: tuple[LevelRule, ...], n: int, counts: tuple[int, ...]) -> bool:
    if not 1 <= len(rules) <= MAX_LEVELS or len(counts) != len(rules):
        raise ValueError(f"a chain has 1 to {MAX_LEVELS} levels with one count each, got {rules} and {counts}")
    return (
        n > 0 and all(k >= 1 for k in counts) and all(a <= b for a, b in itertools.pairwise(counts)) and counts[-1] <= n
    )


@lru_cache(maxsize=4096)
def _best(rules: tuple[LevelRule, ...], n: int, counts: tuple[int, ...]) -> BestBalance | None:
    depth = len(rules)
    if not _counts_ok(rules, n, counts):
        return None
    floor = [rule.min_size if k > 1 else 1 for rule, k in zip(rules, counts, strict=True)]
    ceiling = [rule.capacity for rule in rules]
    # A simple shape proves the counts feasible; failing that, the check without windows (every size
    # the rules allow) decides: if it fails, nothing fits.
    simple = _simple(rules, n, counts)
    if simple is None and _feasible(tuple(zip(floor, ceiling, strict=True)), n, counts) is None:
        return None
    simple_rank = rank(spreads_of(simple, depth)) if simple is not None else None
    # Within one: the only sizes within one summing to n are n // k and n // k + 1.
    held = [(max(n // k, floor[i]), min(n // k + 1, ceiling[i])) for i, k in enumerate(counts)]
    held_cost = [0 if n % k == 0 else 1 for k in counts]
    # Largest spread a level can have (a single section has none).
    widest = [ceiling[i] - floor[i] if counts[i] > 1 else 0 for i in range(depth)]
    top = sum(widest) + depth
    for over in range(depth + 1):
        searches = []
        for free in itertools.combinations(range(depth), over):
            if any(widest[i] < 2 for i in free) or any(held[i][0] > held[i][1] for i in range(depth) if i not in free):
                continue
            base = tuple((floor[i], ceiling[i]) if i in free else held[i] for i in range(depth))
            if _feasible(base, n, counts) is not None:  # else no spreads of these free levels help
                fixed = sum(held_cost[i] for i in range(depth) if i not in free)
                searches.append(_FreeSearch(free, base, fixed, widest, n, counts))
        for total in range(top + 1):
            if simple_rank is not None and (over, total) >= (simple_rank.over_one, simple_rank.total):
                assert simple is not None
                return BestBalance(simple_rank, spreads_of(simple, depth), simple)
            for search in searches:
                found = search.at(total - search.fixed)
                if found is not None:
                    actual = spreads_of(found, depth)
                    return BestBalance(rank(actual), actual, found)
    return None  # unreachable: the widest windows were feasible


class _FreeSearch:
    """Sizes with the levels ``free`` over one (spreads >= 2) and the others held within one."""

    def __init__(
        self,
        free: tuple[int, ...],
        base: tuple[Window, ...],
        fixed: int,
        widest: list[int],
        n: int,
        counts: tuple[int, ...],
    ) -> None:
        self.free, self.base, self.fixed, self.widest, self.n, self.counts = free, base, fixed, widest, n, counts
        self._allowed: dict[tuple[int, int], list[int]] = {}

    def allowed(self, level: int, d: int) -> list[int]:
        """Lowest sizes ``lo`` such that ``[lo, lo + d]`` at ``level`` fits with the other free levels
        unconstrained (a necessary condition, computed once per level and spread)."""
        key = (level, d)
        if key not in self._allowed:
            k, floor, ceiling = self.counts[level], self.base[level][0], self.base[level][1]
            out = []
            for lo in range(max(floor, -(-self.n // k) - d), min(self.n // k, ceiling - d) + 1):
                windows = list(self.base)
                windows[level] = (lo, lo + d)
                if _feasible(tuple(windows), self.n, self.counts) is not None:
                    out.append(lo)
            self._allowed[key] = out
        return self._allowed[key]

    def at(self, budget: int) -> tuple[Node, ...] | None:
        """Sizes whose free levels' spreads sum to ``budget``, if any."""
        for spreads in _compositions(budget, [self.widest[i] for i in self.free]):
            options = [self.allowed(i, d) for i, d in zip(self.free, spreads, strict=True)]
            if not all(options):
                continue
            for lows in itertools.product(*options):
                windows = list(self.base)
                for i, d, lo in zip(self.free, spreads, lows, strict=True):
                    windows[i] = (lo, lo + d)
                found = _feasible(tuple(windows), self.n, self.counts)
                if found is not None:
                    return found
        return None


def simple_nesting(rules: Sequence[LevelRule], n: int, counts: Sequence[int]) -> BestBalance | None:
    """A simple shape (no optimality claim; see :func:`_simple`) with its balance, if it fits the rules."""
    if not _counts_ok(tuple(rules), n, tuple(counts)):
        return None
    roots = _simple(tuple(rules), n, tuple(counts))
    if roots is None:
        return None
    spreads = spreads_of(roots, len(counts))
    return BestBalance(rank(spreads), spreads, roots)


def _simple(rules: tuple[LevelRule, ...], n: int, counts: tuple[int, ...]) -> tuple[Node, ...] | None:
    """Balanced finest sections, each coarser level ``g`` or ``g + 1`` of the next level's sections
    (largest first onto the least loaded), if every size rule holds; ``None`` otherwise."""
    q, r = divmod(n, counts[-1])
    nodes = [Node(q + 1 if j < r else q) for j in range(counts[-1])]
    for level in range(len(counts) - 1, -1, -1):
        if level < len(counts) - 1:
            k = counts[level]
            g, extra = divmod(len(nodes), k)
            slots = [g + 1 if j < extra else g for j in range(k)]
            members: list[list[Node]] = [[] for _ in range(k)]
            load = [0] * k
            for node in sorted(nodes, key=lambda x: -x.size):
                j = min((j for j in range(k) if len(members[j]) < slots[j]), key=lambda j: (load[j], j))
                members[j].append(node)
                load[j] += node.size
            nodes = [Node(load[j], tuple(members[j])) for j in range(k)]
        low = rules[level].min_size if counts[level] > 1 else 1
        if any(not low <= node.size <= rules[level].capacity for node in nodes):
            return None
    return tuple(nodes)


def _compositions(total: int, limits: list[int]) -> list[tuple[int, ...]]:
    """Vectors of values in ``[2, limit]`` per entry summing to ``total``."""
    if not limits:
        return [()] if total == 0 else []
    out = []
    first, rest = limits[0], limits[1:]
    for d in range(2, min(first, total) + 1):
        out += [(d, *tail) for tail in _compositions(total - d, rest)]
    return out


# --------------------------------------------------------------------------- feasibility of windows


Window = tuple[int, int]


def _mid(windows: tuple[Window, ...], level: int, c: int) -> Window:
    """Sizes a section of ``level`` (not the finest) with ``c`` finest children may take (two levels deep)."""
    lo, hi = windows[level]
    leaf_lo, leaf_hi = windows[level + 1]
    return max(lo, c * leaf_lo), min(hi, c * leaf_hi)


def _even(windows: tuple[Window, ...], m: int, t: int) -> Window | None:
    """Sizes a top section of three levels with ``m`` middle and ``t`` finest sections may take
    (finest sections shared evenly among the middle ones, which gives the widest interval)."""
    q, r = divmod(t, m)
    if q < 1:
        return None
    small = _mid(windows, 1, q)
    if small[0] > small[1]:
        return None
    low, high = (m - r) * small[0], (m - r) * small[1]
    if r:
        big = _mid(windows, 1, q + 1)
        if big[0] > big[1]:
            return None
        low, high = low + r * big[0], high + r * big[1]
    lo, hi = windows[0]
    return max(lo, low), min(hi, high)


def _root_types(windows: tuple[Window, ...], counts: tuple[int, ...]) -> list[tuple[tuple[int, ...], Window]]:
    """Top-level section types: (child counts per lower level, sizes it may take)."""
    depth = len(counts)
    if depth == 1:
        return [((), windows[0])]

    # Children a section may have: at least (its smallest size / the child's largest), at most
    # (its largest / the child's smallest); every other top section keeps at least one.
    def children(level: int, most: int) -> range:
        lo, hi = windows[level]
        child_lo, child_hi = windows[level + 1]
        return range(max(1, -(-lo // child_hi)), min(most, hi // max(1, child_lo)) + 1)

    if depth == 2:
        out = []
        for c in children(0, counts[1] - counts[0] + 1):
            interval = _mid(windows, 0, c)
            if interval[0] <= interval[1]:
                out.append(((c,), interval))
        return out
    out = []
    per_mid = children(1, counts[2])
    for m in children(0, counts[1] - counts[0] + 1):
        for t in range(max(m, m * per_mid.start), min(counts[2] - (counts[0] - 1), m * (per_mid.stop - 1)) + 1):
            interval = _even(windows, m, t)
            if interval is not None and interval[0] <= interval[1]:
                out.append(((m, t), interval))
    return out


@dataclass(frozen=True)
class _Entry:
    low: int
    high: int
    kind: tuple[int, ...] | None
    back: _Entry | None


def _feasible(windows: tuple[Window, ...], n: int, counts: tuple[int, ...]) -> tuple[Node, ...] | None:
    """Sizes within ``windows`` (one per level) summing to ``n`` with ``counts`` nested sections, if any."""
    if any(lo > hi for lo, hi in windows):
        return None
    if len(counts) == 2:
        return _feasible_two(windows, n, counts)
    if len(counts) == 3 and (
        _feasible(windows[:2], n, counts[:2]) is None or _feasible(windows[1:], n, counts[1:]) is None
    ):
        return None  # each pair of adjacent levels must fit on its own (fast, and usually decisive)
    types = _root_types(windows, counts)
    if not types:
        return None
    need = counts[1:]
    least = [min(t[0][j] for t in types) for j in range(len(need))]
    most = [max(t[0][j] for t in types) for j in range(len(need))]
    states: dict[tuple[int, ...], list[_Entry]] = {tuple(0 for _ in need): [_Entry(0, 0, None, None)]}
    work = 0
    for placed in range(counts[0]):
        left = counts[0] - placed - 1  # top sections still to place after this one
        nxt: dict[tuple[int, ...], list[_Entry]] = {}
        for used, entries in states.items():
            work += len(types) * len(entries)
            if work > WORK_LIMIT:
                raise BalanceUndecided(f"{n} students in {counts} sections within {windows}")
            for kind, (lo, hi) in types:
                key = tuple(u + c for u, c in zip(used, kind, strict=True))
                if any(
                    key[j] + left * least[j] > need[j] or key[j] + left * most[j] < need[j] for j in range(len(need))
                ):
                    continue
                bucket = nxt.setdefault(key, [])
                for entry in entries:
                    _add_pareto(bucket, _Entry(entry.low + lo, entry.high + hi, kind, entry))
        states = nxt
    for entry in states.get(tuple(need), []):
        if entry.low <= n <= entry.high:
            return _read_back(windows, entry, n, counts)
    return None


def _feasible_two(windows: tuple[Window, ...], n: int, counts: tuple[int, ...]) -> tuple[Node, ...] | None:
    """Two levels: the children shared evenly among the parents (``g`` or ``g + 1`` each) give every
    parent its widest interval and the widest total (lower end convex, upper end concave in the
    number of children), so only that sharing needs checking."""
    g, extra = divmod(counts[1], counts[0])
    if g < 1:
        return None
    kinds = [(g + 1,) if j < extra else (g,) for j in range(counts[0])]
    intervals = [_mid(windows, 0, kind[0]) for kind in kinds]
    if any(lo > hi for lo, hi in intervals) or not sum(lo for lo, _ in intervals) <= n <= sum(
        hi for _, hi in intervals
    ):
        return None
    return tuple(_node(windows, 0, size, kind) for kind, size in zip(kinds, _share(n, intervals), strict=True))


def _add_pareto(bucket: list[_Entry], new: _Entry) -> None:
    """Keep the (smallest low, largest high) front: drop ``new`` if dominated, drop what it dominates."""
    for entry in bucket:
        if entry.low <= new.low and entry.high >= new.high:
            return
    bucket[:] = [e for e in bucket if not (new.low <= e.low and new.high >= e.high)]
    bucket.append(new)


def _read_back(windows: tuple[Window, ...], last: _Entry, n: int, counts: tuple[int, ...]) -> tuple[Node, ...]:
    """Top-level sections and their nested sizes from the chosen types (sizes spread within the intervals)."""
    kinds: list[tuple[int, ...]] = []
    entry: _Entry | None = last
    while entry is not None and entry.kind is not None:
        kinds.append(entry.kind)
        entry = entry.back
    kinds.reverse()
    depth = len(counts)
    intervals = []
    for kind in kinds:
        if depth == 1:
            intervals.append(windows[0])
        elif depth == 2:
            intervals.append(_mid(windows, 0, kind[0]))
        else:
            interval = _even(windows, kind[0], kind[1])
            assert interval is not None
            intervals.append(interval)
    roots = []
    for kind, size in zip(kinds, _share(n, intervals), strict=True):
        roots.append(_node(windows, 0, size, kind))
    return tuple(roots)


def _node(windows: tuple[Window, ...], level: int, size: int, kind: tuple[int, ...]) -> Node:
    """A section of ``size`` at ``level`` with child counts ``kind`` (per lower level), sizes within windows."""
    if not kind:
        return Node(size)
    if len(kind) == 1:
        (c,) = kind
        q, r = divmod(size, c)
        return Node(size, tuple(Node(q + 1 if j < r else q) for j in range(c)))
    m, t = kind
    q, r = divmod(t, m)
    leaves = [q + 1 if j < r else q for j in range(m)]
    sizes = _share(size, [_mid(windows, level + 1, c) for c in leaves])
    return Node(size, tuple(_node(windows, level + 1, s, (c,)) for s, c in zip(sizes, leaves, strict=True)))


def _share(total: int, intervals: Sequence[Window]) -> list[int]:
    """Sizes within ``intervals`` summing to ``total`` (which lies between their sums), as level as the
    intervals allow: water-filling from the lower ends, one student at a time to the smallest."""
    sizes = [lo for lo, _ in intervals]
    extra = total - sum(sizes)
    assert 0 <= extra <= sum(hi - lo for lo, hi in intervals), (total, intervals)
    while extra:
        open_ = [j for j, (_, hi) in enumerate(intervals) if sizes[j] < hi]
        level = min(sizes[j] for j in open_)
        lifted = [j for j in open_ if sizes[j] == level]
        nxt = min([sizes[j] for j in open_ if sizes[j] > level] + [intervals[j][1] for j in lifted])
        step = min(nxt - level, extra // len(lifted)) if extra >= len(lifted) else 0
        if step == 0:
            for j in lifted[:extra]:
                sizes[j] += 1
            extra -= min(extra, len(lifted))
            continue
        for j in lifted:
            sizes[j] += step
        extra -= step * len(lifted)
    return sizes
