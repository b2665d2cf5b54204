"""Compiled local search for capacitated exam timetabling: state, exact delta evaluation, moves,
greedy construction and simulated annealing (numba; the search kernels release the GIL).

The state holds each exam's period and room and the counters the cost needs (seats, exams,
exclusive exams and distinct durations per room and period; exams of each duration; exams per
period; exams per student and day when the daily limit is on). Every change goes through
:func:`relocate`, which moves one exam and returns the exact change of the soft cost and of the
hard violations (both defined in :mod:`solver.exam.problem`), so composite moves are sequences of
relocations, undone by relocating back in reverse order.

Moves:

- *move*: an exam (with its coincidence block) to another period, each exam into the room where
  it adds the least cost (ties: the tightest fit);
- *room*: an exam to another room of its period, or two exams of a period swap rooms;
- *Kempe chain*: an exam goes from period t1 to t2, the exams at t2 sharing students with it go
  to t1, and so on until the chain closes (coincidence blocks move whole); each keeps its room
  where it fits, else takes the cheapest room with space;
- *period swap*: every exam of two periods changes period, rooms kept where they fit.

Hard violations are counted in units (students for conflicts, seats for capacity, one per other
broken constraint); zero units means the scorer finds no hard violation. In *strict* mode a move
that adds a hard unit is undone; otherwise each hard unit costs ``hard_w`` (construction).

Kernels take the problem's arrays (:class:`~solver.exam.problem.Arrays`, 17 arrays) and the
state's (:class:`State`, 14 arrays) as explicit arguments, in that order (``*arrays, *state``):
numba compiles calls with a large named tuple into much slower code (measured 15x on relocation).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from solver.exam.problem import (
    APART,
    BLOCK,
    CAP,
    DAILY_LIMIT,
    DAILY_MODE,
    DAILY_W,
    DAY,
    DAYNUM,
    DUR,
    EARLIER,
    EXCL,
    FRONT,
    FRONT_W,
    GROUP,
    GROUP_MODE,
    GROUP_NEED,
    GROUP_W,
    LATE,
    LATER,
    MOVABLE,
    N_DAYS,
    N_DURS,
    NON_MIXED,
    PPEN,
    RPEN,
    RULE_HARD,
    RULE_OFF,
    SIZE,
    TOGETHER,
    Arrays,
)

SEATS, COUNT, NEXCL, NDUR = range(4)
"""Columns of State.cell: seats taken, exams, exclusive exams, distinct durations."""
SOFT, HARD, BEST_SOFT, BEST_HARD = range(4)
"""Entries of State.cost."""
BIG = 1 << 20
"""Scale of the cost part of a room choice score (the rest is leftover seats, for a tight fit)."""
NO_MOVE = -1


class State(NamedTuple):
    t: np.ndarray  # period of each exam, -1 unplaced
    r: np.ndarray  # room of each exam, -1 unplaced
    cell: np.ndarray  # (T, R, 4): SEATS, COUNT, NEXCL, NDUR
    durc: np.ndarray  # (T, R, D): exams of each duration
    plist: np.ndarray  # (T, E): exams of each period
    plen: np.ndarray  # (T,)
    ppos: np.ndarray  # position of each exam in its period's list
    sday: np.ndarray  # (S, days): exams of each student and day (daily rule only)
    buf: np.ndarray  # scratch (E)
    chain: np.ndarray  # scratch (E)
    flag: np.ndarray  # scratch (E), zeros between uses
    cost: np.ndarray  # SOFT, HARD, BEST_SOFT, BEST_HARD
    log: np.ndarray  # (L, 3): undo log of the current move (exam, period, room)
    best: np.ndarray  # (2, E): periods and rooms of the best timetable


def new_state(a: Arrays, t: np.ndarray, r: np.ndarray, n_students: int = 0) -> State:
    """A state with the exams placed at ``t``, ``r`` (-1: unplaced), which is also the best.

    ``n_students`` sizes the student-day counters (needed only with the daily rule on)."""
    E, T, R = len(a.ex), len(a.per), len(a.room)
    daily = a.prm[DAILY_MODE] != RULE_OFF
    n = max(E, 1)
    st = State(
        t=np.full(E, -1, dtype=np.int64),
        r=np.full(E, -1, dtype=np.int64),
        cell=np.zeros((T, R, 4), dtype=np.int64),
        durc=np.zeros((T, R, max(int(a.prm[N_DURS]), 1)), dtype=np.int64),
        plist=np.zeros((T, n), dtype=np.int64),
        plen=np.zeros(T, dtype=np.int64),
        ppos=np.zeros(E, dtype=np.int64),
        sday=np.zeros((max(n_students, 1), max(int(a.prm[N_DAYS]), 1)) if daily else (1, 1), dtype=np.int64),
        buf=np.zeros(n, dtype=np.int64),
        chain=np.zeros(n, dtype=np.int64),
        flag=np.zeros(n, dtype=np.int64),
        cost=np.zeros(4, dtype=np.int64),
        log=np.zeros((4 * n + 8, 3), dtype=np.int64),
        best=np.full((2, E), -1, dtype=np.int64),
    )
    load(a, st, t, r)
    return st


def load(a: Arrays, st: State, t: np.ndarray, r: np.ndarray) -> None:
    """Place the exams at ``t``, ``r`` (-1 unplaced) and make that the best timetable."""
    _load(*a, *st, np.asarray(t, dtype=np.int64), np.asarray(r, dtype=np.int64))


def cost_of(st: State) -> tuple[int, int]:
    """(soft cost, hard units) of the current timetable."""
    return int(st.cost[SOFT]), int(st.cost[HARD])


def best_of(st: State) -> tuple[int, int]:
    """(soft cost, hard units) of the best timetable."""
    return int(st.cost[BEST_SOFT]), int(st.cost[BEST_HARD])


# --- evaluation -------------------------------------------------------------------------------------


@njit(cache=True)
def _exam_terms(adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, prm, t, e, te, re):
    """Soft cost and hard units involving exam e at (te, re), te >= 0, given the other exams."""
    soft = per[te, PPEN] + room[re, RPEN]
    hard = 0
    for i in range(adj_ptr[e], adj_ptr[e + 1]):
        tj = t[adj_idx[i]]
        if tj == te:
            hard += adj_w[i]
        elif tj >= 0:
            soft += adj_w[i] * pair_cost[te, tj]
    if ex[e, FRONT] and per[te, LATE]:
        soft += prm[FRONT_W]
    if not period_ok[e, te]:
        hard += 1
    for i in range(rel_ptr[e], rel_ptr[e + 1]):
        tj = t[rel[i, 0]]
        kind = rel[i, 1]
        if tj >= 0:
            if kind == EARLIER:
                hard += te <= tj
            elif kind == LATER:
                hard += tj <= te
            elif kind == APART:
                hard += tj == te
            else:
                hard += tj != te
    return soft, hard


@njit(cache=True)
def _cell_terms(cell, room, prm, tt, rr):
    """Soft cost (mixed durations) and hard units (seats over capacity, shared exclusive exams) of
    room rr in period tt."""
    soft = prm[NON_MIXED] * max(cell[tt, rr, NDUR] - 1, 0)
    nexcl = cell[tt, rr, NEXCL]
    hard = max(cell[tt, rr, SEATS] - room[rr, CAP], 0) + (nexcl if cell[tt, rr, COUNT] > 1 else 0)
    return soft, hard


@njit(cache=True)
def _group_units(grp_ptr, grp_idx, per, prm, t, buf, g):
    """Missing free days between consecutive placed exams of group g."""
    m = 0
    for i in range(grp_ptr[g], grp_ptr[g + 1]):
        tj = t[grp_idx[i]]
        if tj >= 0:
            value = per[tj, DAYNUM]
            k = m
            while k > 0 and buf[k - 1] > value:
                buf[k] = buf[k - 1]
                k -= 1
            buf[k] = value
            m += 1
    need = prm[GROUP_NEED]
    units = 0
    for k in range(1, m):
        units += max(need - (buf[k] - buf[k - 1]), 0)
    return units


@njit(cache=True)
def _daily_shift(stu_ptr, stu_idx, prm, sday, e, d1, d2):
    """Update the student-day counters for exam e going from day d1 to d2 (-1: none); return the
    change in exams above the daily limit."""
    units = 0
    limit = prm[DAILY_LIMIT]
    for i in range(stu_ptr[e], stu_ptr[e + 1]):
        s = stu_idx[i]
        if d1 >= 0:
            c = sday[s, d1]
            units -= c > limit
            sday[s, d1] = c - 1
        if d2 >= 0:
            c = sday[s, d2]
            units += c >= limit
            sday[s, d2] = c + 1
    return units


@njit(cache=True)
def _rules_delta(ex, per, grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, sday, buf, e, g0, t1, t2):
    """Soft cost and hard units of the registrar rules changed by exam e having gone from period
    t1 to t2 (-1: unplaced); ``g0`` is its group's count before."""
    ds = 0
    dh = 0
    mode = prm[DAILY_MODE]
    if mode != RULE_OFF:
        d1 = per[t1, DAY] if t1 >= 0 else -1
        d2 = per[t2, DAY] if t2 >= 0 else -1
        if d1 != d2:
            units = _daily_shift(stu_ptr, stu_idx, prm, sday, e, d1, d2)
            if mode == RULE_HARD:
                dh += units
            else:
                ds += units * prm[DAILY_W]
    mode = prm[GROUP_MODE]
    g = ex[e, GROUP]
    if mode != RULE_OFF and g >= 0:
        units = _group_units(grp_ptr, grp_idx, per, prm, t, buf, g) - g0
        if mode == RULE_HARD:
            dh += units
        else:
            ds += units * prm[GROUP_W]
    return ds, dh


