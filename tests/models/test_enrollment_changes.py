"""Changes to enrollment results: each kind applied, and malformed or unknown ones named."""

from __future__ import annotations

import pytest

from models.course_instance import LessonKind
from models.enrollment import EnrollmentError, EnrollmentInstance, RuleBook, SectionRule, Student, build_instance
from models.enrollment_changes import apply_changes

BOOK = RuleBook(defaults={LessonKind.PRACTICE: SectionRule(capacity=30)})


def base() -> EnrollmentInstance:
    students = [Student(id=f"a{i}", programme="CS", year=1, language="kk", group="CS-1") for i in range(4)]
    students += [Student(id=f"b{i}", programme="IS", year=1, language="ru", group="IS-1") for i in range(4)]
    registrations = [(f"a{i}", d) for i in range(4) for d in ("GEN", "CSX")]
    registrations += [(f"b{i}", d) for i in range(4) for d in ("GEN", "ISX")]
    registrations.append(("a0", "ELE"))
    return build_instance(students, registrations, BOOK)


def members(instance: EnrollmentInstance, discipline: str) -> tuple[str, ...]:
    return instance.discipline_by_id[discipline].students


def test_add_and_drop() -> None:
    changed = apply_changes(base(), ["add:a1:ELE", "drop:a0:ELE", "drop:b0:*"])
    assert members(changed, "ELE") == ("a1",)
    assert "b0" not in members(changed, "GEN") and "b0" not in members(changed, "ISX")
    assert "b0" in changed.student_by_id  # still a student, with no registrations


def test_adding_a_new_discipline_needs_rules() -> None:
    with pytest.raises(EnrollmentError, match="unknown discipline 'NEW' \\(give the rules"):
        apply_changes(base(), ["add:a1:NEW"])
    changed = apply_changes(base(), ["add:a1:NEW"], BOOK)
    assert members(changed, "NEW") == ("a1",)


def test_new_student() -> None:
    changed = apply_changes(base(), ["new:z:CS:1:kk:CS-1", "add:z:GEN"])
    assert changed.student_by_id["z"].group == "CS-1" and "z" in members(changed, "GEN")
    groupless = apply_changes(base(), ["new:y:CS:2:en"])
    assert groupless.student_by_id["y"].group is None


def test_transfer_takes_the_new_groups_disciplines() -> None:
    changed = apply_changes(base(), ["transfer:a0:IS-1"])
    student = changed.student_by_id["a0"]
    assert (student.programme, student.group, student.language) == ("IS", "IS-1", "ru")
    assert "a0" not in members(changed, "CSX")  # the old group's core discipline is dropped
    assert "a0" in members(changed, "ISX") and "a0" in members(changed, "GEN")
    assert "a0" in members(changed, "ELE")  # an elective of their own is kept


def test_group_change_keeps_registrations() -> None:
    changed = apply_changes(base(), ["group:a0:CS-2"])
    assert changed.student_by_id["a0"].group == "CS-2"
    assert "a0" in members(changed, "CSX")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("swap:a0:b0", "unknown kind 'swap'"),
        ("add:a0", "expected add:STUDENT:DISCIPLINE"),
        ("add:zz:GEN", "unknown student 'zz'"),
        ("add:a0:GEN", "already registered"),
        ("drop:a0:ISX", "is not registered for 'ISX'"),
        ("drop:a0:NOPE", "unknown discipline 'NOPE'"),
        ("transfer:a0:NO-GROUP", "unknown academic group 'NO-GROUP'"),
        ("transfer:a0", "expected transfer:STUDENT:GROUP"),
        ("new:a0:CS:1:kk", "student 'a0' already exists"),
        ("new:z:CS:x:kk", "year 'x' is not a whole number"),
        ("new:z:CS:1:de", "language 'de' is not one of"),
        ("new:z:CS", "expected new:STUDENT"),
    ],
)
def test_bad_changes_are_named(change: str, message: str) -> None:
    with pytest.raises(EnrollmentError, match=f"change {change!r}.*{message}".replace("(", "\\(").replace(")", "\\)")):
        apply_changes(base(), [change])
