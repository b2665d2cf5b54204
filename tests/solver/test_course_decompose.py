"""Times then rooms: the time-only model counts rooms right, the room step assigns them validly."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from models.course_instance import Course, CourseInstance, Curriculum, Room, Teacher
from models.course_scoring import score
from solver.course.anneal import AnnealState
from solver.course.cpsat_model import build_time_model
from solver.course.decompose import assign_rooms, times_then_rooms
from solver.course.problem import Problem


def instance(courses: list[Course], rooms: list[Room], days: int = 1, ppd: int = 2, curricula=()) -> CourseInstance:
    return CourseInstance(
        days=days,
        periods_per_day=ppd,
        rooms=tuple(rooms),
        teachers=tuple(Teacher(id=t) for t in dict.fromkeys(c.teacher for c in courses)),
        courses=tuple(courses),
        curricula=tuple(curricula),
    )


def time_model_status(inst: CourseInstance) -> int:
    model, _, _ = build_time_model(Problem.build(inst))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(model)


def test_time_model_counts_big_rooms_per_period():
    # Two courses of 80 students, one room of 100 and one of 30, two periods.
    rooms = [Room(id="big", capacity=100), Room(id="small", capacity=30)]
    fits = instance([Course(id="a", teacher="t1", lectures=1, students=80),
                     Course(id="b", teacher="t2", lectures=1, students=80)], rooms)  # fmt: skip
    assert time_model_status(fits) == cp_model.OPTIMAL
    # Four lectures of 80 in two periods need two big rooms per period: the counting refuses it.
    crowded = instance([Course(id="a", teacher="t1", lectures=2, students=80),
                        Course(id="b", teacher="t2", lectures=2, students=80)], rooms)  # fmt: skip
    assert time_model_status(crowded) == cp_model.INFEASIBLE


def test_course_larger_than_every_room_counts_as_the_largest_room():
    rooms = [Room(id="big", capacity=100), Room(id="small", capacity=30)]
    inst = instance([Course(id="a", teacher="t1", lectures=2, students=500)], rooms)
    assert time_model_status(inst) == cp_model.OPTIMAL


def test_assign_rooms_keeps_home_rooms_and_capacity():
    rooms = [Room(id="big", capacity=100), Room(id="small", capacity=30)]
    inst = instance([Course(id="a", teacher="t1", lectures=2, students=80),
                     Course(id="b", teacher="t2", lectures=2, students=20)], rooms)  # fmt: skip
    problem = Problem.build(inst)
    periods = np.array([0, 1, 0, 1])
    rooms_of = assign_rooms(problem, periods)
    assert rooms_of is not None
    assert list(rooms_of) == [0, 0, 1, 1]  # a in the big room, b in the small one, both stable
    report = score(inst, problem.to_timetable(periods, rooms_of))
    assert report.hard_violations == 0 and report.cost == 0


def test_assign_rooms_refuses_a_period_with_more_lectures_than_rooms():
    inst = instance([Course(id="a", teacher="t1", lectures=1), Course(id="b", teacher="t2", lectures=1)],
                    [Room(id="r", capacity=50)])  # fmt: skip
    assert assign_rooms(Problem.build(inst), np.array([0, 0])) is None


def test_times_then_rooms_gives_a_valid_timetable_costed_like_the_scorer():
    courses = [Course(id=f"c{i}", teacher=f"t{i % 3}", lectures=3, students=20 + 15 * i, min_working_days=3)
               for i in range(6)]  # fmt: skip
    curricula = [Curriculum(id="q1", courses=("c0", "c1", "c2")), Curriculum(id="q2", courses=("c3", "c4", "c5"))]
    inst = instance(courses, [Room(id="r1", capacity=60), Room(id="r2", capacity=120)], days=3, ppd=4,
                    curricula=curricula)  # fmt: skip
    problem = Problem.build(inst)
    found = times_then_rooms(problem, None, 5.0, 1, 0)
    assert found is not None
    report = score(inst, problem.to_timetable(*found))
    assert report.hard_violations == 0, report.details
    assert AnnealState(problem, *found).cost() == report.cost
    again = times_then_rooms(problem, found, 5.0, 1, 0)  # hinted with its own answer
    assert again is not None and score(inst, problem.to_timetable(*again)).hard_violations == 0
