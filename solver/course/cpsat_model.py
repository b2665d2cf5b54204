"""The CP-SAT model of course timetabling: a boolean per course, period and allowed room.

``x[c, t, r]`` is true when course c has a lecture in room r at period t. Each constraint family
is one function that adds its constraints and returns its objective terms. The model can fix
part of a timetable (``fixed``): the large-neighbourhood search frees a few courses or days and
lets CP-SAT re-place them optimally around the rest.

Objective terms cover the ITC2007 costs (capacity, suitability, minimum working days, isolated
lectures, room stability), windows, group and teacher daily loads; double lectures and travel
distance are left to the annealer (CP-SAT sees them as zero).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from solver.course.anneal import W_ISO, W_LOAD, W_MWD, W_STAB, W_TLOAD, W_WIN
from solver.course.problem import HARD_WEIGHT, Problem

Term = tuple[int, cp_model.LinearExprT]


@dataclass
class TimetableVars:
    """Variables of the model with readable access."""

    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    by_course_period: dict[tuple[int, int], list[cp_model.IntVar]] = field(default_factory=lambda: defaultdict(list))
    by_room_period: dict[tuple[int, int], list[cp_model.IntVar]] = field(default_factory=lambda: defaultdict(list))
    busy: dict[tuple[int, int], cp_model.LinearExprT] = field(default_factory=dict)
    """course, period -> 0/1 expression: the course has a lecture then."""

    def extract(self, solver: cp_model.CpSolver, problem: Problem) -> tuple[np.ndarray, np.ndarray]:
        """Lecture periods and rooms in lecture order (lectures of a course by period)."""
        per_course: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (c, t, r), var in self.x.items():
            if solver.boolean_value(var):
                per_course[c].append((t, r))
        lec_t, lec_r = [], []
        for c in range(problem.n_courses):
            for t, r in sorted(per_course[c]):
                lec_t.append(t)
                lec_r.append(r)
        return np.array(lec_t, dtype=np.int64), np.array(lec_r, dtype=np.int64)


def build_model(
    problem: Problem,
    free: np.ndarray | None = None,
    current: tuple[np.ndarray, np.ndarray] | None = None,
    with_objective: bool = True,
    assumptions: dict[str, cp_model.IntVar] | None = None,
    periods: np.ndarray | None = None,
) -> tuple[cp_model.CpModel, TimetableVars, list[Term]]:
    """Build the model. With ``free`` (bool per lecture) and ``current`` (lecture periods and
    rooms), every lecture not free is fixed where it is and only free ones are decided.
    With ``periods`` (the period of every lecture), the times are fixed and only rooms are decided.

    With ``assumptions`` (filled in here), each course's lecture count and each curriculum's and
    teacher's no-overlap rule hold only under a named literal, so that an infeasible instance
    can be explained by a small set of them."""
    model = cp_model.CpModel()
    v = TimetableVars()
    fixed_at: dict[int, set[tuple[int, int]]] = defaultdict(set)
    n_free = problem.lectures.copy()
    if free is not None and current is not None:
        lec_c = problem.lecture_course()
        for lec in np.flatnonzero(~free):
            fixed_at[int(lec_c[lec])].add((int(current[0][lec]), int(current[1][lec])))
            n_free[lec_c[lec]] -= 1
    allowed = None
    if periods is not None:
        allowed = set(zip(problem.lecture_course().tolist(), np.asarray(periods).tolist(), strict=True))
    _add_variables(problem, model, v, fixed_at, n_free, allowed)
    _lecture_count(problem, model, v, assumptions)
    _room_occupancy(problem, model, v)
    _conflicts(problem, model, v, assumptions)
    terms: list[Term] = []
    if with_objective:
        terms += _lecture_costs(problem, v)
        terms += _room_stability(problem, model, v)
        if periods is None:  # with the times fixed, the time-dependent costs are constants
            terms += _min_working_days(problem, model, v)
            terms += _curriculum_days(problem, model, v)
    if periods is None:
        terms += _teacher_daily_load(problem, model, v)
    if terms:
        model.minimize(sum(w * e for w, e in terms))
    return model, v, terms


def _add_variables(problem, model, v, fixed_at, n_free, allowed=None) -> None:
    """x[c, t, r] for available periods (among ``allowed`` course-period pairs, if given) and
    allowed rooms; fixed lectures pinned to 1."""
    rooms = [np.flatnonzero(problem.room_ok[c]) for c in range(problem.n_courses)]
    for c in range(problem.n_courses):
        pinned = fixed_at.get(c, set())
        pinned_t = {t for t, _ in pinned}
        for t in range(problem.n_periods):
            if t in pinned_t:
                r = next(r for tt, r in pinned if tt == t)
                var = model.new_constant(1)
                v.x[(c, t, r)] = var
                v.by_course_period[(c, t)].append(var)
                v.by_room_period[(r, t)].append(var)
                continue
            if not problem.available[c, t] or n_free[c] == 0 or (allowed is not None and (c, t) not in allowed):
                continue
            for r in rooms[c]:
                var = model.new_bool_var(f"x_c{c}_t{t}_r{r}")
                v.x[(c, t, int(r))] = var
                v.by_course_period[(c, t)].append(var)
                v.by_room_period[(int(r), t)].append(var)
        for t in range(problem.n_periods):
            vars_ = v.by_course_period.get((c, t))
            if vars_:
                v.busy[(c, t)] = sum(vars_) if len(vars_) > 1 else vars_[0]


def _lecture_count(problem, model, v, assumptions=None) -> list[Term]:
    # Every course gets exactly its weekly lectures, at most one per period.
    for c in range(problem.n_courses):
        busy = [v.busy[(c, t)] for t in range(problem.n_periods) if (c, t) in v.busy]
        count = model.add(sum(busy) == int(problem.lectures[c]))
        if assumptions is not None:
            lit = assumptions[f"course:{problem.instance.courses[c].id}"] = model.new_bool_var(f"course_{c}")
            count.only_enforce_if(lit)
        for t in range(problem.n_periods):
            vars_ = v.by_course_period.get((c, t), [])
            if len(vars_) > 1:
                model.add_at_most_one(vars_)
    return []


def _room_occupancy(problem, model, v) -> list[Term]:
    # A room holds at most one lecture per period.
    for vars_ in v.by_room_period.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    return []


def _conflicts(problem, model, v, assumptions=None) -> list[Term]:
    # Courses of a curriculum, and courses of a teacher, never overlap.
    inst = problem.instance
    groups = [(f"curriculum:{inst.curricula[q].id}", list(problem.courses_of(q))) for q in range(problem.n_curricula)]
    by_teacher: dict[int, list[int]] = defaultdict(list)
    for c in range(problem.n_courses):
        by_teacher[int(problem.teacher[c])].append(c)
    groups += [(f"teacher:{inst.teachers[k].id}", cs) for k, cs in by_teacher.items() if len(cs) > 1]
    for name, courses in groups:
        lit = None
        if assumptions is not None:
            lit = assumptions[name] = model.new_bool_var(name)
        for t in range(problem.n_periods):
            vars_ = [x for c in courses for x in v.by_course_period.get((int(c), t), [])]
            if len(vars_) > 1:
                if lit is None:
                    model.add_at_most_one(vars_)
                else:
                    model.add(sum(vars_) <= 1).only_enforce_if(lit)
    return []


def _lecture_costs(problem, v) -> list[Term]:
    """Room capacity and soft room suitability, per lecture."""
    return [(int(problem.lecture_cost[c, r]), var) for (c, _, r), var in v.x.items() if problem.lecture_cost[c, r]]


def _day_used(model, busy: list) -> cp_model.IntVar:
    used = model.new_bool_var("")
    model.add_max_equality(used, busy)
    return used


def _min_working_days(problem, model, v) -> list[Term]:
    """Days missing below a course's minimum working days."""
    w = int(problem.weights[W_MWD])
    if not w:
        return []
    terms: list[Term] = []
    for c in range(problem.n_courses):
        need = int(problem.min_days[c])
        if need <= 1:
            continue
        days = []
        for d in range(problem.n_days):
            busy = [v.busy[(c, t)] for t in range(d * problem.ppd, (d + 1) * problem.ppd) if (c, t) in v.busy]
            if busy:
                days.append(_day_used(model, busy))
        missing = model.new_int_var(0, need, f"mwd_missing_c{c}")
        model.add(sum(days) + missing >= need)
        terms.append((w, missing))
    return terms


