"""Why an examination session cannot be scheduled, in terms an exam coordinator understands.

First cheap arguments, each naming exams, students, rooms or relations (:func:`counting_reasons`):

- an exam longer than every period it may use, or larger than every room;
- contradictory relations: a cycle of AFTER relations, a chain of AFTER relations longer than the
  session, exams that must coincide but must not (EXCLUSION, AFTER), that share students (a
  coincidence chain joining two exams with common students), or that fit no common period;
- a set of exams that pairwise share students (or must be apart) and is larger than the number of
  periods they may use (a clique of the conflict graph, networkx; Hall's condition against the
  periods each exam may use), with the students involved;
- a room demand above the capacity in every period: the exams larger than c students need more
  seats in rooms above c seats than the session offers, or more exclusive rooms than exist;
- a hard registrar rule no timetable can keep (a student's exams above the daily limit times the
  days; a group's exams spaced by the free days beyond the session's length).

If none applies but CP-SAT proves the session infeasible, :func:`conflicting_constraints` finds a
small set of constraint groups that cannot hold together (assumption literals, then deletion of
those not needed), which :func:`describe_core` turns into sentences.
"""

from __future__ import annotations

import time
from collections import defaultdict
from itertools import combinations

import networkx as nx
import numpy as np
from ortools.sat.python import cp_model

from solver.exam.construct import configure
from solver.exam.cpsat_model import build_period_model
from solver.exam.problem import (
    APART,
    BLOCK,
    CAP,
    DAILY_LIMIT,
    DAILY_MODE,
    DAYNUM,
    EARLIER,
    EXCL,
    GROUP_MODE,
    GROUP_NEED,
    RULE_HARD,
    SIZE,
    TOGETHER,
    ExamProblem,
)

MAX_NAMED_STUDENTS = 10
"""Students listed by id in a clique explanation (the rest are counted)."""
CLIQUE_TIME = 5.0
"""Seconds allowed for the exact maximum clique search (a greedy clique otherwise)."""


def counting_reasons(problem: ExamProblem) -> list[str]:
    """Necessary conditions that fail, each a sentence naming what cannot fit."""
    reasons: list[str] = []
    reasons += _exam_reasons(problem)
    reasons += _relation_reasons(problem)
    if not reasons:
        reasons += _clique_reasons(problem)
    if not any("largest room" in r for r in reasons):
        reasons += _capacity_reasons(problem)
    reasons += _rule_reasons(problem)
    return reasons


def _name(problem: ExamProblem, e: int) -> str:
    return problem.instance.exams[e].id


def _names(problem: ExamProblem, exams) -> str:
    return ", ".join(_name(problem, e) for e in exams)


def _exam_reasons(problem: ExamProblem) -> list[str]:
    inst, a = problem.instance, problem.arrays
    out = []
    longest = max((p.duration for p in inst.periods if p.duration is not None), default=None)
    for e, exam in enumerate(inst.exams):
        if a.period_ok[e].any():
            continue
        if longest is not None and exam.duration > longest:
            out.append(f"exam {exam.id} lasts {exam.duration} min but the longest period is {longest} min")
        else:
            out.append(f"exam {exam.id} is unavailable in every period it fits")
    if not problem.toronto:
        largest = int(a.room[:, CAP].max()) if problem.n_rooms else 0
        for exam in inst.exams:
            if exam.size > largest:
                out.append(f"exam {exam.id} has {exam.size} students but the largest room seats {largest}")
    return out


