"""Simulated annealing over feasible timetables, compiled with numba.

The state always satisfies the hard constraints (lecture counts, conflicts, availability, room
occupancy, allowed rooms): a move that would break one is not tried. Moves:

- *move*: a lecture goes to another period and/or room; if the target room is taken there, the
  two lectures swap places;
- *room change*: a lecture changes room within its period (swapping with the room's lecture);
- *Kempe chain*: a lecture moves from period t1 to t2, the lectures at t2 that conflict with it
  (same course, curriculum or teacher) move to t1, the lectures at t1 that conflict with those
  move to t2, and so on until the chain closes; each lecture keeps its room when it is free at
  the other period, else takes the cheapest free allowed room. This reaches timetables that
  single moves cannot on tightly constrained instances.

Each move is evaluated by recomputing only what it touches (its courses, the days of its
curricula and teachers) before and after. The cost is the instance's full soft objective; rules
marked hard other than the built-in ones count with :data:`~solver.course.problem.HARD_WEIGHT`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from solver.course.problem import Problem

# Indices into Problem.weights
W_MWD, W_ISO, W_STAB, W_WIN, W_LOAD, W_TLOAD, W_DOUBLE, W_TRAVEL = range(8)

KEMPE_SHARE = 0.1
"""Default share of moves that are Kempe-chain period swaps."""
MAX_CHAIN = 40
"""Longest Kempe chain tried (lectures on both sides)."""
NO_MOVE = -(1 << 62)


class AnnealState:
    """Mutable timetable with the counters the moves need, built from lecture placements."""

    def __init__(self, problem: Problem, lec_t: np.ndarray, lec_r: np.ndarray) -> None:
        pb = problem
        self.problem = pb
        T, R, C, D = pb.n_periods, pb.n_rooms, pb.n_courses, pb.n_days
        self.lec_c = pb.lecture_course()
        self.lec_t = np.full(len(self.lec_c), -1, dtype=np.int64)
        self.lec_r = np.full(len(self.lec_c), -1, dtype=np.int64)
        self.room_lec = np.full((T, R), -1, dtype=np.int64)
        self.course_t = np.full((C, T), -1, dtype=np.int64)
        self.curr_cnt = np.zeros((pb.n_curricula, T), dtype=np.int64)
        self.curr_room = np.full((pb.n_curricula, T), -1, dtype=np.int64)
        self.teach_cnt = np.zeros((pb.n_teachers, T), dtype=np.int64)
        self.teach_day = np.zeros((pb.n_teachers, D), dtype=np.int64)
        self.course_day = np.zeros((C, D), dtype=np.int64)
        self.n_days = np.zeros(C, dtype=np.int64)
        self.course_room = np.zeros((C, R), dtype=np.int64)
        self.n_rooms = np.zeros(C, dtype=np.int64)
        for lec in range(len(self.lec_c)):
            _place(lec, int(lec_t[lec]), int(lec_r[lec]), *self._arrays())

    def _arrays(self) -> tuple:
        pb = self.problem
        return (
            pb.ppd,
            pb.cq_ptr,
            pb.cq_idx,
            pb.teacher,
            self.lec_c,
            self.lec_t,
            self.lec_r,
            self.room_lec,
            self.course_t,
            self.curr_cnt,
            self.curr_room,
            self.teach_cnt,
            self.teach_day,
            self.course_day,
            self.n_days,
            self.course_room,
            self.n_rooms,
        )

    def _problem_arrays(self) -> tuple:
        pb = self.problem
        return (
            pb.min_days,
            pb.double,
            pb.available,
            pb.room_ok,
            pb.lecture_cost,
            pb.q_min,
            pb.q_max,
            pb.t_max,
            pb.building,
            pb.weights,
            pb.n_days,
            pb.conflict,
        )

    def cost(self) -> int:
        return int(_full_cost(*self._arrays(), *self._problem_arrays()))

    def run(
        self,
        iterations: int,
        temp_start: float,
        temp_end: float,
        seed: int,
        best_cost: int,
        kempe_share: float = KEMPE_SHARE,
    ) -> tuple[int, int]:
        """Anneal ``iterations`` moves with temperature going geometrically from start to end.

        Returns (current cost, best cost); the best timetable is kept in ``best_t``/``best_r``
        whenever it improves on ``best_cost``.
        """
        if not hasattr(self, "best_t"):
            self.best_t = self.lec_t.copy()
            self.best_r = self.lec_r.copy()
        current, best = _anneal(
            iterations,
            temp_start,
            temp_end,
            seed,
            kempe_share,
            self.cost(),
            best_cost,
            self.best_t,
            self.best_r,
            *self._arrays(),
            *self._problem_arrays(),
        )
        return int(current), int(best)

    def load(self, lec_t: np.ndarray, lec_r: np.ndarray) -> None:
        """Replace the timetable (e.g. go back to the best one)."""
        args = self._arrays()
        for lec in range(len(self.lec_c)):
            _remove(lec, *args)
        for lec in range(len(self.lec_c)):
            _place(lec, int(lec_t[lec]), int(lec_r[lec]), *args)


@njit(cache=True)
def _place(
    lec, t, r, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
    teach_cnt, teach_day, course_day, n_days, course_room, n_rooms,
):  # fmt: skip
    c = lec_c[lec]
    d = t // ppd
    lec_t[lec] = t
    lec_r[lec] = r
    room_lec[t, r] = lec
    course_t[c, t] = r
    for i in range(cq_ptr[c], cq_ptr[c + 1]):
        q = cq_idx[i]
        curr_cnt[q, t] += 1
        curr_room[q, t] = r
    k = teacher[c]
    teach_cnt[k, t] += 1
    teach_day[k, d] += 1
    course_day[c, d] += 1
    if course_day[c, d] == 1:
        n_days[c] += 1
    course_room[c, r] += 1
    if course_room[c, r] == 1:
        n_rooms[c] += 1


@njit(cache=True)
def _remove(
    lec, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
    teach_cnt, teach_day, course_day, n_days, course_room, n_rooms,
):  # fmt: skip
    c = lec_c[lec]
    t = lec_t[lec]
    r = lec_r[lec]
    if t < 0:
        return
    d = t // ppd
    room_lec[t, r] = -1
    course_t[c, t] = -1
    for i in range(cq_ptr[c], cq_ptr[c + 1]):
        q = cq_idx[i]
        curr_cnt[q, t] -= 1
        if curr_cnt[q, t] == 0:
            curr_room[q, t] = -1
    k = teacher[c]
    teach_cnt[k, t] -= 1
    teach_day[k, d] -= 1
    course_day[c, d] -= 1
    if course_day[c, d] == 0:
        n_days[c] -= 1
    course_room[c, r] -= 1
    if course_room[c, r] == 0:
        n_rooms[c] -= 1
    lec_t[lec] = -1
    lec_r[lec] = -1


@njit(cache=True)
def _course_cost(c, ppd, n_day_count, course_t, n_days, n_rooms, min_days, double, weights):
    cost = 0
    missing = min_days[c] - n_days[c]
    if missing > 0:
        cost += weights[W_MWD] * missing
    if n_rooms[c] > 1:
        cost += weights[W_STAB] * (n_rooms[c] - 1)
    if weights[W_DOUBLE] > 0 and double[c] == 1:
        for d in range(n_day_count):
            base = d * ppd
            count = 0
            for p in range(ppd):
                if course_t[c, base + p] >= 0:
                    count += 1
            if count < 2:
                continue
            for p in range(ppd):
                r = course_t[c, base + p]
                if r < 0:
                    continue
                left = p > 0 and course_t[c, base + p - 1] == r
                right = p < ppd - 1 and course_t[c, base + p + 1] == r
                if not left and not right:
                    cost += weights[W_DOUBLE]
    return cost


@njit(cache=True)
def _curriculum_day_cost(q, d, ppd, curr_cnt, curr_room, q_min, q_max, building, weights):
    base = d * ppd
    cost = 0
    lectures = 0
    used = 0
    first = -1
    last = -1
    for p in range(ppd):
        k = curr_cnt[q, base + p]
        if k == 0:
            continue
        lectures += k
        used += 1
        if first < 0:
            first = p
        last = p
        left = p > 0 and curr_cnt[q, base + p - 1] > 0
        right = p < ppd - 1 and curr_cnt[q, base + p + 1] > 0
        if not left and not right:
            cost += weights[W_ISO] * k
        if right and weights[W_TRAVEL] > 0 and building[curr_room[q, base + p]] != building[curr_room[q, base + p + 1]]:
            cost += weights[W_TRAVEL]
    if lectures == 0:
        return 0
    if used >= 2:
        cost += weights[W_WIN] * ((last - first + 1) - used)
    if lectures < q_min[q]:
        cost += weights[W_LOAD] * (q_min[q] - lectures)
    elif lectures > q_max[q]:
        cost += weights[W_LOAD] * (lectures - q_max[q])
    return cost


@njit(cache=True)
def _full_cost(
    ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
    teach_cnt, teach_day, course_day, n_days, course_room, n_rooms,
    min_days, double, available, room_ok, lecture_cost, q_min, q_max, t_max, building, weights, n_day_count,
    conflict,
):  # fmt: skip
    cost = 0
    for lec in range(len(lec_c)):
        cost += lecture_cost[lec_c[lec], lec_r[lec]]
    for c in range(len(min_days)):
        cost += _course_cost(c, ppd, n_day_count, course_t, n_days, n_rooms, min_days, double, weights)
    for q in range(len(q_min)):
        for d in range(n_day_count):
            cost += _curriculum_day_cost(q, d, ppd, curr_cnt, curr_room, q_min, q_max, building, weights)
    for k in range(len(t_max)):
        for d in range(n_day_count):
            if teach_day[k, d] > t_max[k]:
                cost += weights[W_TLOAD] * (teach_day[k, d] - t_max[k])
    return cost


@njit(cache=True)
def _shares_curriculum(q, c, cq_ptr, cq_idx):
    for i in range(cq_ptr[c], cq_ptr[c + 1]):
        if cq_idx[i] == q:
            return True
    return False


@njit(cache=True)
def _fits(c, t, other, cq_ptr, cq_idx, teacher, available, course_t, curr_cnt, teach_cnt):
    """Can course c take period t, given that course ``other`` (or -1) leaves t at the same time?"""
    if not available[c, t] or course_t[c, t] >= 0:
        return False
    for i in range(cq_ptr[c], cq_ptr[c + 1]):
        q = cq_idx[i]
        n = curr_cnt[q, t]
        if other >= 0 and _shares_curriculum(q, other, cq_ptr, cq_idx):
            n -= 1
        if n > 0:
            return False
    n = teach_cnt[teacher[c], t]
    if other >= 0 and teacher[other] == teacher[c]:
        n -= 1
    return n == 0


@njit(cache=True)
def _local_cost(
    c1, c2, d1, d2, ppd, n_day_count, cq_ptr, cq_idx, teacher, course_t, curr_cnt, curr_room, teach_day,
    n_days, n_rooms, min_days, double, q_min, q_max, t_max, building, weights, seen_q, seen_d,
):  # fmt: skip
    """Cost of everything a move between days d1, d2 of courses c1 (and c2 >= 0) touches."""
    cost = _course_cost(c1, ppd, n_day_count, course_t, n_days, n_rooms, min_days, double, weights)
    if c2 >= 0:
        cost += _course_cost(c2, ppd, n_day_count, course_t, n_days, n_rooms, min_days, double, weights)
    n_seen = 0
    for which in range(2):
        c = c1 if which == 0 else c2
        if c < 0:
            continue
        for i in range(cq_ptr[c], cq_ptr[c + 1]):
            q = cq_idx[i]
            for dd in range(2):
                d = d1 if dd == 0 else d2
                if dd == 1 and d2 == d1:
                    continue
                dup = False
                for j in range(n_seen):
                    if seen_q[j] == q and seen_d[j] == d:
                        dup = True
                        break
                if dup:
                    continue
                seen_q[n_seen] = q
                seen_d[n_seen] = d
                n_seen += 1
                cost += _curriculum_day_cost(q, d, ppd, curr_cnt, curr_room, q_min, q_max, building, weights)
    if weights[W_TLOAD] > 0:
        for which in range(2):
            c = c1 if which == 0 else c2
            if c < 0 or (which == 1 and teacher[c2] == teacher[c1]):
                continue
            k = teacher[c]
            for dd in range(2):
                d = d1 if dd == 0 else d2
                if dd == 1 and d2 == d1:
                    continue
                if teach_day[k, d] > t_max[k]:
                    cost += weights[W_TLOAD] * (teach_day[k, d] - t_max[k])
    return cost


@njit(cache=True, nogil=True)
def _anneal(
    iterations, temp_start, temp_end, seed, kempe_share, current, best, best_t, best_r,
    ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
    teach_cnt, teach_day, course_day, n_days, course_room, n_rooms,
    min_days, double, available, room_ok, lecture_cost, q_min, q_max, t_max, building, weights, n_day_count,
    conflict,
):  # fmt: skip
    np.random.seed(seed)
    n_lec = len(lec_c)
    n_t = room_lec.shape[0]
    n_r = room_lec.shape[1]
    if n_lec == 0:
        return current, best
    max_q = 1
    for c in range(len(min_days)):
        max_q = max(max_q, cq_ptr[c + 1] - cq_ptr[c])
    seen_q = np.empty(4 * max_q + 4, dtype=np.int64)
    seen_d = np.empty(4 * max_q + 4, dtype=np.int64)
    s1 = np.empty(n_lec, dtype=np.int64)
    s2 = np.empty(n_lec, dtype=np.int64)
    old_t = np.empty(n_lec, dtype=np.int64)
    old_r = np.empty(n_lec, dtype=np.int64)
    in_chain = np.zeros(n_lec, dtype=np.bool_)
    c_stamp = np.full(len(min_days), -1, dtype=np.int64)
    qd_stamp = np.full((len(q_min), n_day_count), -1, dtype=np.int64)
    k_stamp = np.full(len(t_max), -1, dtype=np.int64)
    ratio = temp_end / temp_start
    temp = temp_start
    for it in range(iterations):
        if it % 1000 == 0:
            temp = temp_start * ratio ** (it / iterations)
        lec = np.random.randint(n_lec)
        c1 = lec_c[lec]
        t1 = lec_t[lec]
        r1 = lec_r[lec]
        u = np.random.random()
        if u < kempe_share:
            t2 = np.random.randint(n_t)
            if t2 == t1:
                continue
            delta = _kempe(
                lec, t2, temp, it, s1, s2, old_t, old_r, in_chain, c_stamp, qd_stamp, k_stamp,
                ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
                teach_cnt, teach_day, course_day, n_days, course_room, n_rooms,
                min_days, double, available, room_ok, lecture_cost, q_min, q_max, t_max, building, weights,
                n_day_count, conflict,
            )  # fmt: skip
            if delta != NO_MOVE:
                current += delta
                if current < best:
                    best = current
                    best_t[:] = lec_t
                    best_r[:] = lec_r
            continue
        if u < kempe_share + 0.2:
            t2 = t1
            r2 = np.random.randint(n_r)
        else:
            t2 = np.random.randint(n_t)
            r2 = r1 if np.random.random() < 0.5 else np.random.randint(n_r)
        if t2 == t1 and r2 == r1:
            continue
        other = room_lec[t2, r2]
        c2 = -1
        if other >= 0:
            c2 = lec_c[other]
            if c2 == c1:
                continue
        if not room_ok[c1, r2] or (other >= 0 and not room_ok[c2, r1]):
            continue
        if t2 != t1:
            if not _fits(c1, t2, c2, cq_ptr, cq_idx, teacher, available, course_t, curr_cnt, teach_cnt):
                continue
            if other >= 0 and not _fits(c2, t1, c1, cq_ptr, cq_idx, teacher, available, course_t, curr_cnt, teach_cnt):
                continue
        d1 = t1 // ppd
        d2 = t2 // ppd
        before = _local_cost(
            c1, c2, d1, d2, ppd, n_day_count, cq_ptr, cq_idx, teacher, course_t, curr_cnt, curr_room, teach_day,
            n_days, n_rooms, min_days, double, q_min, q_max, t_max, building, weights, seen_q, seen_d,
        )  # fmt: skip
        before += lecture_cost[c1, r1]
        if other >= 0:
            before += lecture_cost[c2, r2]
        _remove(lec, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
                teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
        if other >= 0:
            _remove(other, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt,
                    curr_room, teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
        _place(lec, t2, r2, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt,
               curr_room, teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
        if other >= 0:
            _place(other, t1, r1, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt,
                   curr_room, teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
        after = _local_cost(
            c1, c2, d1, d2, ppd, n_day_count, cq_ptr, cq_idx, teacher, course_t, curr_cnt, curr_room, teach_day,
            n_days, n_rooms, min_days, double, q_min, q_max, t_max, building, weights, seen_q, seen_d,
        )  # fmt: skip
        after += lecture_cost[c1, r2]
        if other >= 0:
            after += lecture_cost[c2, r1]
        delta = after - before
        if delta <= 0 or np.random.random() < np.exp(-delta / temp):
            current += delta
            if current < best:
                best = current
                best_t[:] = lec_t
                best_r[:] = lec_r
        else:
            _remove(lec, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt,
                    curr_room, teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
            if other >= 0:
                _remove(other, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt,
                        curr_room, teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
            _place(lec, t1, r1, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt,
                   curr_room, teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
            if other >= 0:
                _place(other, t2, r2, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t,
                       curr_cnt, curr_room, teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
    return current, best


@njit(cache=True)
def _chain_cost(
    chain, n, d1, d2, stamp, c_stamp, qd_stamp, k_stamp, ppd, n_day_count, cq_ptr, cq_idx, teacher, lec_c, lec_r,
    course_t, curr_cnt, curr_room, teach_day, n_days, n_rooms, min_days, double, lecture_cost, q_min, q_max, t_max,
    building, weights,
):  # fmt: skip
    """Cost of everything the chain's lectures touch on days d1 and d2 (each item once)."""
    cost = 0
    for i in range(n):
        x = chain[i]
        c = lec_c[x]
        cost += lecture_cost[c, lec_r[x]]
        if c_stamp[c] == stamp:
            continue
        c_stamp[c] = stamp
        cost += _course_cost(c, ppd, n_day_count, course_t, n_days, n_rooms, min_days, double, weights)
        for j in range(cq_ptr[c], cq_ptr[c + 1]):
            q = cq_idx[j]
            for dd in range(2):
                d = d1 if dd == 0 else d2
                if qd_stamp[q, d] != stamp:
                    qd_stamp[q, d] = stamp
                    cost += _curriculum_day_cost(q, d, ppd, curr_cnt, curr_room, q_min, q_max, building, weights)
        k = teacher[c]
        if weights[W_TLOAD] > 0 and k_stamp[k] != stamp:
            k_stamp[k] = stamp
            for dd in range(2):
                d = d1 if dd == 0 else d2
                if (dd == 0 or d2 != d1) and teach_day[k, d] > t_max[k]:
                    cost += weights[W_TLOAD] * (teach_day[k, d] - t_max[k])
    return cost


