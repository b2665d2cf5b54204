"""A course timetable: one (room, day, period) placement per lecture."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import BaseModel, ConfigDict, Field

from models.course_instance import CourseInstance, InstanceError


class Placement(BaseModel):
    """One lecture of ``course`` in ``room`` at ``(day, period)`` (both from 0)."""

    model_config = ConfigDict(frozen=True)

    course: str
    room: str
    day: int = Field(ge=0)
    period: int = Field(ge=0)


class CourseTimetable(BaseModel):
    model_config = ConfigDict(frozen=True)

    placements: tuple[Placement, ...] = ()

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, int, int]]) -> CourseTimetable:
        return cls(placements=tuple(Placement(course=c, room=r, day=d, period=p) for c, r, d, p in rows))

    def __iter__(self) -> Iterator[Placement]:  # type: ignore[override]
        return iter(self.placements)

    def __len__(self) -> int:
        return len(self.placements)

    def check_ids(self, instance: CourseInstance) -> None:
        """Raise :class:`InstanceError` for a placement naming an unknown course, room or period."""
        for n, placement in enumerate(self.placements, start=1):
            where = f"placement {n} ({placement.course} {placement.room} {placement.day} {placement.period})"
            if placement.course not in instance.course_by_id:
                raise InstanceError(f"{where}: unknown course {placement.course!r}")
            if placement.room not in instance.room_by_id:
                raise InstanceError(f"{where}: unknown room {placement.room!r}")
            if placement.day >= instance.days:
                raise InstanceError(f"{where}: day {placement.day} is outside 0..{instance.days - 1}")
            if placement.period >= instance.periods_per_day:
                raise InstanceError(f"{where}: period {placement.period} is outside 0..{instance.periods_per_day - 1}")

    def moved_from(self, other: CourseTimetable) -> list[Placement]:
        """Placements of this timetable that ``other`` does not have (as a multiset)."""
        remaining: dict[Placement, int] = {}
        for p in other.placements:
            remaining[p] = remaining.get(p, 0) + 1
        moved = []
        for p in self.placements:
            if remaining.get(p, 0):
                remaining[p] -= 1
            else:
                moved.append(p)
        return moved