@njit(cache=True)
def _group_before(ex, per, grp_ptr, grp_idx, prm, t, buf, e):
    g = ex[e, GROUP]
    return _group_units(grp_ptr, grp_idx, per, prm, t, buf, g) if prm[GROUP_MODE] != RULE_OFF and g >= 0 else 0


@njit(cache=True)
def relocate(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best, e, t2, r2,
):  # fmt: skip
    """Move exam e to period t2, room r2 (-1, -1: unplace it); update the state and its cost.

    Returns (change of soft cost, change of hard units)."""
    t1 = t[e]
    r1 = r[e]
    ds = 0
    dh = 0
    if t1 == t2 and r1 == r2:
        return ds, dh
    d = ex[e, DUR]
    g0 = _group_before(ex, per, grp_ptr, grp_idx, prm, t, buf, e)
    if t1 >= 0:
        s, h = _exam_terms(
            adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, prm, t, e, t1, r1
        )
        ds -= s
        dh -= h
        s, h = _cell_terms(cell, room, prm, t1, r1)
        ds -= s
        dh -= h
        cell[t1, r1, SEATS] -= ex[e, SIZE]
        cell[t1, r1, COUNT] -= 1
        cell[t1, r1, NEXCL] -= ex[e, EXCL]
        durc[t1, r1, d] -= 1
        cell[t1, r1, NDUR] -= durc[t1, r1, d] == 0
        s, h = _cell_terms(cell, room, prm, t1, r1)
        ds += s
        dh += h
        if t1 != t2:
            k = ppos[e]
            last = plist[t1, plen[t1] - 1]
            plist[t1, k] = last
            ppos[last] = k
            plen[t1] -= 1
    if t2 >= 0:
        s, h = _cell_terms(cell, room, prm, t2, r2)
        ds -= s
        dh -= h
        cell[t2, r2, SEATS] += ex[e, SIZE]
        cell[t2, r2, COUNT] += 1
        cell[t2, r2, NEXCL] += ex[e, EXCL]
        cell[t2, r2, NDUR] += durc[t2, r2, d] == 0
        durc[t2, r2, d] += 1
        s, h = _cell_terms(cell, room, prm, t2, r2)
        ds += s
        dh += h
        if t1 != t2:
            plist[t2, plen[t2]] = e
            ppos[e] = plen[t2]
            plen[t2] += 1
    t[e] = t2
    r[e] = r2
    s, h = _rules_delta(ex, per, grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, sday, buf, e, g0, t1, t2)
    ds += s
    dh += h
    if t2 >= 0:
        s, h = _exam_terms(
            adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, prm, t, e, t2, r2
        )
        ds += s
        dh += h
    cost[SOFT] += ds
    cost[HARD] += dh
    return ds, dh


