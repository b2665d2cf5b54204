"""Form (or re-form) the sections of every discipline: the decomposition that makes 20,000 students fast.

Per discipline, independently (disciplines share students only through cohesion, which is kept by
handling every discipline the same way):

1. pools: all registered students if the coarsest kind mixes languages, else one pool per language;
2. per pool, the shape (counts, nesting and sizes per level) by :func:`~solver.groups.structure.plan_pool`:
   fewest teaching lessons, then least imbalance;
3. top-down, level by level, the students of each parent are placed into its planned children by
   the CP-SAT level model :func:`~solver.groups.assign.assign_level` (blocks of one academic group;
   fewest moved students when rebalancing, then fewest splits of academic groups).

Cohesion across disciplines comes from two rules applied everywhere: blocks are whole academic
groups, and when a group must be split its students are handed out in one fixed order (by student
id within the group), so a group split in two halves is split into the same halves in every
discipline. Disciplines with the same students and rules get the same sections (computed once).

Disciplines run in ``workers`` processes (the level models are tiny; one CP-SAT worker each).
"""

from __future__ import annotations

import multiprocessing
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from models.course_instance import LessonKind
from models.enrollment import LANGUAGES, MIXED, DisciplineRules, EnrollmentInstance
from models.groups import Grouping, Section
from solver.groups.assign import AssignStats, Block, assign_level, clear_cache
from solver.groups.structure import Level, Shape, plan_pool

KIND_LETTER = {LessonKind.LECTURE: "L", LessonKind.PRACTICE: "P", LessonKind.LAB: "B"}
MODEL_SHARE = 0.85
"""Share of the time limit in which level models may run."""
PARALLEL_MIN_REGISTRATIONS = 20_000
"""Below this many registrations the disciplines run in this process (starting workers costs more)."""


@dataclass(frozen=True)
class FormOptions:
    """How to form sections. Times are seconds of wall time."""

    time_limit: float = 60.0
    """Budget for the whole formation: level models run until :data:`MODEL_SHARE` of it has passed, the
    rest is placed by the greedy (fast), so the formation ends within the budget."""
    model_time: float = 0.1
    """Limit of one level model (most prove optimal in milliseconds; large ones stop here with the best found)."""
    workers: int = 2
    """Processes forming disciplines in parallel."""
    seed: int = 0
    balance_first: bool = False
    """Prefer balanced sizes (every level within one) to fewest sections (see :mod:`solver.groups.structure`)."""


@dataclass
class FormResult:
    grouping: Grouping
    elapsed: float
    stats: AssignStats = field(default_factory=AssignStats)
    disciplines: int = 0
    reused: int = 0
    """Disciplines whose sections were copied from one with the same students and rules."""


StudentRow = tuple[str, str, str | None, int]
"""(id, language, academic group, rank within the group)."""
OldSection = tuple[str, LessonKind, str | None, tuple[str, ...]]
"""A current section of the discipline: (id, kind, parent, students)."""
Parent = tuple[str | None, list[str], list[Shape]]
"""A section being filled: its id (``None``: the pool), its students and its planned children."""


def level_of(rules: DisciplineRules, kind: LessonKind) -> Level:
    """The planner's view of one kind of a discipline."""
    rule = rules.rule(kind)
    return Level(kind.value, rule.capacity, rule.min_size, rule.lessons, rules.mixes(kind))


@dataclass(frozen=True)
class DisciplineTask:
    """One discipline to form: everything a worker process needs (plain, picklable data)."""

    discipline: str
    rules: DisciplineRules
    students: tuple[StudentRow, ...]
    old: tuple[OldSection, ...] = ()
    reserved: frozenset[str] = frozenset()
    """Section ids a new section must not take (ids of other disciplines' current sections)."""


def student_rows(instance: EnrollmentInstance) -> dict[str, StudentRow]:
    """Every student's row, ranks counted by id within the academic group."""
    by_group: dict[str | None, list[str]] = defaultdict(list)
    for student in instance.students:
        by_group[student.group].append(student.id)
    rank = {sid: i for ids in by_group.values() for i, sid in enumerate(sorted(ids))}
    return {s.id: (s.id, s.language, s.group, rank[s.id]) for s in instance.students}


