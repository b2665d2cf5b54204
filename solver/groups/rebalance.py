"""Rebalance sections after enrollment changes, moving as few students as possible.

Input: the enrollment results as they are now (students added, dropped, moved to another programme
or group: :mod:`models.enrollment_changes`, or simply a newer registration export) and the current
sections. Output: a valid grouping with the same priorities as forming from scratch (fewest
sections, then balance: the same plan per pool), and among those the fewest moved registrations,
then the fewest splits of academic groups.

How (per discipline, like :mod:`solver.groups.form`): the pool's plan is made afresh; level by
level, each current section may keep its id and take any planned shape of its level, and the
CP-SAT level model minimises the students leaving their current section (a current section is
kept by the new parent that holds most of its students). Students who were not in the discipline
before are placed freely and do not count as moves. A level with very many sections is placed by
the greedy only (students keep their section up to its target size).

The same instance is also formed from scratch and its sections renamed to the current ones by
the best matching (:func:`models.groups.matching_names`); if that moves fewer students it is
returned instead, so a rebalance never moves more students than forming from scratch would.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from models.enrollment import EnrollmentInstance
from models.groups import Grouping, Move, matching_names, moves_between
from solver.groups.assign import AssignStats
from solver.groups.form import DisciplineTask, FormOptions, form_sections, run_tasks, student_rows


@dataclass
class RebalanceResult:
    grouping: Grouping
    moves: list[Move]
    """Registrations (student, discipline, kind) whose section changed, in the new grouping's order."""
    scratch_moves: int
    """Moves of the grouping formed from scratch (after the best renaming)."""
    from_scratch: bool
    """The from-scratch grouping was returned (it moved fewer students)."""
    elapsed: float
    stats: AssignStats = field(default_factory=AssignStats)

    @property
    def moved_students(self) -> int:
        """Distinct students with at least one move."""
        return len({m.student for m in self.moves})


def rebalance(instance: EnrollmentInstance, current: Grouping, options: FormOptions | None = None) -> RebalanceResult:
    """A valid balanced grouping of ``instance`` close to ``current`` (see the module docstring).

    Current sections of disciplines or kinds the instance no longer has are dropped; their students
    are not counted as moved. The time limit of ``options`` applies to each of the two formations.
    """
    options = options or FormOptions()
    start = time.monotonic()
    rows = student_rows(instance)
    all_ids = set(current.section_by_id)
    tasks = []
    for discipline in instance.disciplines:
        kinds = discipline.rules.kinds
        old = tuple((s.id, s.kind, s.parent, s.students) for s in current.of(discipline.id) if s.kind in kinds)
        own = {s[0] for s in old}
        tasks.append(
            DisciplineTask(
                discipline.id,
                discipline.rules,
                tuple(rows[s] for s in sorted(discipline.students)),
                old,
                frozenset(all_ids - own),
            )
        )
    kept = run_tasks(tasks, options, instance.registrations)
    moves = moves_between(current, kept.grouping)
    scratch = form_sections(instance, options)
    renamed = scratch.grouping.renamed(matching_names(current, scratch.grouping))
    scratch_moves = moves_between(current, renamed)
    stats = kept.stats
    if len(scratch_moves) < len(moves):
        return RebalanceResult(renamed, scratch_moves, len(scratch_moves), True, time.monotonic() - start, stats)
    return RebalanceResult(kept.grouping, moves, len(scratch_moves), False, time.monotonic() - start, stats)
