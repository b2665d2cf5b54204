"""Schemas of academic groups and lecture streams.

Rules: a stream lists each of its groups once, at least one; a stream with a language holds only
groups taught in that language.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from service.schemas.common import Code, InputModel, Language, OutputModel, SearchQuery, Year


class GroupCreate(InputModel):
    """An academic group of a programme and admission year, taught in one language, with an advisor."""

    code: Code
    programme_id: int
    admission_year: Year
    language: Language
    advisor_id: int | None = None
    """The teacher advising the group's students (confirms their registration)."""


class GroupOut(OutputModel):
    id: int
    code: str
    programme_id: int
    admission_year: int
    language: Language
    advisor_id: int | None


class GroupQuery(SearchQuery):
    programme_id: int | None = None
    admission_year: int | None = None
    language: Language | None = None
    advisor_id: int | None = None


class StreamCreate(InputModel):
    """A lecture stream: groups attending lectures together."""

    code: Code
    language: Language | None = None
    group_ids: list[int] = Field(min_length=1, max_length=100)

    @field_validator("group_ids")
    @classmethod
    def _distinct(cls, group_ids: list[int]) -> list[int]:
        repeated = sorted({g for g in group_ids if group_ids.count(g) > 1})
        if repeated:
            raise ValueError(f"lists group {', '.join(map(str, repeated))} more than once")
        return group_ids


class StreamOut(OutputModel):
    id: int
    code: str
    language: Language | None
    group_ids: list[int]


class StreamQuery(SearchQuery):
    language: Language | None = None
    group_id: int | None = None
    """Streams containing this group."""
