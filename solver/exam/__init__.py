"""Exam timetabling solvers.

- :func:`solve`: any exam session; plain Toronto (uncapacitated) sessions go to
  :func:`solve_uncapacitated`, the rest (rooms, relations, registrar rules) to :func:`solve_exams`;
- :mod:`solver.exam.explain`: why a session cannot be scheduled;
- :mod:`solver.exam.repair`: a valid timetable after a change, moving as few exams as possible.
"""

from solver.exam.solve import solve, solve_exams
from solver.exam.uncapacitated import ExamSolveResult, solve_uncapacitated

__all__ = ["ExamSolveResult", "solve", "solve_exams", "solve_uncapacitated"]
