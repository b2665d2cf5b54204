"""Schema pieces shared by the areas: base models, names in three languages, paging, errors, partial updates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, field_validator

Language = Literal["kk", "ru", "en"]
"""Language of instruction: Kazakh, Russian or English."""

T = TypeVar("T")
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
"""A short identifier (faculty, department, room, group, discipline code): letters, digits, ``_ . -``."""
Name = Annotated[str, Field(min_length=1, max_length=200)]
PersonName = Annotated[str, Field(min_length=1, max_length=100)]
Year = Annotated[int, Field(ge=1900, le=2200)]
UtcDateTime = Annotated[dt.datetime, AfterValidator(lambda t: t if t.tzinfo else t.replace(tzinfo=dt.UTC))]
"""A moment in UTC; SQLite hands back naive datetimes, which are UTC in this service."""
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
"""Integers the database columns hold (PostgreSQL ``integer``); ids are at most :data:`INT_MAX`."""


def storable(value: Any) -> Any:
    """``value`` if the database can store it: no NUL character in text, integers within 32 bits."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if isinstance(value, int) and not isinstance(value, bool) and not INT_MIN <= value <= INT_MAX:
        raise ValueError(f"must be between {INT_MIN} and {INT_MAX}")
    if isinstance(value, list):
        for item in value:
            storable(item)
    return value


class Storable(BaseModel):
    """Every field of a subclass passes :func:`storable`, so no input reaches the database as a 500."""

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)


class InputModel(Storable):
    """A request body: unknown fields are rejected, surrounding spaces stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_attribute_docstrings=True)


class OutputModel(BaseModel):
    """An answer, read from an ORM row."""

    model_config = ConfigDict(from_attributes=True, use_attribute_docstrings=True)


class Names(InputModel):
    """A name in the three languages; the English one is required, the others may await translation."""

    name_en: Name
    """Name in English."""
    name_kk: Name | None = None
    """Name in Kazakh (the state language)."""
    name_ru: Name | None = None
    """Name in Russian."""


class NamesOut(OutputModel):
    name_en: str
    name_kk: str | None
    name_ru: str | None


class ListQuery(Storable):
    """Paging of a list: ``page`` from 1, ``per_page`` up to 200; items are ordered by id."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    page: int = Field(1, ge=1, le=1_000_000)
    """Page number, from 1."""
    per_page: int = Field(50, ge=1, le=200)
    """Items per page (at most 200)."""


class SearchQuery(ListQuery):
    q: str | None = Field(None, min_length=1, max_length=100)
    """Case-insensitive substring of the code or names."""


class Page(BaseModel, Generic[T]):
    """One page of a list and the total count of items matching the filters."""

    items: list[T]
    total: int
    page: int
    per_page: int


class ErrorItem(BaseModel):
    field: str | None
    """The field at fault (dotted path), or null for the whole request."""
    message: str


class ErrorResponse(BaseModel):
    """The body of every error answer (400, 403, 404, 405, 409, 422, 500)."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    errors: list[ErrorItem]


def _absent(schema: dict[str, Any]) -> None:
    """An update field has no default in the document: absent means unchanged, not null."""
    schema.pop("default", None)


def partial_model(model: type[InputModel], name: str | None = None) -> type[InputModel]:
    """The update (PATCH) schema of ``model``: the same fields with their constraints, all optional.

    A field accepts null only where ``model`` does (to clear it, e.g. a student's group); an absent
    field keeps its stored value.

    Only the fields given are changed; the stored record merged with them is then validated again
    with ``model`` itself, so cross-field rules hold after every update.
    """
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        annotation: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        fields[field_name] = (annotation, Field(None, description=info.description, json_schema_extra=_absent))
    name = name or model.__name__.removesuffix("Create") + "Update"
    partial: type[InputModel] = create_model(name, __base__=InputModel, __module__=model.__module__, **fields)
    partial.__doc__ = f"Changes to a record (any subset of the fields of {model.__name__})."
    return partial