def form_sections(instance: EnrollmentInstance, options: FormOptions | None = None) -> FormResult:
    """Sections for every discipline of ``instance`` (see the module docstring).

    Raises :class:`~models.enrollment.EnrollmentError` when a pool's students fit no sections of
    its rules (e.g. a minimum size no split can meet), naming the discipline.
    """
    options = options or FormOptions()
    rows = student_rows(instance)
    tasks = [DisciplineTask(d.id, d.rules, tuple(rows[s] for s in sorted(d.students))) for d in instance.disciplines]
    return run_tasks(tasks, options, instance.registrations)


def run_tasks(tasks: Sequence[DisciplineTask], options: FormOptions, registrations: int) -> FormResult:
    """Form each task's discipline (identical ones once), in parallel when it pays, keeping task order."""
    start = time.monotonic()
    deadline = start + MODEL_SHARE * options.time_limit
    clear_cache()  # each formation starts afresh (worker processes are new for each anyway)
    canonical: dict[tuple, int] = {}
    unique: list[int] = []
    copy_of: list[int] = []
    for i, task in enumerate(tasks):
        if task.old:
            copy_of.append(i)
            unique.append(i)
            continue
        key = (task.rules, tuple(s[0] for s in task.students))
        j = canonical.setdefault(key, i)
        copy_of.append(j)
        if j == i:
            unique.append(i)
    results: dict[int, tuple[list[Section], AssignStats]] = {}
    if options.workers > 1 and registrations >= PARALLEL_MIN_REGISTRATIONS and len(unique) > 1:
        order = sorted(unique, key=lambda i: -len(tasks[i].students))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=options.workers, mp_context=context) as pool:
            futures = {i: pool.submit(form_discipline, tasks[i], options, deadline) for i in order}
            for i, future in futures.items():
                results[i] = future.result()
    else:
        for i in unique:
            results[i] = form_discipline(tasks[i], options, deadline)
    sections: list[Section] = []
    stats = AssignStats()
    for i in unique:
        stats.add(results[i][1])
    for i, task in enumerate(tasks):
        j = copy_of[i]
        if j == i:
            sections += results[i][0]
        else:
            sections += _copy(results[j][0], tasks[j].discipline, task.discipline)
    return FormResult(
        Grouping(sections=tuple(sections)),
        time.monotonic() - start,
        stats,
        disciplines=len(tasks),
        reused=len(tasks) - len(unique),
    )


def _copy(sections: list[Section], source: str, target: str) -> list[Section]:
    """The sections of ``source`` for ``target`` (same students), ids re-prefixed."""
    prefix = len(source)

    def rename(section_id: str | None) -> str | None:
        return None if section_id is None else target + section_id[prefix:]

    return [
        Section(id=rename(s.id), discipline=target, kind=s.kind, students=s.students, parent=rename(s.parent))  # type: ignore[arg-type]
        for s in sections
    ]


# --------------------------------------------------------------------------- one discipline


