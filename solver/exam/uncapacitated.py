"""Uncapacitated exam timetabling (the Toronto benchmark): periods only, no rooms.

Hard: no student sits two exams in one period, within the given number of periods. Cost: the
Toronto proximity sum, 16/8/4/2/1 per shared student of two exams 1..5 periods apart (divided by
the number of students for the per-student figure).

1. A greedy clique of the conflict graph larger than the number of periods proves infeasibility
   and names the exams.
2. Construction: DSATUR greedy colouring, then tabu search on conflicts (TabuCol) until no
   student has two exams in a period.
3. Simulated annealing (numba; one chain per worker thread) over conflict-free timetables with
   single-exam moves and Kempe-chain swaps between two periods.

Instances with rooms, hard relations or registrar rules are refused with a clear error: the
capacitated ITC2007 exam solver is not built yet.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from models.exam_instance import ExamInstance, ExamTimetable
from solver.course.result import Progress, ProgressCallback, SolveStatus
from solver.exam.graph import ExamGraph

PROXIMITY = np.array([0, 16, 8, 4, 2, 1], dtype=np.int64)
"""Cost per shared student of two exams d = 0..5 periods apart (d = 0 is a conflict, not a cost)."""
KEMPE_SHARE = 0.3
CHUNK = 50_000
"""Annealing moves between clock checks (Kempe chains on dense graphs make a move costly)."""


@dataclass
class ExamSolveResult:
    status: SolveStatus
    timetable: ExamTimetable | None
    cost: int | None
    """Raw proximity sum (the scorer's ``soft["Proximity"]``)."""
    proximity: float | None
    """Proximity cost per student (the benchmark figure)."""
    elapsed: float
    explanation: list[str] = field(default_factory=list)
    history: list[Progress] = field(default_factory=list)


def solve_uncapacitated(
    instance: ExamInstance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    progress: ProgressCallback | None = None,
) -> ExamSolveResult:
    """Best conflict-free timetable found within ``time_limit`` seconds (see the module docstring)."""
    if time_limit <= 0:
        raise ValueError(f"time limit must be positive, got {time_limit}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    _check_supported(instance)
    start = time.monotonic()
    history: list[Progress] = []

    def report(cost: int | None, phase: str) -> None:
        event = Progress(elapsed=round(time.monotonic() - start, 3), cost=cost, bound=None, phase=phase)
        history.append(event)
        if progress is not None:
            progress(event)

    def result(status: SolveStatus, slots: np.ndarray | None, cost: int | None, why: list[str]) -> ExamSolveResult:
        report(cost, "done")
        timetable = None
        if slots is not None:
            timetable = ExamTimetable.of({e.id: (int(s), None) for e, s in zip(instance.exams, slots, strict=True)})
        per_student = None if cost is None else cost / max(1, graph.n_students)
        return ExamSolveResult(status, timetable, cost, per_student, time.monotonic() - start, why, history)

    graph = ExamGraph.build(instance)
    clique = greedy_clique(graph)
    if len(clique) > graph.n_periods:
        names = ", ".join(instance.exams[e].id for e in clique)
        why = [f"exams {names} pairwise share students: {len(clique)} exams need {len(clique)} periods "
               f"but the session has {graph.n_periods}"]  # fmt: skip
        return result(SolveStatus.INFEASIBLE, None, None, why)
    if graph.n_exams == 0:
        return result(SolveStatus.OPTIMAL, np.zeros(0, dtype=np.int64), 0, [])

    deadline = start + time_limit
    rng = np.random.default_rng(seed)
    slots = dsatur(graph, rng)
    conflicts = _conflicts(slots, graph.adj_ptr, graph.adj_idx)
    round_ = 0
    while conflicts and time.monotonic() < deadline:
        conflicts = _tabucol(slots, graph.n_periods, graph.adj_ptr, graph.adj_idx, 5_000, seed + round_)
        round_ += 1
    if conflicts:
        return result(SolveStatus.UNKNOWN, None, None, [f"{conflicts} clashes left when the time ran out"])
    cost = int(_cost(slots, graph.adj_ptr, graph.adj_idx, graph.adj_w))
    report(cost, "construction")
    if cost == 0:
        return result(SolveStatus.OPTIMAL, slots, 0, [])

    best_slots, best = slots.copy(), cost
    budget_end = deadline
    temp_start = _start_temperature(slots, graph, rng)

    def chain(i: int) -> tuple[int, np.ndarray]:
        state = slots.copy()
        best_state = slots.copy()
        current = chain_best = cost
        began = time.monotonic()
        k = 0
        while chain_best > 0 and (now := time.monotonic()) < budget_end:
            span = max(1e-6, budget_end - began)
            f0, f1 = (now - began) / span, min(1.0, (now - began) / span + 0.1 / span)
            t0 = temp_start * (1e-3) ** f0
            t1 = temp_start * (1e-3) ** f1
            current, chain_best = _anneal(
                CHUNK, t0, t1, seed * 1_000_003 + i * 7_919 + k, KEMPE_SHARE, current, chain_best, best_state,
                state, graph.n_periods, graph.adj_ptr, graph.adj_idx, graph.adj_w,
            )  # fmt: skip
            k += 1
        return chain_best, best_state

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for chain_best, chain_slots in pool.map(chain, range(workers)):
            if chain_best < best:
                best, best_slots = chain_best, chain_slots
    report(best, "annealing")
    final = int(_cost(best_slots, graph.adj_ptr, graph.adj_idx, graph.adj_w))
    return result(SolveStatus.OPTIMAL if final == 0 else SolveStatus.FEASIBLE, best_slots, final, [])


def _check_supported(instance: ExamInstance) -> None:
    unsupported = []
    if instance.rooms:
        unsupported.append("rooms")
    if instance.relations:
        unsupported.append("hard relations between exams")
    if instance.rules.daily_exams.active or instance.rules.group_free_days.active:
        unsupported.append("registrar rules")
    if unsupported:
        raise ValueError(
            f"instance {instance.name!r} has {', '.join(unsupported)}: only uncapacitated (Toronto-style) "
            "sessions are solved so far"
        )


def greedy_clique(graph: ExamGraph) -> list[int]:
    """A clique grown greedily from each of the highest-degree exams; the largest found."""
    degree = np.diff(graph.adj_ptr)
    best: list[int] = []
    for start in np.argsort(-degree)[:20]:
        clique = [int(start)]
        candidates = set(map(int, graph.neighbours(int(start))))
        while candidates:
            nxt = max(candidates, key=lambda e: (degree[e], -e))
            clique.append(nxt)
            candidates &= set(map(int, graph.neighbours(nxt)))
        if len(clique) > len(best):
            best = clique
    return sorted(best)


def dsatur(graph: ExamGraph, rng: np.random.Generator) -> np.ndarray:
    """DSATUR colouring into ``n_periods`` periods; an exam with no free period takes the period
    where it clashes with the fewest students (TabuCol removes the clashes afterwards)."""
    n, periods = graph.n_exams, graph.n_periods
    slots = np.full(n, -1, dtype=np.int64)
    seen = np.zeros((n, periods), dtype=np.int64)  # students of neighbours in each period
    saturation = np.zeros(n, dtype=np.int64)
    degree = np.diff(graph.adj_ptr)
    noise = rng.random(n)
    for _ in range(n):
        free = slots < 0
        key = np.where(free, saturation * 1_000_000 + degree + noise, -1.0)
        e = int(np.argmax(key))
        options = np.flatnonzero(seen[e] == 0)
        s = int(options[0]) if len(options) else int(np.argmin(seen[e]))
        slots[e] = s
        for i in range(graph.adj_ptr[e], graph.adj_ptr[e + 1]):
            j = graph.adj_idx[i]
            if seen[j, s] == 0:
                saturation[j] += 1
            seen[j, s] += graph.adj_w[i]
    return slots


@njit(cache=True)
def _conflicts(slots, adj_ptr, adj_idx):
    count = 0
    for e in range(len(slots)):
        for i in range(adj_ptr[e], adj_ptr[e + 1]):
            j = adj_idx[i]
            if j > e and slots[j] == slots[e]:
                count += 1
    return count


@njit(cache=True)
def _cost(slots, adj_ptr, adj_idx, adj_w):
    cost = 0
    for e in range(len(slots)):
        for i in range(adj_ptr[e], adj_ptr[e + 1]):
            j = adj_idx[i]
            if j > e:
                d = abs(slots[j] - slots[e])
                if 1 <= d <= 5:
                    cost += adj_w[i] * PROXIMITY[d]
    return cost


@njit(cache=True)
def _tabucol(slots, n_periods, adj_ptr, adj_idx, iterations, seed):
    """Tabu search on the number of clashing exam pairs (Hertz and de Werra's TabuCol)."""
    np.random.seed(seed)
    n = len(slots)
    gamma = np.zeros((n, n_periods), dtype=np.int64)  # neighbours of e in each period
    for e in range(n):
        for i in range(adj_ptr[e], adj_ptr[e + 1]):
            gamma[e, slots[adj_idx[i]]] += 1
    tabu = np.zeros((n, n_periods), dtype=np.int64)
    conflicts = _conflicts(slots, adj_ptr, adj_idx)
    best = conflicts
    best_slots = slots.copy()
    clashing = np.empty(n, dtype=np.int64)
    for it in range(iterations):
        if conflicts == 0:
            break
        m = 0
        for e in range(n):
            if gamma[e, slots[e]] > 0:
                clashing[m] = e
                m += 1
        best_delta = 1 << 40
        move_e = -1
        move_s = -1
        for _ in range(min(m, 60)):
            e = clashing[np.random.randint(m)]
            here = gamma[e, slots[e]]
            for s in range(n_periods):
                if s == slots[e]:
                    continue
                delta = gamma[e, s] - here
                allowed = tabu[e, s] <= it or conflicts + delta < best
                if allowed and (delta < best_delta or (delta == best_delta and np.random.random() < 0.3)):
                    best_delta = delta
                    move_e = e
                    move_s = s
        if move_e < 0:
            continue
        old = slots[move_e]
        slots[move_e] = move_s
        for i in range(adj_ptr[move_e], adj_ptr[move_e + 1]):
            j = adj_idx[i]
            gamma[j, old] -= 1
            gamma[j, move_s] += 1
        conflicts += best_delta
        tabu[move_e, old] = it + 10 + np.random.randint(10) + int(0.6 * m)
        if conflicts < best:
            best = conflicts
            best_slots[:] = slots
    slots[:] = best_slots
    return best


@njit(cache=True)
def _exam_delta(e, new, slots, adj_ptr, adj_idx, adj_w, in_chain):
    """Cost change of moving e to period ``new`` against neighbours outside the chain."""
    delta = 0
    old = slots[e]
    for i in range(adj_ptr[e], adj_ptr[e + 1]):
        j = adj_idx[i]
        if in_chain[j]:
            continue
        d_new = abs(new - slots[j])
        d_old = abs(old - slots[j])
        if 1 <= d_new <= 5:
            delta += adj_w[i] * PROXIMITY[d_new]
        if 1 <= d_old <= 5:
            delta -= adj_w[i] * PROXIMITY[d_old]
    return delta


@njit(cache=True, nogil=True)
def _anneal(iterations, temp_start, temp_end, seed, kempe_share, current, best, best_slots, slots, n_periods,
            adj_ptr, adj_idx, adj_w):  # fmt: skip
    """Annealing over conflict-free timetables: single moves and Kempe-chain swaps."""
    np.random.seed(seed)
    n = len(slots)
    in_chain = np.zeros(n, dtype=np.bool_)
    chain = np.empty(n, dtype=np.int64)
    ratio = temp_end / temp_start
    temp = temp_start
    for it in range(iterations):
        if it % 1000 == 0:
            temp = temp_start * ratio ** (it / iterations)
        e = np.random.randint(n)
        s1 = slots[e]
        s2 = np.random.randint(n_periods - 1)
        if s2 >= s1:
            s2 += 1
        if np.random.random() >= kempe_share:
            # single move: only into a period without a neighbour
            clash = False
            for i in range(adj_ptr[e], adj_ptr[e + 1]):
                if slots[adj_idx[i]] == s2:
                    clash = True
                    break
            if clash:
                continue
            delta = _exam_delta(e, s2, slots, adj_ptr, adj_idx, adj_w, in_chain)
            if delta <= 0 or np.random.random() < np.exp(-delta / temp):
                slots[e] = s2
                current += delta
        else:
            # Kempe chain: the component of e among exams in s1 and s2; swap their periods
            m = 1
            chain[0] = e
            in_chain[e] = True
            head = 0
            while head < m:
                a = chain[head]
                head += 1
                for i in range(adj_ptr[a], adj_ptr[a + 1]):
                    j = adj_idx[i]
                    if not in_chain[j] and (slots[j] == s1 or slots[j] == s2):
                        in_chain[j] = True
                        chain[m] = j
                        m += 1
            delta = 0
            for k in range(m):
                a = chain[k]
                delta += _exam_delta(a, s2 if slots[a] == s1 else s1, slots, adj_ptr, adj_idx, adj_w, in_chain)
            if delta <= 0 or np.random.random() < np.exp(-delta / temp):
                for k in range(m):
                    a = chain[k]
                    slots[a] = s2 if slots[a] == s1 else s1
                current += delta
            for k in range(m):
                in_chain[chain[k]] = False
        if current < best:
            best = current
            best_slots[:] = slots
    return current, best


def _start_temperature(slots: np.ndarray, graph: ExamGraph, rng: np.random.Generator) -> float:
    """Half the mean cost increase of random single moves (at least 1)."""
    in_chain = np.zeros(graph.n_exams, dtype=np.bool_)
    ups = []
    for _ in range(500):
        e = int(rng.integers(graph.n_exams))
        s = int(rng.integers(graph.n_periods))
        if s == slots[e]:
            continue
        d = _exam_delta(e, s, slots, graph.adj_ptr, graph.adj_idx, graph.adj_w, in_chain)
        if d > 0:
            ups.append(d)
    return max(1.0, 0.5 * float(np.mean(ups))) if ups else 1.0