@njit(cache=True)
def _kempe(
    lec, t2, temp, it, s1, s2, old_t, old_r, in_chain, c_stamp, qd_stamp, k_stamp,
    ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
    teach_cnt, teach_day, course_day, n_days, course_room, n_rooms,
    min_days, double, available, room_ok, lecture_cost, q_min, q_max, t_max, building, weights, n_day_count,
    conflict,
):  # fmt: skip
    """Try a Kempe-chain swap between lec's period and t2; returns the cost change or NO_MOVE."""
    t1 = lec_t[lec]
    n_r = room_lec.shape[1]
    n1 = 1
    n2 = 0
    s1[0] = lec
    in_chain[lec] = True
    i1 = 0
    i2 = 0
    ok = True
    while ok and (i1 < n1 or i2 < n2):
        while ok and i1 < n1:
            ca = lec_c[s1[i1]]
            i1 += 1
            for r in range(n_r):
                b = room_lec[t2, r]
                if b >= 0 and not in_chain[b] and conflict[ca, lec_c[b]]:
                    in_chain[b] = True
                    s2[n2] = b
                    n2 += 1
                    if n1 + n2 > MAX_CHAIN:
                        ok = False
                        break
        while ok and i2 < n2:
            cb = lec_c[s2[i2]]
            i2 += 1
            for r in range(n_r):
                a = room_lec[t1, r]
                if a >= 0 and not in_chain[a] and conflict[cb, lec_c[a]]:
                    in_chain[a] = True
                    s1[n1] = a
                    n1 += 1
                    if n1 + n2 > MAX_CHAIN:
                        ok = False
                        break
    for i in range(n1):
        in_chain[s1[i]] = False
        if ok and not available[lec_c[s1[i]], t2]:
            ok = False
    for i in range(n2):
        in_chain[s2[i]] = False
        if ok and not available[lec_c[s2[i]], t1]:
            ok = False
    if not ok:
        return NO_MOVE
    # one list: s1 then s2
    n = n1 + n2
    for i in range(n2):
        s1[n1 + i] = s2[i]
    for i in range(n):
        old_t[i] = lec_t[s1[i]]
        old_r[i] = lec_r[s1[i]]
    d1 = t1 // ppd
    d2 = t2 // ppd
    before = _chain_cost(
        s1, n, d1, d2, 2 * it, c_stamp, qd_stamp, k_stamp, ppd, n_day_count, cq_ptr, cq_idx, teacher, lec_c, lec_r,
        course_t, curr_cnt, curr_room, teach_day, n_days, n_rooms, min_days, double, lecture_cost, q_min, q_max,
        t_max, building, weights,
    )  # fmt: skip
    for i in range(n):
        _remove(s1[i], ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
                teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
    placed = 0
    for i in range(n):
        x = s1[i]
        c = lec_c[x]
        t = t2 if old_t[i] == t1 else t1
        r = old_r[i]
        if room_lec[t, r] >= 0:
            r = -1
            for rr in range(n_r):
                if room_lec[t, rr] < 0 and room_ok[c, rr] and (r < 0 or lecture_cost[c, rr] < lecture_cost[c, r]):
                    r = rr
        if r < 0:
            break
        _place(x, t, r, ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
               teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
        placed += 1
    accept = placed == n
    delta = 0
    if accept:
        after = _chain_cost(
            s1, n, d1, d2, 2 * it + 1, c_stamp, qd_stamp, k_stamp, ppd, n_day_count, cq_ptr, cq_idx, teacher, lec_c,
            lec_r, course_t, curr_cnt, curr_room, teach_day, n_days, n_rooms, min_days, double, lecture_cost, q_min,
            q_max, t_max, building, weights,
        )  # fmt: skip
        delta = after - before
        accept = delta <= 0 or np.random.random() < np.exp(-delta / temp)
    if accept:
        return delta
    for i in range(placed):
        _remove(s1[i], ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t, curr_cnt, curr_room,
                teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
    for i in range(n):
        _place(s1[i], old_t[i], old_r[i], ppd, cq_ptr, cq_idx, teacher, lec_c, lec_t, lec_r, room_lec, course_t,
               curr_cnt, curr_room, teach_cnt, teach_day, course_day, n_days, course_room, n_rooms)  # fmt: skip
    return NO_MOVE