@njit(cache=True)
def _load(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best, t_new, r_new,
):  # fmt: skip
    for e in range(len(t)):
        relocate(
            adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
            grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log,
            best, e, -1, -1,
        )  # fmt: skip
    for e in range(len(t)):
        if t_new[e] >= 0:
            relocate(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, e, t_new[e], r_new[e],
            )  # fmt: skip
    _save_best(t, r, cost, best)


@njit(cache=True)
def _save_best(t, r, cost, best):
    best[0, :] = t
    best[1, :] = r
    cost[BEST_SOFT] = cost[SOFT]
    cost[BEST_HARD] = cost[HARD]


def full_cost(a: Arrays, st: State) -> tuple[int, int]:
    """Soft cost and hard units of the state recomputed from scratch (a check on the deltas)."""
    soft, hard = _full_cost(*a, *st)
    return int(soft), int(hard)


@njit(cache=True)
def _full_cost(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
):  # fmt: skip
    soft = 0
    hard = 0
    for e in range(len(t)):
        te = t[e]
        if te < 0:
            continue
        for i in range(adj_ptr[e], adj_ptr[e + 1]):
            j = adj_idx[i]
            if j > e and t[j] >= 0:
                if t[j] == te:
                    hard += adj_w[i]
                else:
                    soft += adj_w[i] * pair_cost[te, t[j]]
        soft += per[te, PPEN] + room[r[e], RPEN]
        if ex[e, FRONT] and per[te, LATE]:
            soft += prm[FRONT_W]
        if not period_ok[e, te]:
            hard += 1
        for i in range(rel_ptr[e], rel_ptr[e + 1]):
            j = rel[i, 0]
            tj = t[j]
            kind = rel[i, 1]
            if tj < 0:
                continue
            if kind == EARLIER:
                hard += te <= tj
            elif kind == APART and j > e:
                hard += te == tj
            elif kind == TOGETHER and j > e:
                hard += te != tj
    for tt in range(cell.shape[0]):
        for rr in range(cell.shape[1]):
            s, h = _cell_terms(cell, room, prm, tt, rr)
            soft += s
            hard += h
    if prm[DAILY_MODE] != RULE_OFF:
        units = 0
        for s in range(sday.shape[0]):
            for dd in range(sday.shape[1]):
                units += max(sday[s, dd] - prm[DAILY_LIMIT], 0)
        if prm[DAILY_MODE] == RULE_HARD:
            hard += units
        else:
            soft += units * prm[DAILY_W]
    if prm[GROUP_MODE] != RULE_OFF:
        units = 0
        for g in range(len(grp_ptr) - 1):
            units += _group_units(grp_ptr, grp_idx, per, prm, t, buf, g)
        if prm[GROUP_MODE] == RULE_HARD:
            hard += units
        else:
            soft += units * prm[GROUP_W]
    return soft, hard


