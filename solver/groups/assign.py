"""Who goes into which section of one level: a CP-SAT model over blocks of students.

The students inside one parent (a pool, a lecture stream, a practice group) are split into the
planned child sections (:class:`~solver.groups.structure.Shape`). Students come in *blocks*:
students of one academic group with the same language key and (when rebalancing) the same current
section at this level. They are interchangeable for the objective, so the model decides only how
many of each block go to each child.

Variables, per block b and slot s (a child section to fill): ``x[b, s]`` students, ``y[b, s]``
"b is in s"; per academic group g and slot s: ``z[g, s]`` "some of g is in s". When rebalancing,
the slots are the current sections that hold students of the parent plus fresh ones, and
``a[s, t]`` says which planned shape type t slot s takes (a type = shapes with the same window and
children); a slot without a type stays closed.

Constraints: every student of a block is placed (sum over s of ``x[b, s]`` = block size); each
slot's students per language key are within its shape's window (0 when closed); each shape type
is taken by as many slots as the plan has shapes of that type.

Objective, lexicographic through weights: first the moved students (students whose current section
at this level is not the slot they get), then the splits (sum over groups of the slots they are in,
minus one per group), then the strays (students of a group outside the slot holding most of it:
a split group keeps as many together as it can). Forming from scratch has no moves.

Before the model, a greedy assignment (fill each slot to its planned size, keeping blocks in their
current section, then whole blocks best-fit, then splitting) gives a hint, a fallback when the model
finds nothing in time, and a shortcut: when it already meets the lower bound (no moves, only the
splits forced by sizes) the model is not built.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ortools.sat.python import cp_model

from solver.groups.structure import Shape

MAX_SLOTS = 12
"""More sections than this under one parent are placed in two steps: first into chunks of at most
this many consecutive sections (a chunk takes the sum of their windows), then within each chunk."""
MAX_PAIRS = 200
"""Levels with more (block, section) pairs than this are placed by the greedy: on the generated
registrations such models never improved on it within the model time (measured on 5,000 students:
0 of 16 did), while small ones often do (60 of 269)."""
CACHE_SIZE = 50_000
"""Solved forming level models kept per process: disciplines of one cohort (e.g. with a few
retakers elsewhere) repeat the same level models."""
_SOLVED: dict[tuple, tuple[dict[tuple[int, int], int], list[int]]] = {}
LARGE_MODEL = 300
"""Placement variables above which the level model runs without its LP relaxation."""


@dataclass
class Block:
    """Interchangeable students: one academic group (``cohort``), language key and current section."""

    students: list[str]
    key: str
    cohort: str | None
    """Academic group; ``None``: students without a group (no cohesion to keep)."""
    old: str | None = None
    """The section at this level the students are in now (rebalancing); ``None``: none."""

    @property
    def size(self) -> int:
        return len(self.students)


@dataclass
class Placement:
    """A filled slot: its shape, its id (a current section's, or ``None`` for a new one) and students."""

    shape: Shape
    section: str | None
    students: list[str] = field(default_factory=list)


@dataclass
class AssignStats:
    """How the level models went: built, proven optimal, shortcut by the greedy, left to the greedy, cached."""

    models: int = 0
    optimal: int = 0
    shortcut: int = 0
    fallback: int = 0
    cached: int = 0
    """Level models answered from an identical one solved before (same groups, sizes and shapes)."""

    def add(self, other: AssignStats) -> None:
        self.models += other.models
        self.optimal += other.optimal
        self.shortcut += other.shortcut
        self.fallback += other.fallback
        self.cached += other.cached


def assign_level(
    blocks: Sequence[Block],
    shapes: Sequence[Shape],
    current: Sequence[str] = (),
    *,
    time_limit: float = 1.0,
    seed: int = 0,
    stats: AssignStats | None = None,
) -> list[Placement]:
    """Place ``blocks`` into ``shapes`` (see the module docstring); ``current``: ids of current sections
    that may be kept (rebalancing). Returns one placement per shape, in the order of ``shapes``."""
    stats = stats if stats is not None else AssignStats()
    if not shapes:
        if any(b.size for b in blocks):
            raise ValueError("students but no section to put them in")
        return []
    if not current and len(shapes) > MAX_SLOTS:
        return _assign_in_chunks(blocks, shapes, time_limit=time_limit, seed=seed, stats=stats)
    slots = _slots(blocks, shapes, current)
    greedy = _greedy(blocks, shapes, slots)
    if (len(shapes) == 1 and len(slots) == 1) or _objective(blocks, slots, greedy) <= _lower_bound(
        blocks, shapes, slots
    ):
        stats.shortcut += 1
        return _placements(blocks, shapes, slots, *greedy)
    if time_limit <= 0 or len(slots) > 2 * MAX_SLOTS or len(blocks) * len(slots) > MAX_PAIRS:
        stats.fallback += 1  # out of time, or a level too large for a model: the greedy's placement
        return _placements(blocks, shapes, slots, *greedy)
    key = _cache_key(blocks, shapes) if not current else None
    if key is not None and key in _SOLVED:
        stats.cached += 1
        return _placements(blocks, shapes, slots, *_SOLVED[key])
    stats.models += 1
    solved = _solve(blocks, shapes, slots, greedy, time_limit, seed)
    if solved is None:
        stats.fallback += 1
        return _placements(blocks, shapes, slots, *greedy)
    best, optimal = solved
    stats.optimal += optimal
    if _objective(blocks, slots, best) > _objective(blocks, slots, greedy):
        best = greedy
    if key is not None:
        if len(_SOLVED) >= CACHE_SIZE:
            _SOLVED.clear()
        _SOLVED[key] = best
    return _placements(blocks, shapes, slots, *best)


def clear_cache() -> None:
    """Forget the solved level models (a new formation's timing and results owe nothing to an earlier one)."""
    _SOLVED.clear()


def _cache_key(blocks: Sequence[Block], shapes: Sequence[Shape]) -> tuple:
    """What a forming level model depends on: the blocks' groups, keys and sizes, and the shapes."""
    return (
        tuple((b.cohort, b.key, b.size) for b in blocks),
        tuple((_signature(shape), tuple(sorted(shape.sizes.items()))) for shape in shapes),
    )


def _assign_in_chunks(
    blocks: Sequence[Block], shapes: Sequence[Shape], *, time_limit: float, seed: int, stats: AssignStats
) -> list[Placement]:
    """Forming under a parent with many sections: blocks into chunks of sections, then each chunk."""
    chunks = [list(shapes[i : i + MAX_SLOTS]) for i in range(0, len(shapes), MAX_SLOTS)]
    virtual = []
    for chunk in chunks:
        keys = {key for shape in chunk for key in shape.window}
        window = {
            key: (
                sum(sh.window.get(key, (0, 0))[0] for sh in chunk),
                sum(sh.window.get(key, (0, 0))[1] for sh in chunk),
            )
            for key in keys
        }
        sizes = {key: sum(sh.sizes.get(key, 0) for sh in chunk) for key in keys}
        virtual.append(Shape(chunk[0].level, sizes, [], window))
    out: list[Placement] = []
    by_student = {sid: block for block in blocks for sid in block.students}
    for chunk, placement in zip(
        chunks, assign_level(blocks, virtual, time_limit=time_limit, seed=seed, stats=stats), strict=True
    ):
        inner: dict[tuple[str | None, str, str | None], list[str]] = defaultdict(list)
        for sid in placement.students:
            block = by_student[sid]
            inner[block.cohort, block.key, block.old].append(sid)
        sub = [Block(members, key, cohort, old) for (cohort, key, old), members in inner.items()]
        out += assign_level(sub, chunk, time_limit=time_limit, seed=seed, stats=stats)
    return out


# --------------------------------------------------------------------------- slots and types


@dataclass
class _Slot:
    section: str | None
    """A current section's id, or ``None`` for a new section."""
    shape: int | None = None
    """For forming: the index of the shape this slot is (fixed)."""


def _slots(blocks: Sequence[Block], shapes: Sequence[Shape], current: Sequence[str]) -> list[_Slot]:
    if not current:
        return [_Slot(None, i) for i in range(len(shapes))]
    held: dict[str, int] = defaultdict(int)
    for block in blocks:
        if block.old in current:
            held[block.old] += block.size
    kept = sorted((s for s in current if held[s]), key=lambda s: (-held[s], s))
    # A kept id can take any shape, so new sections are needed only beyond the current ones.
    return [_Slot(s) for s in kept] + [_Slot(None) for _ in range(max(0, len(shapes) - len(kept)))]


def _signature(shape: Shape) -> tuple:
    return (shape.level, tuple(sorted(shape.window.items())), tuple(sorted(_signature(c) for c in shape.children)))


def _types(shapes: Sequence[Shape]) -> tuple[list[int], list[int]]:
    """Shape index -> type index, and the first shape of each type."""
    index: dict[tuple, int] = {}
    of: list[int] = []
    first: list[int] = []
    for i, shape in enumerate(shapes):
        sig = _signature(shape)
        if sig not in index:
            index[sig] = len(first)
            first.append(i)
        of.append(index[sig])
    return of, first


# --------------------------------------------------------------------------- greedy


Counts = dict[tuple[int, int], int]
"""(block index, slot index) -> students."""


def _greedy(blocks: Sequence[Block], shapes: Sequence[Shape], slots: Sequence[_Slot]) -> tuple[Counts, list[int]]:
    """Counts filling each slot to a target size (:func:`_targets`), and the shape index of each slot
    (-1: closed): students first stay in their current section, then whole blocks go best-fit, then
    the largest remaining block is split over the emptiest slots."""
    slot_shape = _greedy_shapes(blocks, shapes, slots)
    remaining = _targets(blocks, shapes, slots, slot_shape)
    counts: Counts = defaultdict(int)
    left = [b.size for b in blocks]
    slot_of = {slot.section: s for s, slot in enumerate(slots) if slot.section is not None}
    for b, block in enumerate(blocks):  # keep students where they are
        s = slot_of.get(block.old) if block.old is not None else None
        if s is not None and slot_shape[s] >= 0:
            n = min(left[b], remaining.get((s, block.key), 0))
            if n:
                counts[b, s] += n
                remaining[s, block.key] -= n
                left[b] -= n
    for b in sorted(range(len(blocks)), key=lambda b: -left[b]):
        key = blocks[b].key
        while left[b]:
            open_slots = [s for s, i in enumerate(slot_shape) if i >= 0 and remaining.get((s, key), 0) > 0]
            if not open_slots:
                raise ValueError(f"the planned sections have no room for block {blocks[b].cohort} ({key})")
            fits = [s for s in open_slots if remaining[s, key] >= left[b]]
            s = min(fits, key=lambda s: remaining[s, key]) if fits else max(open_slots, key=lambda s: remaining[s, key])
            n = min(left[b], remaining[s, key])
            counts[b, s] += n
            remaining[s, key] -= n
            left[b] -= n
    return dict(counts), slot_shape


def _targets(
    blocks: Sequence[Block], shapes: Sequence[Shape], slots: Sequence[_Slot], slot_shape: list[int]
) -> dict[tuple[int, str], int]:
    """Students per open slot and language key, within the slot's window and summing to the blocks'.

    Forming starts from the planned sizes; rebalancing from the students a current section already
    holds (clamped to the window; a new section from the window's low end), so that as few as
    possible have to leave. Then one student at a time is added to (or taken from) the slots with
    room, those where it spares a move first.
    """
    totals: dict[str, int] = defaultdict(int)
    held: dict[tuple[int, str], int] = defaultdict(int)
    slot_of = {slot.section: s for s, slot in enumerate(slots) if slot.section is not None}
    for block in blocks:
        totals[block.key] += block.size
        if block.old in slot_of:
            held[slot_of[block.old], block.key] += block.size
    forming = all(slot.shape is not None for slot in slots)
    targets: dict[tuple[int, str], int] = {}
    windows: dict[tuple[int, str], tuple[int, int]] = {}
    for s, i in enumerate(slot_shape):
        if i < 0:
            continue
        for key in set(shapes[i].window) | set(totals):
            lo, hi = shapes[i].window.get(key, (0, 0))
            windows[s, key] = (lo, hi)
            if forming:
                targets[s, key] = min(max(shapes[i].sizes.get(key, 0), lo), hi)
            elif slots[s].section is not None:
                targets[s, key] = min(max(held[s, key], lo), hi)
            else:
                targets[s, key] = lo
    for key, total in totals.items():
        diff = total - sum(n for (s, k), n in targets.items() if k == key)
        step = 1 if diff > 0 else -1
        while diff:
            room = [s for (s, k), (lo, hi) in windows.items() if k == key and lo <= targets[s, k] + step <= hi]
            if not room:
                raise ValueError(f"{total} students ({key}) do not fit the planned sections' windows")
            # Where a step spares a move first (a section holding more than its target grows; one
            # holding less shrinks), then the one furthest from the step's direction.
            room.sort(key=lambda s: (-(held[s, key] - targets[s, key]) * step, targets[s, key] * step, s))
            for s in room[: abs(diff)]:
                targets[s, key] += step
                diff -= step
    return targets


def _greedy_shapes(blocks: Sequence[Block], shapes: Sequence[Shape], slots: Sequence[_Slot]) -> list[int]:
    """Forming: slot i is shape i. Rebalancing: current sections (most students first) take the shapes,
    largest planned first; fresh slots take what is left."""
    if all(slot.shape is not None for slot in slots):
        return [slot.shape for slot in slots]  # type: ignore[misc]
    order = sorted(range(len(shapes)), key=lambda i: -shapes[i].size)
    slot_shape = [-1] * len(slots)
    for s, i in zip(range(len(slots)), order, strict=False):
        slot_shape[s] = i
    return slot_shape


# --------------------------------------------------------------------------- objective and bound


def _weights(blocks: Sequence[Block], slots: Sequence[_Slot]) -> tuple[int, int]:
    """Weights of a move and of a split: each more than everything below it can add up to, so the
    objective is lexicographic (moves, then splits, then strays)."""
    split = sum(b.size for b in blocks) + 1
    move = (len(blocks) * len(slots) + 1) * split
    return move, split


def _objective(blocks: Sequence[Block], slots: Sequence[_Slot], counts_and_shapes: tuple[Counts, list[int]]) -> int:
    """Moves, splits and strays of a placement, weighted as in the model."""
    counts = counts_and_shapes[0]
    moves = sum(
        block.size - counts.get((b, _slot_index(slots, block.old)), 0)
        for b, block in enumerate(blocks)
        if block.old is not None and _slot_index(slots, block.old) >= 0
    )
    moves += sum(b.size for b in blocks if b.old is not None and _slot_index(slots, b.old) < 0)
    per_slot: dict[str, Counter[int]] = defaultdict(Counter)
    for (b, s), n in counts.items():
        if n and blocks[b].cohort is not None:
            per_slot[blocks[b].cohort][s] += n  # type: ignore[index]
    splits = sum(len(c) - 1 for c in per_slot.values())
    strays = sum(sum(c.values()) - max(c.values()) for c in per_slot.values())
    move, split = _weights(blocks, slots)
    return moves * move + splits * split + strays


def _slot_index(slots: Sequence[_Slot], section: str | None) -> int:
    if section is None:
        return -1
    for s, slot in enumerate(slots):
        if slot.section == section:
            return s
    return -1


def _lower_bound(blocks: Sequence[Block], shapes: Sequence[Shape], slots: Sequence[_Slot]) -> int:
    """What sizes force, weighted as the objective: a group larger than the largest section is split
    (at least ceil(n / largest) - 1 times) and leaves at least n - largest strays; nobody must move."""
    largest = max((hi for shape in shapes for (_, hi) in shape.window.values()), default=0)
    sizes: dict[str, int] = defaultdict(int)
    for block in blocks:
        if block.cohort is not None:
            sizes[block.cohort] += block.size
    if not largest:
        return 0
    _, split = _weights(blocks, slots)
    return sum(max(0, math.ceil(n / largest) - 1) * split + max(0, n - largest) for n in sizes.values())


# --------------------------------------------------------------------------- CP-SAT


def _solve(
    blocks: Sequence[Block],
    shapes: Sequence[Shape],
    slots: Sequence[_Slot],
    hint: tuple[Counts, list[int]],
    time_limit: float,
    seed: int,
) -> tuple[tuple[Counts, list[int]], bool] | None:
    model = cp_model.CpModel()
    shape_type, type_first = _types(shapes)
    n_types = len(type_first)
    multiplicity = [shape_type.count(t) for t in range(n_types)]
    forming = all(slot.shape is not None for slot in slots)

    # Which type each slot takes (fixed when forming).
    a: dict[tuple[int, int], cp_model.IntVar] = {}
    if not forming:
        for s in range(len(slots)):
            for t in range(n_types):
                a[s, t] = model.new_bool_var(f"a{s}_{t}")
            model.add_at_most_one(a[s, t] for t in range(n_types))
        for t in range(n_types):
            model.add(sum(a[s, t] for s in range(len(slots))) == multiplicity[t])
        fresh = [s for s, slot in enumerate(slots) if slot.section is None]
        for s, s2 in pairwise(fresh):  # symmetry: fresh slots open in order
            model.add(sum(a[s, t] for t in range(n_types)) >= sum(a[s2, t] for t in range(n_types)))

    keys = sorted({b.key for b in blocks})
    big = len(blocks)
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    for b, block in enumerate(blocks):
        for s, slot in enumerate(slots):
            types = [shape_type[slot.shape]] if forming else range(n_types)  # type: ignore[index]
            if all(shapes[type_first[t]].window.get(block.key, (0, 0))[1] == 0 for t in types):
                continue
            x[b, s] = model.new_int_var(0, block.size, f"x{b}_{s}")
            y[b, s] = model.new_bool_var(f"y{b}_{s}")
            model.add(x[b, s] <= block.size * y[b, s])
            model.add(x[b, s] >= 1).only_enforce_if(y[b, s])
        # Every student of the block is placed.
        model.add(sum(x[b, s] for s in range(len(slots)) if (b, s) in x) == block.size)

    # Symmetry (forming): of two slots of the same shape type, the earlier holds the earlier (or same) first block.
    first: dict[int, cp_model.IntVar] = {}
    if forming:
        for s in range(len(slots)):
            terms = [b + big * (1 - y[b, s]) for b in range(len(blocks)) if (b, s) in y]
            if terms:
                first[s] = model.new_int_var(0, big, f"first{s}")
                model.add_min_equality(first[s], terms)
        previous: dict[int, int] = {}
        for s, slot in enumerate(slots):
            t = shape_type[slot.shape]  # type: ignore[index]
            if t in previous and s in first and previous[t] in first:
                model.add(first[previous[t]] <= first[s])
            previous[t] = s

    # Each slot's students per language key within its shape's window (nothing when closed).
    for s, slot in enumerate(slots):
        for key in keys:
            total = sum(x[b, s] for b, block in enumerate(blocks) if block.key == key and (b, s) in x)
            if forming:
                lo, hi = shapes[slot.shape].window.get(key, (0, 0))  # type: ignore[index]
                model.add_linear_constraint(total, lo, hi)
            else:
                windows = [shapes[type_first[t]].window.get(key, (0, 0)) for t in range(n_types)]
                model.add(total >= sum(w[0] * a[s, t] for t, w in enumerate(windows)))
                model.add(total <= sum(w[1] * a[s, t] for t, w in enumerate(windows)))

    # Cohesion: slots each academic group is in.
    by_cohort: dict[str, list[int]] = defaultdict(list)
    for b, block in enumerate(blocks):
        if block.cohort is not None:
            by_cohort[block.cohort].append(b)
    in_slot = []
    cohort_lits: list[tuple[cp_model.IntVar, list[tuple[int, int]]]] = []
    strays = []
    for members in by_cohort.values():
        # Strays: the group's students outside the section holding most of them.
        size = sum(blocks[b].size for b in members)
        held = [sum(x[b, s] for b in members if (b, s) in x) for s in range(len(slots))]
        if len(slots) > 1:
            largest = model.new_int_var(0, size, "")
            model.add_max_equality(largest, held)
            strays.append(size - largest)
        for s in range(len(slots)):
            lits = [y[b, s] for b in members if (b, s) in y]
            if not lits:
                continue
            if len(lits) == 1:
                in_slot.append(lits[0])
                continue
            z = model.new_bool_var("")
            for lit in lits:
                model.add_implication(lit, z)
            in_slot.append(z)
            cohort_lits.append((z, [(b, s) for b in members if (b, s) in y]))

    # Moves: students not kept in their current section.
    kept = []
    for b, block in enumerate(blocks):
        s = _slot_index(slots, block.old)
        if s >= 0 and (b, s) in x:
            kept.append(x[b, s])
    movable = sum(b.size for b in blocks if b.old is not None)
    move, split = _weights(blocks, slots)
    model.minimize(move * (movable - sum(kept)) + split * sum(in_slot) + sum(strays))

    counts, slot_shape = _symmetric_hint(hint, slots, shape_type) if forming else hint
    for (b, s), var in x.items():
        n = counts.get((b, s), 0)
        model.add_hint(var, n)
        model.add_hint(y[b, s], n > 0)
    for s, var in first.items():
        model.add_hint(var, min((b for (b, s2), n in counts.items() if s2 == s and n), default=big))
    for var, lits in cohort_lits:
        model.add_hint(var, any(counts.get(key, 0) for key in lits))
    if not forming:
        for s in range(len(slots)):
            for t in range(n_types):
                model.add_hint(a[s, t], slot_shape[s] >= 0 and shape_type[slot_shape[s]] == t)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    if len(x) > LARGE_MODEL:
        solver.parameters.linearization_level = 0  # the LP costs more than it proves on large levels
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    result: Counts = {key: solver.value(var) for key, var in x.items() if solver.value(var)}
    if forming:
        slot_shape = [slot.shape for slot in slots]
    else:
        free: dict[int, list[int]] = defaultdict(list)  # type -> its shapes, each used once
        for i, t in enumerate(shape_type):
            free[t].append(i)
        types_of = [next((t for t in range(n_types) if solver.boolean_value(a[s, t])), -1) for s in range(len(slots))]
        slot_shape = [free[t].pop(0) if t >= 0 else -1 for t in types_of]
    return (result, slot_shape), status == cp_model.OPTIMAL


def _symmetric_hint(
    hint: tuple[Counts, list[int]], slots: Sequence[_Slot], shape_type: list[int]
) -> tuple[Counts, list[int]]:
    """The greedy's counts with slots of one shape type reordered by their first block, so the hint
    satisfies the symmetry-breaking constraints."""
    counts, slot_shape = hint
    first: dict[int, int] = {}
    for (b, s), n in counts.items():
        if n:
            first[s] = min(first.get(s, b), b)
    by_type: dict[int, list[int]] = defaultdict(list)
    for s, slot in enumerate(slots):
        by_type[shape_type[slot.shape]].append(s)  # type: ignore[index]
    new_slot: dict[int, int] = {}
    for members in by_type.values():
        ordered = sorted(members, key=lambda s: first.get(s, len(first) + s))
        new_slot.update(zip(ordered, members, strict=True))
    return {(b, new_slot[s]): n for (b, s), n in counts.items()}, slot_shape


# --------------------------------------------------------------------------- result


def _placements(
    blocks: Sequence[Block], shapes: Sequence[Shape], slots: Sequence[_Slot], counts: Counts, slot_shape: list[int]
) -> list[Placement]:
    """Concrete students per shape: each block hands out its students in order, slots in order."""
    out = [Placement(shape, None) for shape in shapes]
    for s, i in enumerate(slot_shape):
        if i >= 0:
            out[i].section = slots[s].section
    pieces: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (b, s), n in counts.items():
        if n:
            pieces[b].append((n, s))
    for b, block in enumerate(blocks):
        pos = 0
        # Largest piece first: a group split 13/8 is cut at the same student whichever sections get the pieces.
        for n, s in sorted(pieces[b], key=lambda piece: (-piece[0], piece[1])):
            out[slot_shape[s]].students += block.students[pos : pos + n]
            pos += n
    return out
