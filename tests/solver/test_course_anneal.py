"""The annealer's incremental costs agree with a full recomputation and with the scorer."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from datasets.itc2007_ctt import read_ectt
from models.course_scoring import score
from solver.course.anneal import AnnealState
from solver.course.cpsat_model import build_model
from solver.course.problem import Problem


def start(problem: Problem):
    model, v, _ = build_model(problem, with_objective=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return v.extract(solver, problem)


@pytest.mark.parametrize("formulation", ["UD1", "UD2", "UD3", "UD4", "UD5"])
def test_incremental_cost_matches_full_cost_and_scorer(data_dir, formulation):
    inst = read_ectt(data_dir / "itc2007-cbctt" / "ectt" / "comp01.ectt", formulation)
    problem = Problem.build(inst)
    state = AnnealState(problem, *start(problem))
    assert state.cost() == score(inst, problem.to_timetable(state.lec_t, state.lec_r)).cost
    best = state.cost()
    for round_ in range(3):
        current, best = state.run(20_000, 2.0, 0.5, seed=round_, best_cost=best)
        assert current == state.cost()  # the running total equals a full recomputation
        report = score(inst, problem.to_timetable(state.lec_t, state.lec_r))
        assert report.hard_violations == 0
        assert report.cost == current
    assert best == score(inst, problem.to_timetable(state.best_t, state.best_r)).cost


def test_annealing_improves_the_constructed_timetable(data_dir):
    inst = read_ectt(data_dir / "itc2007-cbctt" / "ectt" / "comp01.ectt", "UD2")
    problem = Problem.build(inst)
    state = AnnealState(problem, *start(problem))
    first = state.cost()
    _, best = state.run(300_000, 3.0, 0.05, seed=1, best_cost=first)
    assert best < first / 2