# --- moves ------------------------------------------------------------------------------------------


@njit(cache=True)
def _best_room(ex, room, prm, t, r, cell, durc, e, tt, strict, hard_w):
    """The room of period tt where exam e adds the least cost (-1 if none, or in strict mode none
    without a hard violation); ties go to the tightest fit."""
    best = -1
    best_score = 1 << 62
    size = ex[e, SIZE]
    d = ex[e, DUR]
    exclusive = ex[e, EXCL]
    non_mixed = prm[NON_MIXED]
    cur = r[e] if t[e] == tt else -1
    for rr in range(room.shape[0]):
        here = rr == cur
        seats = cell[tt, rr, SEATS] - (size if here else 0)
        count = cell[tt, rr, COUNT] - (1 if here else 0)
        nexcl = cell[tt, rr, NEXCL] - (exclusive if here else 0)
        same_dur = durc[tt, rr, d] - (1 if here else 0)
        left = room[rr, CAP] - seats - size
        hard = max(-left, 0) + (1 if count > 0 and (exclusive or nexcl > 0) else 0)
        if strict and hard > 0:
            continue
        soft = room[rr, RPEN] + (non_mixed if count > 0 and same_dur == 0 else 0)
        score = (hard * hard_w + soft) * BIG + min(max(left, 0), BIG - 1)
        if score < best_score:
            best_score = score
            best = rr
    return best