def _relation_reasons(problem: ExamProblem) -> list[str]:
    inst, a = problem.instance, problem.arrays
    out = []
    blocks = problem.blocks()
    block_of = a.ex[:, BLOCK]
    for block in blocks:
        if len(block) < 2:
            continue
        names = _names(problem, block)
        for x, y in combinations(block, 2):
            shared = inst.exams[x].students & inst.exams[y].students
            if shared:
                out.append(
                    f"exams {names} must be in the same period (coincidence), but {_name(problem, x)} and "
                    f"{_name(problem, y)} share {len(shared)} student(s): {_students(shared)}"
                )
        if not a.period_ok[block].all(axis=0).any():
            out.append(f"exams {names} must be in the same period (coincidence), but no period suits them all")
        seats = int(a.ex[block, SIZE].sum())
        total = int(a.room[:, CAP].sum())
        if not problem.toronto and seats > total:
            out.append(f"exams {names} must be in the same period (coincidence) and need {seats} seats, "
                       f"but the rooms seat {total} in a period")  # fmt: skip
    after = nx.DiGraph()
    after.add_nodes_from(range(len(blocks)))
    for e in range(problem.n_exams):
        for i in range(a.rel_ptr[e], a.rel_ptr[e + 1]):
            j, kind = int(a.rel[i, 0]), int(a.rel[i, 1])
            if block_of[e] == block_of[j] and ((kind == APART and e < j) or kind == EARLIER):
                what = "one after the other" if kind == EARLIER else "in different periods"
                out.append(f"exams {_name(problem, e)} and {_name(problem, j)} must be in the same period "
                           f"(coincidence) and {what}")  # fmt: skip
            if kind == EARLIER and block_of[e] != block_of[j]:
                after.add_edge(int(block_of[j]), int(block_of[e]))  # j's block before e's block
    for cycle in nx.simple_cycles(after):
        exams = [blocks[b][0] for b in cycle]
        chain = " after ".join(_name(problem, e) for e in [*reversed(exams), exams[-1]])
        out.append(f"the AFTER relations form a cycle: {chain}")
        break
    else:
        if after.number_of_edges():
            path = nx.dag_longest_path(after)
            if len(path) > problem.n_periods:
                chain = " before ".join(_name(problem, blocks[b][0]) for b in path)
                out.append(
                    f"the AFTER relations chain {len(path)} exams ({chain}), each in a later period, "
                    f"but the session has {problem.n_periods} periods"
                )
    return out


def _students(students) -> str:
    listed = sorted(students, key=lambda s: (len(s), s))
    text = ", ".join(listed[:MAX_NAMED_STUDENTS])
    if len(listed) > MAX_NAMED_STUDENTS:
        text += f" and {len(listed) - MAX_NAMED_STUDENTS} more"
    return text


def separation_graph(problem: ExamProblem) -> tuple[nx.Graph, list[list[int]]]:
    """Coincidence blocks as nodes; an edge when two blocks must be in different periods (their
    exams share students, or an EXCLUSION or AFTER relation joins them)."""
    a = problem.arrays
    blocks = problem.blocks()
    block_of = a.ex[:, BLOCK]
    graph = nx.Graph()
    graph.add_nodes_from(range(len(blocks)))
    for e in range(problem.n_exams):
        for j in problem.graph.neighbours(e):
            if block_of[e] != block_of[j]:
                graph.add_edge(int(block_of[e]), int(block_of[j]))
        for i in range(a.rel_ptr[e], a.rel_ptr[e + 1]):
            j, kind = int(a.rel[i, 0]), int(a.rel[i, 1])
            if kind != TOGETHER and block_of[e] != block_of[j]:
                graph.add_edge(int(block_of[e]), int(block_of[j]))
    return graph, blocks


def largest_clique(graph: nx.Graph, time_limit: float = CLIQUE_TIME) -> list[int]:
    """A maximum clique if networkx finds one within ``time_limit`` seconds (enumerating maximal
    cliques), else the largest found (at least the best greedy clique)."""
    best: list[int] = []
    degree = dict(graph.degree())
    for start in sorted(graph.nodes, key=lambda v: -degree[v])[:30]:
        clique = [start]
        candidates = set(graph.neighbors(start))
        while candidates:
            v = max(candidates, key=lambda c: (degree[c], -c))
            clique.append(v)
            candidates &= set(graph.neighbors(v))
        if len(clique) > len(best):
            best = clique
    end = time.monotonic() + time_limit
    for clique in nx.find_cliques(graph):
        if len(clique) > len(best):
            best = clique
        if time.monotonic() > end:
            break
    return sorted(best)


