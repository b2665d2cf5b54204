"""Changes to enrollment results after sections were formed (input to rebalancing).

A change is written ``KIND:ARG[:ARG...]``:

- ``add:STUDENT:DISCIPLINE``: the student registers for the discipline (a discipline new to the
  registration takes its rules from the rule book given to :func:`apply_changes`);
- ``drop:STUDENT:DISCIPLINE``: the student withdraws from the discipline; ``drop:STUDENT:*``
  from every discipline (the student leaves);
- ``new:STUDENT:PROGRAMME:YEAR:LANGUAGE[:GROUP]``: a new student (register them with ``add``);
- ``transfer:STUDENT:GROUP``: the student moves to academic group GROUP (another programme, or
  another group of theirs): they take the group's programme, year and language, drop the
  disciplines most of their old group is registered for that most of the new group is not, and
  register for those most of the new group is registered for ("most": at least half);
- ``group:STUDENT:GROUP``: only the academic group changes (e.g. a student changes group within
  the programme), the registrations stay.

:func:`apply_changes` returns a new, validated instance; a malformed change, or one naming an
unknown student, discipline or group, raises :class:`~models.enrollment.EnrollmentError` naming it.
"""

from __future__ import annotations

from collections import Counter

from models.enrollment import LANGUAGES, Discipline, EnrollmentError, EnrollmentInstance, RuleBook, Student

CHANGE_KINDS = ("add", "drop", "new", "transfer", "group")


def apply_changes(
    instance: EnrollmentInstance, changes: list[str], rules: RuleBook | None = None
) -> EnrollmentInstance:
    """``instance`` after every change in order (see the module docstring)."""
    state = _State(instance)
    for change in changes:
        state.apply(change, rules)
    return state.instance()


class _State:
    """Students and registrations being changed (validated into an instance at the end)."""

    def __init__(self, instance: EnrollmentInstance) -> None:
        self.name = instance.name
        self.students: dict[str, Student] = {s.id: s for s in instance.students}
        self.disciplines: dict[str, Discipline] = {d.id: d for d in instance.disciplines}
        self.members: dict[str, list[str]] = {d.id: list(d.students) for d in instance.disciplines}

    def instance(self) -> EnrollmentInstance:
        disciplines = tuple(
            d.model_copy(update={"students": tuple(self.members[d.id])}) for d in self.disciplines.values()
        )
        return EnrollmentInstance(name=self.name, students=tuple(self.students.values()), disciplines=disciplines)

    def apply(self, change: str, rules: RuleBook | None) -> None:
        kind, _, rest = change.partition(":")
        args = rest.split(":") if rest else []
        where = f"change {change!r}"
        if kind not in CHANGE_KINDS:
            raise EnrollmentError(f"{where}: unknown kind {kind!r}, expected one of {', '.join(CHANGE_KINDS)}")
        if kind == "new":
            self._new(args, where)
            return
        if len(args) != 2 or not all(args):
            raise EnrollmentError(
                f"{where}: expected {kind}:STUDENT:{'GROUP' if kind in ('transfer', 'group') else 'DISCIPLINE'}"
            )
        student, target = args
        if student not in self.students:
            raise EnrollmentError(f"{where}: unknown student {student!r}")
        if kind == "add":
            self._add(student, target, rules, where)
        elif kind == "drop":
            self._drop(student, target, where)
        elif kind == "group":
            self.students[student] = self.students[student].model_copy(update={"group": target})
        else:
            self._transfer(student, target, where)

    def _new(self, args: list[str], where: str) -> None:
        if len(args) not in (4, 5) or not all(args[:4]):
            raise EnrollmentError(f"{where}: expected new:STUDENT:PROGRAMME:YEAR:LANGUAGE[:GROUP]")
        sid, programme, year, language = args[:4]
        if sid in self.students:
            raise EnrollmentError(f"{where}: student {sid!r} already exists")
        if not year.isdigit() or not 1 <= int(year) <= 7:
            raise EnrollmentError(f"{where}: year {year!r} is not a whole number 1..7")
        if language not in LANGUAGES:
            raise EnrollmentError(f"{where}: language {language!r} is not one of {', '.join(LANGUAGES)}")
        group = args[4] if len(args) == 5 and args[4] else None
        self.students[sid] = Student(id=sid, programme=programme, year=int(year), language=language, group=group)  # type: ignore[arg-type]

    def _add(self, student: str, discipline: str, rules: RuleBook | None, where: str) -> None:
        if discipline not in self.disciplines:
            if rules is None:
                raise EnrollmentError(f"{where}: unknown discipline {discipline!r} (give the rules to add a new one)")
            self.disciplines[discipline] = Discipline(id=discipline, students=(), rules=rules.rules_for(discipline))
            self.members[discipline] = []
        if student in self.members[discipline]:
            raise EnrollmentError(f"{where}: student {student!r} is already registered for {discipline!r}")
        self.members[discipline].append(student)

    def _drop(self, student: str, discipline: str, where: str) -> None:
        if discipline == "*":
            for members in self.members.values():
                if student in members:
                    members.remove(student)
            return
        if discipline not in self.disciplines:
            raise EnrollmentError(f"{where}: unknown discipline {discipline!r}")
        if student not in self.members[discipline]:
            raise EnrollmentError(f"{where}: student {student!r} is not registered for {discipline!r}")
        self.members[discipline].remove(student)

    def _transfer(self, student: str, group: str, where: str) -> None:
        classmates = [s for s in self.students.values() if s.group == group and s.id != student]
        if not classmates:
            raise EnrollmentError(f"{where}: unknown academic group {group!r} (no student is in it)")
        old_group = self.students[student].group
        old_mates = (
            [s.id for s in self.students.values() if s.group == old_group and s.id != student] if old_group else []
        )
        new_core = self._core([s.id for s in classmates])
        old_core = self._core(old_mates)
        for discipline in old_core - new_core:
            if student in self.members[discipline]:
                self.members[discipline].remove(student)
        for discipline in sorted(new_core):
            if student not in self.members[discipline]:
                self.members[discipline].append(student)
        first = classmates[0]
        language = Counter(s.language for s in classmates).most_common(1)[0][0]
        self.students[student] = self.students[student].model_copy(
            update={"group": group, "programme": first.programme, "year": first.year, "language": language}
        )

    def _core(self, students: list[str]) -> set[str]:
        """Disciplines at least half of ``students`` are registered for."""
        if not students:
            return set()
        chosen = set(students)
        return {d for d, members in self.members.items() if 2 * len(chosen.intersection(members)) >= len(students)}