def form_discipline(task: DisciplineTask, options: FormOptions, deadline: float) -> tuple[list[Section], AssignStats]:
    """The sections of one discipline (forming, or rebalancing when ``task.old`` is given)."""
    rules = task.rules
    kinds = rules.kinds
    levels = [
        Level(
            kind.value,
            rules.rule(kind).capacity,
            rules.rule(kind).min_size,
            rules.rule(kind).lessons,
            rules.mixes(kind),
        )
        for kind in kinds
    ]
    by_id = {row[0]: row for row in task.students}
    old_of: dict[tuple[str, LessonKind], str] = {}
    for section_id, kind, _, students in task.old:
        for student in students:
            old_of.setdefault((student, kind), section_id)
    names = _Names(task.discipline, {s[0] for s in task.old} | set(task.reserved))
    stats = AssignStats()
    out: list[Section] = []

    pools: dict[str, list[str]] = defaultdict(list)
    for row in task.students:
        pools[MIXED if levels[0].mixes else row[1]].append(row[0])
    for pool in sorted(pools, key=_language_order):
        members = pools[pool]
        counts: dict[str, int] = defaultdict(int)
        for sid in members:
            counts[by_id[sid][1]] += 1
        plan = plan_pool(levels, dict(counts), options.balance_first)
        parents: list[Parent] = [(None, members, plan.roots)]
        for depth, kind in enumerate(kinds):
            claimed = _claims(parents, kind, old_of)
            children: list[Parent] = []
            for parent_id, students, shapes in parents:
                if not shapes:
                    continue
                blocks = _blocks(
                    students, shapes, by_id, kind, kinds[depth + 1] if depth + 1 < len(kinds) else None, old_of
                )
                current = [s for s, owner in claimed.items() if owner == parent_id and s not in names.taken_new]
                remaining = deadline - time.monotonic()
                placements = assign_level(
                    blocks,
                    shapes,
                    current,
                    time_limit=min(options.model_time, remaining),
                    seed=options.seed,
                    stats=stats,
                )
                for placement in placements:
                    section_id = placement.section or names.fresh(kind, _pool_name(placement.shape))
                    names.use(section_id)
                    out.append(
                        Section(
                            id=section_id,
                            discipline=task.discipline,
                            kind=kind,
                            students=tuple(placement.students),
                            parent=parent_id,
                        )
                    )
                    children.append((section_id, placement.students, placement.shape.children))
            parents = children
    return out, stats


def _language_order(key: str) -> tuple[int, str]:
    return (LANGUAGES.index(key) if key in LANGUAGES else len(LANGUAGES), key)  # type: ignore[arg-type]


def _pool_name(shape: Shape) -> str:
    """The language in a section's name: its language, or nothing when it may mix."""
    keys = list(shape.window) or list(shape.sizes)
    return keys[0] if len(keys) == 1 and keys[0] != MIXED else ""


def _claims(
    parents: list[tuple[str | None, list[str], list[Shape]]],
    kind: LessonKind,
    old_of: dict[tuple[str, LessonKind], str],
) -> dict[str, str | None]:
    """Current sections of ``kind`` -> the new parent holding most of their students (who may keep the id)."""
    held: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for parent_id, students, _ in parents:
        for student in students:
            old = old_of.get((student, kind))
            if old is not None:
                held[old][parent_id] += 1
    return {old: max(owners, key=lambda p: (owners[p], str(p))) for old, owners in held.items()}


def _blocks(
    students: list[str],
    shapes: list[Shape],
    by_id: dict[str, StudentRow],
    kind: LessonKind,
    child_kind: LessonKind | None,
    old_of: dict[tuple[str, LessonKind], str],
) -> list[Block]:
    """Students grouped by (academic group, language key, current section), each block in hand-out
    order: current child section first (pieces follow the current sections below), then rank."""
    mixed = any(MIXED in shape.window for shape in shapes)
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for sid in students:
        _, language, group, _ = by_id[sid]
        old = old_of.get((sid, kind))
        groups[(group or "", MIXED if mixed else language, old or "")].append(sid)
    blocks = []
    for (group, key, old), members in sorted(groups.items()):
        members.sort(key=lambda s: (old_of.get((s, child_kind), "") if child_kind else "", by_id[s][3], s))
        if group:
            blocks.append(Block(members, key, group, old or None))
        else:  # students without an academic group: no cohesion to keep
            blocks.append(Block(members, key, None, old or None))
    return blocks


class _Names:
    """Fresh section ids ``<discipline>.<L|P|B><language><n>`` avoiding ids in use."""

    def __init__(self, discipline: str, taken: set[str]) -> None:
        self.discipline = discipline
        self.taken = set(taken)
        self.taken_new: set[str] = set()
        """Ids given to new sections so far (a current id is kept by one section only)."""
        self.next: dict[tuple[str, str], int] = defaultdict(lambda: 1)

    def fresh(self, kind: LessonKind, pool: str) -> str:
        key = (KIND_LETTER[kind], pool)
        while True:
            name = f"{self.discipline}.{key[0]}{pool}{self.next[key]}"
            self.next[key] += 1
            if name not in self.taken:
                return name

    def use(self, name: str) -> None:
        self.taken.add(name)
        self.taken_new.add(name)