@njit(cache=True)
def _log(t, r, log, n, e):
    log[n, 0] = e
    log[n, 1] = t[e]
    log[n, 2] = r[e]
    return n + 1


@njit(cache=True)
def undo(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best, n,
):  # fmt: skip
    """Undo the last n logged relocations."""
    for k in range(n - 1, -1, -1):
        relocate(
            adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
            grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log,
            best, log[k, 0], log[k, 1], log[k, 2],
        )  # fmt: skip


@njit(cache=True)
def _quick_ok(adj_ptr, adj_idx, period_ok, rel_ptr, rel, t, e, t2):
    """Whether exam e alone could go to period t2 without a conflict, an unavailable period or a
    broken AFTER/EXCLUSION relation (a cheap pre-check for strict moves)."""
    if not period_ok[e, t2]:
        return False
    for i in range(adj_ptr[e], adj_ptr[e + 1]):
        if t[adj_idx[i]] == t2:
            return False
    for i in range(rel_ptr[e], rel_ptr[e + 1]):
        tj = t[rel[i, 0]]
        kind = rel[i, 1]
        if tj >= 0 and ((kind == EARLIER and t2 <= tj) or (kind == LATER and tj <= t2) or (kind == APART and tj == t2)):
            return False
    return True


@njit(cache=True)
def _move(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
    strict, hard_w,
):  # fmt: skip
    """Move a random exam's coincidence block to a random other period."""
    E, T = len(t), len(per)
    e = np.random.randint(E)
    t1 = t[e]
    if T < 2 or t1 < 0:
        return 0, 0, NO_MOVE
    t2 = np.random.randint(T - 1)
    if t2 >= t1:
        t2 += 1
    b = ex[e, BLOCK]
    lo, hi = blk_ptr[b], blk_ptr[b + 1]
    for i in range(lo, hi):
        m = blk_idx[i]
        if not ex[m, MOVABLE] or t[m] != t1:
            return 0, 0, NO_MOVE
        if strict and not _quick_ok(adj_ptr, adj_idx, period_ok, rel_ptr, rel, t, m, t2):
            return 0, 0, NO_MOVE
    n = 0
    ds = 0
    dh = 0
    for i in range(lo, hi):
        m = blk_idx[i]
        r2 = _best_room(ex, room, prm, t, r, cell, durc, m, t2, strict, hard_w)
        if r2 < 0:
            undo(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, n,
            )  # fmt: skip
            return 0, 0, NO_MOVE
        n = _log(t, r, log, n, m)
        s, h = relocate(
            adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
            grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log,
            best, m, t2, r2,
        )  # fmt: skip
        ds += s
        dh += h
    return ds, dh, n


