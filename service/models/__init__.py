"""SQLAlchemy 2.0 models of the records, one module per area; importing this package registers them all
on :data:`service.db.Base.metadata` (which the migrations compare against)."""

from service.models.archive import (
    ArchiveAct,
    ArchiveActItem,
    ArchiveFile,
    ArchiveInventory,
    ArchiveLoan,
    ConditionCheck,
    NomenclatureItem,
    StorageReading,
)
from service.models.audit import AuditEntry
from service.models.calendar import AcademicYear, Period
from service.models.contingent import (
    Application,
    ApplicationDocument,
    MovementSettings,
    Order,
    OrderItem,
    StudentState,
)
from service.models.documents import IssuedDocument, VerificationAttempt
from service.models.groups import AcademicGroup, Stream, stream_groups
from service.models.organisation import Department, Faculty
from service.models.personal_files import PersonalDataChange, PersonalFileDocument
from service.models.programmes import PlanDiscipline, Programme, StudyPlan
from service.models.registration import Enrolment, Registration
from service.models.rooms import Room
from service.models.sections import Section, SheetReopening
from service.models.settings import SettingVersion
from service.models.students import Student
from service.models.teachers import Teacher
from service.models.timetables import GroupFormation, SolveJob, Timetable, TimetableVersion
from service.models.users import ApiToken, LoginThrottle, User, UserRole

__all__ = [
    "AcademicGroup",
    "AcademicYear",
    "ApiToken",
    "Application",
    "ApplicationDocument",
    "ArchiveAct",
    "ArchiveActItem",
    "ArchiveFile",
    "ArchiveInventory",
    "ArchiveLoan",
    "AuditEntry",
    "ConditionCheck",
    "Department",
    "Enrolment",
    "Faculty",
    "GroupFormation",
    "IssuedDocument",
    "LoginThrottle",
    "MovementSettings",
    "NomenclatureItem",
    "Order",
    "OrderItem",
    "Period",
    "PersonalDataChange",
    "PersonalFileDocument",
    "PlanDiscipline",
    "Programme",
    "Registration",
    "Room",
    "Section",
    "SettingVersion",
    "SheetReopening",
    "SolveJob",
    "StorageReading",
    "Stream",
    "Student",
    "StudentState",
    "StudyPlan",
    "Teacher",
    "Timetable",
    "TimetableVersion",
    "User",
    "UserRole",
    "VerificationAttempt",
    "stream_groups",
]