def _room_stability(problem, model, v) -> list[Term]:
    """Rooms beyond the first used by a course."""
    w = int(problem.weights[W_STAB])
    if not w:
        return []
    uses: dict[tuple[int, int], list] = defaultdict(list)
    for (c, _, r), var in v.x.items():
        uses[(c, r)].append(var)
    terms: list[Term] = []
    per_course: dict[int, list] = defaultdict(list)
    for (c, r), vars_ in uses.items():
        used = model.new_bool_var(f"uses_c{c}_r{r}")
        for var in vars_:
            model.add_implication(var, used)
        per_course[c].append(used)
    for c, used in per_course.items():
        if problem.lectures[c] > 0:
            extra = model.new_int_var(0, len(used), f"extra_rooms_c{c}")
            model.add(extra >= sum(used) - 1)
            terms.append((w, extra))
    return terms


def _curriculum_days(problem, model, v) -> list[Term]:
    """Isolated lectures, windows and daily load of each curriculum."""
    w_iso, w_win, w_load = (int(problem.weights[i]) for i in (W_ISO, W_WIN, W_LOAD))
    terms: list[Term] = []
    ppd = problem.ppd
    for q in range(problem.n_curricula):
        courses = [int(c) for c in problem.courses_of(q)]
        occ: dict[int, cp_model.LinearExprT] = {}
        for t in range(problem.n_periods):
            busy = [v.busy[(c, t)] for c in courses if (c, t) in v.busy]
            if busy:
                occ[t] = sum(busy) if len(busy) > 1 else busy[0]
        for d in range(problem.n_days):
            day = [occ.get(t, 0) for t in range(d * ppd, (d + 1) * ppd)]
            if all(isinstance(e, int) for e in day):
                continue
            if w_iso:
                for p in range(ppd):
                    if isinstance(day[p], int):
                        continue
                    left = day[p - 1] if p > 0 else 0
                    right = day[p + 1] if p < ppd - 1 else 0
                    iso = model.new_bool_var(f"iso_q{q}_t{d * ppd + p}")
                    model.add(iso >= day[p] - left - right)
                    terms.append((w_iso, iso))
            if w_win:
                terms += _windows(model, day, w_win, q, d)
            if w_load:
                terms += _daily_load(problem, model, day, w_load, q, d)
    return terms


