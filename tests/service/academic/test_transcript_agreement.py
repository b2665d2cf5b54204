"""The documents' transcripts (built from the grade sheets as a result source) agree with the record book:
the same disciplines, letters, retakes, earned credits and cumulative GPA, with a retake and disciplines in progress."""

from __future__ import annotations

from campus import Campus
from flask import Flask
from service_testing import Api

from service import db
from service.academic.record_book import record_book
from service.documents.content import transcript_of
from service.models import Student


def test_transcript_agrees_with_the_record_book(app: Flask, campus: Campus, api: Api) -> None:
    student = campus.student()
    autumn = campus.confirmed(student, "autumn", "ELA")
    for code, rk, exam in (("PRG", 80, 40), ("MATH", 90, 90), ("HIST", 70, 70), ("ELA", 60, 60)):
        campus.grade(autumn, code, rk, exam)
    campus.on("2026-01-20")
    spring = campus.confirmed(student, "spring", "PRG")
    campus.on("2026-05-20")
    section, enrolment = campus.section_of(spring, "PRG"), campus.enrolment_of(spring, "PRG")
    campus.marks(section, {"enrolment_id": enrolment, "exam": 80})
    campus.grade(spring, "DB", 95, 95, "spring")  # OS and ALG stay in progress
    with app.app_context():
        session = db.session()
        record = session.get(Student, student["id"])
        assert record is not None
        transcript = transcript_of(session, record)
        book = record_book(session, student["id"])
    letters = {line.code: (line.letter, line.attempts) for line in transcript.lines}
    assert letters == {"PRG": ("B", 2), "MATH": ("A-", 1), "HIST": ("C+", 1), "ELA": ("C-", 1), "DB": ("A", 1)}
    assert transcript.gpa == book.gpa and transcript.retakes == 1
    assert transcript.earned_credits == book.credits_earned == 6 + 5 + 5 + 5 + 6
    prg = next(line for line in transcript.lines if line.code == "PRG")
    assert prg.percent == 80.0 and prg.semester == 1
