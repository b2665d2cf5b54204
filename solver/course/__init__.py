"""Course (lesson) timetabling: CP-SAT construction, annealing and CP-SAT large-neighbourhood search.

Entry point: :func:`solve`.
"""

from solver.course.result import Progress, ProgressCallback, SolveResult, SolveStatus
from solver.course.solve import solve

__all__ = ["Progress", "ProgressCallback", "SolveResult", "SolveStatus", "solve"]