def _clique_reasons(problem: ExamProblem) -> list[str]:
    graph, blocks = separation_graph(problem)
    if graph.number_of_nodes() == 0:
        return []
    clique = largest_clique(graph)
    a = problem.arrays
    periods = {b: set(np.flatnonzero(a.period_ok[blocks[b]].all(axis=0)).tolist()) for b in clique}
    matching = nx.bipartite.hopcroft_karp_matching(_hall_graph(clique, periods), top_nodes=[("b", b) for b in clique])
    matched = sum(1 for b in clique if ("b", b) in matching)
    if matched == len(clique):
        return []
    exams = [blocks[b][0] for b in clique]
    inst = problem.instance
    students = set()
    for x, y in combinations(exams, 2):
        students |= inst.exams[x].students & inst.exams[y].students
    usable = set().union(*periods.values())
    where = (
        f"the session has {problem.n_periods} periods"
        if len(usable) == problem.n_periods
        else f"only {len(usable)} periods suit them"
    )
    return [
        f"exams {_names(problem, exams)} pairwise share students or must be apart: {len(clique)} exams need "
        f"{len(clique)} different periods but {where}; students involved: {_students(students) or 'none'}"
    ]


def _hall_graph(clique: list[int], periods: dict[int, set[int]]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(("b", b) for b in clique)
    for b in clique:
        for t in periods[b]:
            graph.add_edge(("b", b), ("t", t))
    return graph


def _capacity_reasons(problem: ExamProblem) -> list[str]:
    if problem.toronto or problem.n_exams == 0:
        return []
    a = problem.arrays
    T = problem.n_periods
    cap = a.room[:, CAP]
    size = a.ex[:, SIZE]
    out = []
    for level in sorted({0, *(int(c) for c in cap)}):
        big = size > level
        need = int(size[big].sum())
        offer = int(cap[cap > level].sum()) * T
        if big.any() and need > offer:
            who = "the exams" if level == 0 else f"the {int(big.sum())} exams with more than {level} students"
            rooms = "the rooms" if level == 0 else f"the rooms of more than {level} seats"
            out.append(
                f"{who} need {need} seats in {rooms}, but those rooms offer {offer} over the session "
                f"({int(cap[cap > level].sum())} seats x {T} periods)"
            )
            break
    exclusive = int(a.ex[:, EXCL].sum())
    if exclusive > T * problem.n_rooms:
        out.append(
            f"{exclusive} exams need a room to themselves but the session has {problem.n_rooms} rooms x {T} periods"
        )
    return out


def _rule_reasons(problem: ExamProblem) -> list[str]:
    inst, a = problem.instance, problem.arrays
    out = []
    if a.prm[DAILY_MODE] == RULE_HARD:
        limit, days = int(a.prm[DAILY_LIMIT]), problem.n_days
        for student, exams in sorted(inst.student_exams.items()):
            if len(exams) > limit * days:
                out.append(
                    f"student {student} sits {len(exams)} exams, but at most {limit} a day over {days} days "
                    f"allows {limit * days}"
                )
                break
    if a.prm[GROUP_MODE] == RULE_HARD:
        need = int(a.prm[GROUP_NEED])
        span = int(a.per[:, DAYNUM].max() - a.per[:, DAYNUM].min()) + 1 if problem.n_periods else 0
        groups = sorted({e.group for e in inst.exams if e.group is not None})
        for g, group in enumerate(groups):
            k = int(a.grp_ptr[g + 1] - a.grp_ptr[g])
            if k > 1 and (k - 1) * need + 1 > span:
                out.append(
                    f"group {group} has {k} exams; with {need - 1} free days between them they need "
                    f"{(k - 1) * need + 1} days, but the session spans {span}"
                )
    return out


# --- CP-SAT core -----------------------------------------------------------------------------------


def conflicting_constraints(
    problem: ExamProblem, time_limit: float = 30.0, *, seed: int = 0, params: str | None = None
) -> list[str] | None:
    """A small set of constraint groups that cannot all hold (names from
    :func:`~solver.exam.cpsat_model.build_period_model` with ``assume=True``), or None if CP-SAT
    did not prove infeasibility in time. The core CP-SAT returns is shrunk by trying to drop each
    group (while time remains)."""
    verdict, core = check_with_cpsat(problem, time_limit, seed=seed, params=params)
    return core if verdict is False else None


def check_with_cpsat(
    problem: ExamProblem, time_limit: float = 30.0, *, seed: int = 0, params: str | None = None
) -> tuple[bool | None, list[str]]:
    """(True, []) if CP-SAT finds the hard constraints satisfiable, (False, core) if it proves
    them contradictory (``core``: see :func:`conflicting_constraints`), (None, []) if neither in
    time."""
    end = time.monotonic() + time_limit
    exact = problem.n_exams * problem.n_periods * problem.n_rooms <= 60_000
    pm = build_period_model(problem, rooms=exact, assume=True)
    names = {lit.index: name for name, lit in pm.assumptions.items()}

    def infeasible(active: list[str], limit: float) -> tuple[bool | None, list[str]]:
        pm.model.clear_assumptions()
        pm.model.add_assumptions([pm.assumptions[n] for n in active])
        solver = cp_model.CpSolver()
        configure(solver, limit, 1, seed, params)  # core extraction needs a single worker
        status = solver.solve(pm.model)
        if status == cp_model.INFEASIBLE:
            return True, [names[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in names]
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False, []
        return None, []

    proven, core = infeasible(list(pm.assumptions), max(0.5, end - time.monotonic()))
    if proven is None:
        return None, []
    if not proven:
        if not exact and not problem.toronto:
            return None, []  # rooms were only modelled in aggregate: a packing may still fail
        return True, []
    core = sorted(set(core))
    for name in list(core):
        left = end - time.monotonic()
        if left < 0.2 or len(core) <= 1:
            break
        trial = [n for n in core if n != name]
        still, smaller = infeasible(trial, min(left, max(1.0, left / len(core))))
        if still:
            core = sorted(set(smaller)) if smaller else trial
    return False, core


def describe_core(problem: ExamProblem, core: list[str] | None) -> list[str]:
    """Sentences for a set of conflicting constraint groups from :func:`conflicting_constraints`."""
    if core is None:
        return ["CP-SAT proved the hard constraints contradictory, but no smaller explanation was found in time"]
    inst = problem.instance
    exams: list[int] = []
    parts = []
    for item in core:
        kind, _, rest = item.partition(":")
        if kind == "exam":
            exams.append(int(rest))
        elif kind == "relation":
            x, y = (int(v) for v in rest.split(":"))
            pair = {_name(problem, x), _name(problem, y)}
            rel = [r.describe() for r in inst.relations if {r.first, r.second} == pair]
            parts.append(f"the relation {' and '.join(rel)}")
        elif kind == "rooms":
            parts.append(f"the room capacity in period {rest}")
        elif kind == "daily":
            parts.append(f"at most {int(problem.arrays.prm[DAILY_LIMIT])} exams a day per student")
        elif kind == "group":
            groups = sorted({e.group for e in inst.exams if e.group is not None})
            parts.append(f"the free days between the exams of group {groups[int(rest)]}")
    lines = []
    if exams:
        students: dict[str, int] = defaultdict(int)
        for e in exams:
            for s in inst.exams[e].students:
                students[s] += 1
        shared = {s for s, n in students.items() if n > 1}
        if len(exams) == 1:
            text = f"exam {_name(problem, exams[0])} cannot be scheduled"
        else:
            text = f"exams {_names(problem, sorted(exams))} cannot all be scheduled"
        if shared:
            text += f" (students sitting more than one of them: {_students(shared)})"
        lines.append(text + (" given " + "; ".join(parts) if parts else ""))
    elif parts:
        lines.append("these constraints cannot all hold: " + "; ".join(parts))
    return ["CP-SAT: " + line for line in lines] or ["CP-SAT proved the hard constraints contradictory"]


def explain(problem: ExamProblem, time_limit: float = 30.0, seed: int = 0) -> tuple[bool | None, list[str]]:
    """(False, reasons) if the session cannot be scheduled (counting reasons if any, else a small
    conflicting set of constraints), (True, []) if CP-SAT satisfied the hard constraints, (None,
    []) if neither was shown within ``time_limit`` seconds."""
    reasons = counting_reasons(problem)
    if reasons:
        return False, reasons
    verdict, core = check_with_cpsat(problem, time_limit, seed=seed)
    if verdict is False:
        return False, describe_core(problem, core)
    return verdict, []