@njit(cache=True)
def _room_move(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best, strict,
):  # fmt: skip
    """An exam to another room of its period, or two exams of one period swap rooms."""
    R = room.shape[0]
    e = np.random.randint(len(t))
    t1 = t[e]
    if R < 2 or t1 < 0 or not ex[e, MOVABLE]:
        return 0, 0, NO_MOVE
    r1 = r[e]
    if np.random.random() < 0.5:
        r2 = np.random.randint(R - 1)
        if r2 >= r1:
            r2 += 1
        if strict and (
            cell[t1, r2, SEATS] + ex[e, SIZE] > room[r2, CAP]
            or (cell[t1, r2, COUNT] > 0 and (ex[e, EXCL] or cell[t1, r2, NEXCL] > 0))
        ):
            return 0, 0, NO_MOVE
        n = _log(t, r, log, 0, e)
        ds, dh = relocate(
            adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
            grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log,
            best, e, t1, r2,
        )  # fmt: skip
        return ds, dh, n
    if plen[t1] < 2:
        return 0, 0, NO_MOVE
    f = plist[t1, np.random.randint(plen[t1])]
    r2 = r[f]
    if f == e or r2 == r1 or not ex[f, MOVABLE]:
        return 0, 0, NO_MOVE
    if strict and (
        cell[t1, r2, SEATS] - ex[f, SIZE] + ex[e, SIZE] > room[r2, CAP]
        or cell[t1, r1, SEATS] - ex[e, SIZE] + ex[f, SIZE] > room[r1, CAP]
    ):
        return 0, 0, NO_MOVE
    n = _log(t, r, log, 0, e)
    ds, dh = relocate(
        adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
        grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
        e, t1, r2,
    )  # fmt: skip
    n = _log(t, r, log, n, f)
    s, h = relocate(
        adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
        grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
        f, t1, r1,
    )  # fmt: skip
    return ds + s, dh + h, n


@njit(cache=True)
def _swap_periods(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
    m, t1, t2, strict, hard_w,
):  # fmt: skip
    """Send the m exams in ``chain`` from t1 to t2 and from t2 to t1, each keeping its room where it
    fits, else into the best room with space; return (soft, hard, logged) or NO_MOVE."""
    if strict:
        for k in range(m):
            x = chain[k]
            if not period_ok[x, t2 if t[x] == t1 else t1]:
                return 0, 0, NO_MOVE
    n = 0
    ds = 0
    dh = 0
    for k in range(m):
        x = chain[k]
        n = _log(t, r, log, n, x)
        other = t2 if t[x] == t1 else t1
        s, h = relocate(
            adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
            grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log,
            best, x, other, r[x],
        )  # fmt: skip
        ds += s
        dh += h
    if room.shape[0] > 1:
        for k in range(m):
            x = chain[k]
            tx, rx = t[x], r[x]
            if cell[tx, rx, SEATS] > room[rx, CAP] or (cell[tx, rx, COUNT] > 1 and cell[tx, rx, NEXCL] > 0):
                r2 = _best_room(ex, room, prm, t, r, cell, durc, x, tx, strict, hard_w)
                if r2 >= 0 and r2 != rx:
                    n = _log(t, r, log, n, x)
                    s, h = relocate(
                        adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr,
                        blk_idx, grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday,
                        buf, chain, flag, cost, log, best, x, tx, r2,
                    )  # fmt: skip
                    ds += s
                    dh += h
    return ds, dh, n