def _windows(model, day: list, w: int, q: int, d: int) -> list[Term]:
    """Free periods between the first and the last lecture of the day."""
    terms: list[Term] = []
    n = len(day)
    for p in range(1, n - 1):
        before = model.new_bool_var("")
        after = model.new_bool_var("")
        model.add_max_equality(before, [model.new_constant(0), *[_as_var(model, e) for e in day[:p]]])
        model.add_max_equality(after, [model.new_constant(0), *[_as_var(model, e) for e in day[p + 1 :]]])
        gap = model.new_bool_var(f"window_q{q}_d{d}_p{p}")
        model.add(gap >= before + after - 1 - day[p])
        terms.append((w, gap))
    return terms


def _as_var(model, expr) -> cp_model.IntVar:
    if isinstance(expr, int):
        return model.new_constant(expr)
    if isinstance(expr, cp_model.IntVar):
        return expr
    var = model.new_bool_var("")
    model.add(var == expr)
    return var


def _daily_load(problem, model, day: list, w: int, q: int, d: int) -> list[Term]:
    """Lectures below the minimum or above the maximum on a day with lectures."""
    low, high = int(problem.q_min[q]), int(problem.q_max[q])
    total = sum(day)
    terms: list[Term] = []
    if high < len(day):
        over = model.new_int_var(0, len(day), f"load_over_q{q}_d{d}")
        model.add(over >= total - high)
        terms.append((w, over))
    if low > 1:
        has = model.new_bool_var("")
        model.add_max_equality(has, [_as_var(model, e) for e in day])
        under = model.new_int_var(0, low, f"load_under_q{q}_d{d}")
        model.add(under >= low - total).only_enforce_if(has)
        terms.append((w, under))
    return terms


