"""Small lesson and exam timetables shared by the view, export and web tests.

The week: 6 days x 4 pairs; rooms A-101 (lecture hall) and B-12 (classroom); teachers t1 (Abenov) and t2
(Serikova); courses MATH (t1, lecture, 2 a week), PHYS (t2, practice), HIST (t1, lecture); groups IT-25-1
(MATH, PHYS) and IT-25-2 (MATH, HIST). In :data:`WEEK_TIMETABLE` MATH and HIST are both on Monday pair 1:
the same teacher and group IT-25-2 twice at once (a hard conflict), everything else is free.

The session: 2 dates x 2 periods (09:00, 14:00); exams E-MATH and E-PHYS share student s1 and sit in
the same period (a conflict); E-HIST is alone.
"""

from __future__ import annotations

import datetime as dt

from models.course_instance import Course, CourseInstance, Curriculum, LessonKind, Room, Teacher
from models.course_timetable import CourseTimetable
from models.exam_instance import Exam, ExamInstance, ExamRoom, ExamTimetable, Period
from models.timetable_view import Labels

WEEK_INSTANCE = CourseInstance(
    name="toy week",
    days=6,
    periods_per_day=4,
    rooms=(Room(id="A-101", capacity=60), Room(id="B-12", capacity=30)),
    teachers=(Teacher(id="t1"), Teacher(id="t2")),
    courses=(
        Course(id="MATH", teacher="t1", lectures=2, students=50),
        Course(id="PHYS", teacher="t2", lectures=1, students=25, kind=LessonKind.PRACTICE),
        Course(id="HIST", teacher="t1", lectures=1, students=25),
    ),
    curricula=(Curriculum(id="IT-25-1", courses=("MATH", "PHYS")), Curriculum(id="IT-25-2", courses=("MATH", "HIST"))),
)
WEEK_TIMETABLE = CourseTimetable.of([("MATH", "A-101", 0, 0), ("MATH", "A-101", 2, 1), ("PHYS", "B-12", 1, 3),
                                     ("HIST", "B-12", 0, 0)])  # fmt: skip
LABELS = Labels(
    titles={"MATH": "MAT101 Calculus", "PHYS": "PHY102 Physics", "HIST": "HKZ1101 History of Kazakhstan",
            "E-MATH": "MAT101 Calculus", "E-PHYS": "PHY102 Physics", "E-HIST": "HKZ1101 History of Kazakhstan"},
    teachers={"t1": "Abenov A.B.", "t2": "Serikova A."},
    rooms={"A-101": "A-101 (main)", "B-12": "B-12 (main)"},
)  # fmt: skip

SESSION_INSTANCE = ExamInstance(
    name="toy session",
    exams=(
        Exam(id="E-MATH", duration=120, students=frozenset({"s1", "s2"}), group="IT-25-1", examiner="t1"),
        Exam(id="E-PHYS", duration=90, students=frozenset({"s1", "s3"}), group="IT-25-1", examiner="t2"),
        Exam(id="E-HIST", duration=60, students=frozenset({"s4"}), group="IT-25-2", examiner="t1"),
    ),
    periods=tuple(
        Period(
            index=n,
            date=dt.date(2026, 1, 12) + dt.timedelta(days=n // 2),
            start=dt.time(14 if n % 2 else 9),
            duration=180,
        )
        for n in range(4)
    ),
    rooms=(ExamRoom(id="A-101", capacity=60), ExamRoom(id="B-12", capacity=30)),
)
SESSION_TIMETABLE = ExamTimetable.of({"E-MATH": (0, "A-101"), "E-PHYS": (0, "B-12"), "E-HIST": (3, "B-12")})
