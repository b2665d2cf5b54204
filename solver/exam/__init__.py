"""Exam timetabling solvers. Today: uncapacitated (Toronto-style) sessions, :func:`solve_uncapacitated`."""

from solver.exam.uncapacitated import ExamSolveResult, solve_uncapacitated

__all__ = ["ExamSolveResult", "solve_uncapacitated"]