def _teacher_daily_load(problem, model, v) -> list[Term]:
    """A teacher's lectures in a day above the maximum (hard rules become constraints)."""
    w = int(problem.weights[W_TLOAD])
    if not w:
        return []
    by_teacher: dict[int, list[int]] = defaultdict(list)
    for c in range(problem.n_courses):
        by_teacher[int(problem.teacher[c])].append(c)
    terms: list[Term] = []
    for k, courses in by_teacher.items():
        high = int(problem.t_max[k])
        if high >= problem.ppd:
            continue
        for d in range(problem.n_days):
            busy = [v.busy[(c, t)] for c in courses for t in range(d * problem.ppd, (d + 1) * problem.ppd)
                    if (c, t) in v.busy]  # fmt: skip
            if len(busy) <= high:
                continue
            if w >= HARD_WEIGHT:
                model.add(sum(busy) <= high)
            else:
                over = model.new_int_var(0, len(busy), f"teacher_over_k{k}_d{d}")
                model.add(over >= sum(busy) - high)
                terms.append((w, over))
    return terms


def build_time_model(problem: Problem) -> tuple[cp_model.CpModel, TimetableVars, list[Term]]:
    """The time-only relaxation: a boolean per course and period, rooms counted, not assigned.

    Per period, the lectures that need at least a given capacity are at most the rooms that have it
    (:func:`_room_counts`), so a room assignment without capacity cost usually exists; room
    stability is invisible here and is left to the room step (``build_model(periods=...)``).
    Objective: every time-dependent term of :func:`build_model`.
    """
    model = cp_model.CpModel()
    v = TimetableVars()
    for c in range(problem.n_courses):
        if problem.lectures[c] == 0:
            continue
        for t in range(problem.n_periods):
            if problem.available[c, t]:
                y = model.new_bool_var(f"y_c{c}_t{t}")
                v.busy[(c, t)] = y
                v.by_course_period[(c, t)].append(y)
    _lecture_count(problem, model, v)
    _conflicts(problem, model, v)
    _room_counts(problem, model, v)
    terms = _min_working_days(problem, model, v) + _curriculum_days(problem, model, v)
    terms += _teacher_daily_load(problem, model, v)
    if terms:
        model.minimize(sum(w * e for w, e in terms))
    return model, v, terms


def _room_counts(problem, model, v) -> list[Term]:
    """Per period and allowed-room set A: lectures whose rooms lie in A and need at least capacity s
    are at most the rooms of A with capacity s or more (a necessary condition for a room assignment
    without capacity cost; sufficient when all courses may use the same rooms, as in ITC2007).

    A course larger than all its rooms counts as the size of its largest room (it pays that capacity
    cost in every assignment)."""
    capacity = np.array([room.capacity for room in problem.instance.rooms], dtype=np.int64)
    allowed_sets = {tuple(np.flatnonzero(row)) for row in problem.room_ok}
    need = np.zeros(problem.n_courses, dtype=np.int64)
    for c in range(problem.n_courses):
        rooms = np.flatnonzero(problem.room_ok[c])
        need[c] = min(int(problem.students[c]), int(capacity[rooms].max())) if len(rooms) else 0
    for rooms in allowed_sets:
        inside = set(rooms)
        courses = [c for c in range(problem.n_courses) if set(np.flatnonzero(problem.room_ok[c])) <= inside]
        for s in sorted({int(need[c]) for c in courses}):
            big = [c for c in courses if need[c] >= s]
            n_rooms = int(sum(1 for r in rooms if capacity[r] >= s))
            for t in range(problem.n_periods):
                vars_ = [v.busy[(c, t)] for c in big if (c, t) in v.busy]
                if len(vars_) > n_rooms:
                    model.add(sum(vars_) <= n_rooms)
    return []