@njit(cache=True)
def _kempe_chain(adj_ptr, adj_idx, ex, blk_ptr, blk_idx, t, chain, flag, e, t1, t2, max_chain):
    """Fill ``chain`` with the Kempe chain of exam e between periods t1 and t2 (neighbours in the
    conflict graph and coincidence blocks); return its length, or -1 if it holds an exam that may
    not move or grows beyond ``max_chain``."""
    chain[0] = e
    flag[e] = 1
    m = 1
    head = 0
    ok = True
    while head < m and ok:
        x = chain[head]
        head += 1
        if not ex[x, MOVABLE] or m > max_chain:
            ok = False
            break
        b = ex[x, BLOCK]
        for i in range(blk_ptr[b], blk_ptr[b + 1]):
            y = blk_idx[i]
            if flag[y] == 0 and (t[y] == t1 or t[y] == t2):
                flag[y] = 1
                chain[m] = y
                m += 1
        for i in range(adj_ptr[x], adj_ptr[x + 1]):
            y = adj_idx[i]
            if flag[y] == 0 and (t[y] == t1 or t[y] == t2):
                flag[y] = 1
                chain[m] = y
                m += 1
    for k in range(m):
        flag[chain[k]] = 0
    return m if ok else -1


@njit(cache=True)
def _kempe(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
    strict, hard_w, max_chain,
):  # fmt: skip
    """Kempe chain between the period of a random exam and a random other period."""
    T = len(per)
    e = np.random.randint(len(t))
    t1 = t[e]
    if T < 2 or t1 < 0:
        return 0, 0, NO_MOVE
    t2 = np.random.randint(T - 1)
    if t2 >= t1:
        t2 += 1
    m = _kempe_chain(adj_ptr, adj_idx, ex, blk_ptr, blk_idx, t, chain, flag, e, t1, t2, max_chain)
    if m < 0:
        return 0, 0, NO_MOVE
    return _swap_periods(
        adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
        grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
        m, t1, t2, strict, hard_w,
    )  # fmt: skip


@njit(cache=True)
def _period_swap(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
    strict, hard_w,
):  # fmt: skip
    """Every exam of two random periods changes period (rooms kept where they fit)."""
    T = len(per)
    if T < 2:
        return 0, 0, NO_MOVE
    t1 = np.random.randint(T)
    t2 = np.random.randint(T - 1)
    if t2 >= t1:
        t2 += 1
    m = 0
    for k in range(plen[t1]):
        chain[m] = plist[t1, k]
        m += 1
    for k in range(plen[t2]):
        chain[m] = plist[t2, k]
        m += 1
    for k in range(m):
        if not ex[chain[k], MOVABLE]:
            return 0, 0, NO_MOVE
    if m == 0:
        return 0, 0, NO_MOVE
    return _swap_periods(
        adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
        grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
        m, t1, t2, strict, hard_w,
    )  # fmt: skip


def anneal(
    a: Arrays,
    st: State,
    iterations: int,
    temp_start: float,
    temp_end: float,
    seed: int,
    probs: np.ndarray,
    strict: bool,
    hard_w: int,
    max_chain: int,
) -> int:
    """Simulated annealing for ``iterations`` moves, the temperature going geometrically from
    ``temp_start`` to ``temp_end``. ``probs``: shares of move, room, Kempe and period-swap moves.

    The best timetable (fewest hard units, then least soft cost) is kept in ``st.best``. Returns
    the number of accepted moves."""
    return int(_anneal(*a, *st, iterations, temp_start, temp_end, seed, probs, strict, hard_w, max_chain))


@njit(cache=True, nogil=True)
def _anneal(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
    iterations, temp_start, temp_end, seed, probs, strict, hard_w, max_chain,
):  # fmt: skip
    np.random.seed(seed)
    ratio = temp_end / temp_start
    temp = temp_start
    c_move = probs[0]
    c_room = c_move + probs[1]
    c_kempe = c_room + probs[2]
    accepted = 0
    for it in range(iterations):
        if it % 1000 == 0:
            temp = temp_start * ratio ** (it / iterations)
        x = np.random.random()
        if x < c_move:
            ds, dh, n = _move(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, strict, hard_w,
            )  # fmt: skip
        elif x < c_room:
            ds, dh, n = _room_move(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, strict,
            )  # fmt: skip
        elif x < c_kempe:
            ds, dh, n = _kempe(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, strict, hard_w, max_chain,
            )  # fmt: skip
        else:
            ds, dh, n = _period_swap(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, strict, hard_w,
            )  # fmt: skip
        if n == NO_MOVE:
            continue
        delta = ds + hard_w * dh
        if (strict and dh > 0) or (delta > 0 and np.random.random() >= np.exp(-delta / temp)):
            undo(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, n,
            )  # fmt: skip
            continue
        accepted += 1
        if cost[HARD] < cost[BEST_HARD] or (cost[HARD] == cost[BEST_HARD] and cost[SOFT] < cost[BEST_SOFT]):
            _save_best(t, r, cost, best)
    return accepted


