"""The baseline: sections filled in list order, as a person does by hand in a spreadsheet.

Per discipline, students are taken in the order the registration lists them, separated by
language where the coarsest kind does not mix languages. The top-level sections (lecture streams)
are filled one after the other up to the capacity; inside each, the next kind's sections (practice
groups) are filled the same way from the stream's list, and so on. This respects capacities,
languages and nesting (a stream is the union of whole practice groups) but neither balances sizes
nor keeps academic groups together on purpose, and the last section of a list is often small.
Used by the benchmark as the reference the CP-SAT formation is compared with.
"""

from __future__ import annotations

from collections import defaultdict

from models.enrollment import LANGUAGES, MIXED, Discipline, EnrollmentInstance
from models.groups import Grouping, Section
from solver.groups.form import KIND_LETTER


def form_greedy(instance: EnrollmentInstance) -> Grouping:
    """Sections of every discipline filled in list order (see the module docstring)."""
    languages = {s.id: s.language for s in instance.students}
    sections: list[Section] = []
    for discipline in instance.disciplines:
        _fill(discipline, list(discipline.students), 0, None, languages, defaultdict(int), sections)
    return Grouping(sections=tuple(sections))


def _fill(
    discipline: Discipline,
    students: list[str],
    depth: int,
    parent: str | None,
    languages: dict[str, str],
    counter: dict[tuple[str, str], int],
    out: list[Section],
) -> None:
    """Sections of ``discipline``'s kind number ``depth`` from ``students`` in order, then recurse."""
    kinds = discipline.rules.kinds
    kind = kinds[depth]
    rule = discipline.rules.rule(kind)
    mixes = discipline.rules.mixes(kind)
    lists: dict[str, list[str]] = defaultdict(list)
    for sid in students:
        lists[MIXED if mixes else languages[sid]].append(sid)
    for pool in sorted(lists, key=lambda p: LANGUAGES.index(p) if p in LANGUAGES else len(LANGUAGES)):  # type: ignore[arg-type]
        members = lists[pool]
        name = "" if pool == MIXED else pool
        for start in range(0, len(members), rule.capacity):
            chunk = members[start : start + rule.capacity]
            counter[KIND_LETTER[kind], name] += 1
            section_id = f"{discipline.id}.{KIND_LETTER[kind]}{name}{counter[KIND_LETTER[kind], name]}"
            out.append(
                Section(id=section_id, discipline=discipline.id, kind=kind, students=tuple(chunk), parent=parent)
            )
            if depth + 1 < len(kinds):
                _fill(discipline, chunk, depth + 1, section_id, languages, counter, out)