# --- construction -----------------------------------------------------------------------------------


def greedy(a: Arrays, st: State, order: np.ndarray, seed: int, hard_w: int) -> None:
    """Place the unplaced exams block by block in ``order`` (exam indices; a block goes with its
    first listed exam), each block in the period where it adds the fewest hard units, then the
    least cost (random ties), each exam in its best room. The result becomes the best."""
    _greedy(*a, *st, np.asarray(order, dtype=np.int64), seed, hard_w)


@njit(cache=True)
def _greedy(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best,
    order, seed, hard_w,
):  # fmt: skip
    np.random.seed(seed)
    T = len(per)
    for e in order:
        if t[e] >= 0:
            continue
        b = ex[e, BLOCK]
        lo, hi = blk_ptr[b], blk_ptr[b + 1]
        best_t = -1
        best_score = np.inf
        for tt in range(T):
            n = 0
            ds = 0
            dh = 0
            for i in range(lo, hi):
                m = blk_idx[i]
                if t[m] >= 0:
                    continue
                rr = _best_room(ex, room, prm, t, r, cell, durc, m, tt, False, hard_w)
                n = _log(t, r, log, n, m)
                s, h = relocate(
                    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                    grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain,
                    flag, cost, log, best, m, tt, rr,
                )  # fmt: skip
                ds += s
                dh += h
            undo(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, n,
            )  # fmt: skip
            score = dh * float(hard_w) + ds + np.random.random()
            if score < best_score:
                best_score = score
                best_t = tt
        for i in range(lo, hi):
            m = blk_idx[i]
            if t[m] < 0:
                rr = _best_room(ex, room, prm, t, r, cell, durc, m, best_t, False, hard_w)
                relocate(
                    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                    grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain,
                    flag, cost, log, best, m, best_t, rr,
                )  # fmt: skip
    _save_best(t, r, cost, best)


def sample_deltas(a: Arrays, st: State, n: int, seed: int) -> np.ndarray:
    """Soft cost increases of up to ``n`` random strict single and Kempe moves, each undone."""
    out = np.zeros(n, dtype=np.int64)
    m = _sample(*a, *st, out, seed)
    return out[:m]


@njit(cache=True)
def _sample(
    adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr, grp_idx,
    stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log, best, out, seed,
):  # fmt: skip
    np.random.seed(seed)
    m = 0
    for _ in range(20 * len(out)):
        if m >= len(out):
            break
        if np.random.random() < 0.5:
            ds, dh, n = _move(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, True, 1,
            )  # fmt: skip
        else:
            ds, dh, n = _kempe(
                adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx,
                grp_ptr, grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag,
                cost, log, best, True, 1, len(t),
            )  # fmt: skip
        if n == NO_MOVE:
            continue
        if dh <= 0 and ds > 0:
            out[m] = ds
            m += 1
        undo(
            adj_ptr, adj_idx, adj_w, pair_cost, ex, period_ok, per, room, rel_ptr, rel, blk_ptr, blk_idx, grp_ptr,
            grp_idx, stu_ptr, stu_idx, prm, t, r, cell, durc, plist, plen, ppos, sday, buf, chain, flag, cost, log,
            best, n,
        )  # fmt: skip
    return m
