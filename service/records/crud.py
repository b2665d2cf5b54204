"""Generic record endpoints: list (filters, search, paging), get, create, update, delete.

A :class:`Resource` names the model, its schemas and its rules; :func:`register` adds five routes
to an area blueprint. The rules, in the order they are applied:

1. the body is validated by the schema (:mod:`service.api.routing`): 400 / 422;
2. for an update, the stored record merged with the given fields is validated again by the create
   schema, so cross-field rules (an IIN and the birth date it encodes) hold after every change: 422;
3. every referenced id must exist (``references``): 422 on that field;
4. the area's own database rules (``rules``, e.g. a student's group belongs to their programme): 422;
5. unique values must be free (``unique``): 409 naming the field;
6. delete only a record nothing refers to (foreign keys without ``ON DELETE CASCADE``): 409;
   ``deletable=False`` (students) offers no delete at all: records leave by a change of status.

Access: a resource declares who may read it (``read``: list and get) and who may change it (``write``:
create, update, delete), both :class:`~service.auth.roles.RoleRule` and both required. A read rule
with scoped roles needs a ``scope``: the condition on rows such a caller reaches (a student: their own
record); lists are filtered by it and a get of another row is a 403.

Every write goes through :meth:`Resource.create_record`, :meth:`Resource.update_record` or
:meth:`Resource.delete_record`, which write the audit log (:mod:`service.audit`) in the same
transaction: one row per field set on create, changed on update, or held on delete, with who, when,
the old and new value and the reason (``X-Reason``). Fields in ``reason_required`` (e.g. a
status) change only with a reason: 422 on ``X-Reason`` otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from flask import Blueprint
from pydantic import ValidationError
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import LoaderOption

from service import audit
from service.api.routing import endpoint
from service.auth import RoleRule, current_user
from service.db import Base, session
from service.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable, field_errors
from service.schemas.common import INT_MAX, InputModel, ListQuery, OutputModel, Page, partial_model

Rules = Callable[[Session, Any, Any], list[FieldError]]
"""``rules(session, data, row)``: field errors of validated ``data`` (``row`` None on create)."""
PAGING = frozenset({"page", "per_page", "q"})
Scope = Callable[[], "ColumnElement[bool] | None"]
"""The rows the current caller may read (``None``: all), e.g. :func:`service.auth.scopes.student_filter`."""


@dataclass
class Resource:
    """A kind of record exposed at ``path`` (``/students``) and ``path/<id>``."""

    path: str
    model: type[Base]
    create: type[InputModel]
    out: type[OutputModel]
    query: type[ListQuery] = ListQuery
    references: Mapping[str, type[Base]] = field(default_factory=dict)
    """Field -> model whose id it holds (checked to exist)."""
    unique: Sequence[tuple[str, ...]] = ()
    """Field sets whose values no two records share; the last field is the one named in the 409."""
    search: Sequence[str] = ()
    """Columns matched by the ``q`` query parameter (case-insensitive substring)."""
    filters: Mapping[str, Callable[[Any], ColumnElement[bool]]] = field(default_factory=dict)
    """Query fields that are not plain ``column == value`` filters."""
    rules: Rules | None = None
    deletable: bool = True
    load: Sequence[LoaderOption] = ()
    """Loader options for reading (e.g. ``selectinload`` of a list shown in the answer)."""
    to_input: Callable[[Any], dict[str, Any]] | None = None
    """Stored record -> create-schema fields (default: the attributes of the same names)."""
    apply: Callable[[Session, Any, Any], None] | None = None
    """Copy validated data onto a row (default: ``setattr`` of every create-schema field)."""
    read: RoleRule | None = None
    """Who may list and get (required)."""
    write: RoleRule | None = None
    """Who may create, change and delete (required)."""
    scope: Scope | None = None
    """Rows a caller admitted by a scoped role of ``read`` reaches (required when ``read`` has scoped roles)."""
    reason_required: frozenset[str] = frozenset()
    """Fields whose change must give a reason (the ``X-Reason`` header)."""

    @property
    def label(self) -> str:
        return str(getattr(self.model, "label", self.model.__name__.lower()))

    @property
    def key(self) -> str:
        return self.path.strip("/").replace("-", "_").replace("/", "_")

    @cached_property
    def update(self) -> type[InputModel]:
        return partial_model(self.create)

    # -- reading

    def find(self, db: Session, record_id: int) -> Any:
        row = db.get(self.model, record_id, options=list(self.load)) if 0 < record_id <= INT_MAX else None
        if row is None:
            raise NotFound(f"no {self.label} with id {record_id}")
        return row

    def find_visible(self, db: Session, record_id: int) -> Any:
        """:meth:`find`, then 403 if the caller's scope does not reach the row."""
        row = self.find(db, record_id)
        condition = self.scope() if self.scope else None
        if condition is not None:
            key = self.model.id  # type: ignore[attr-defined]
            if db.scalar(select(key).where(key == record_id, condition)) is None:
                actor = current_user()
                who = actor.username if actor else "the caller"
                raise Forbidden(f"{who} may not see {self.label} {record_id}")
        return row

    def list_conditions(self, query: ListQuery) -> list[ColumnElement[bool]]:
        """The conditions of a list: the caller's scope, the filters and the search of ``q`` (a case-insensitive
        substring of any ``search`` column: ``ILIKE '%q%'``, which a trigram index answers on PostgreSQL)."""
        conditions = []
        condition = self.scope() if self.scope else None
        if condition is not None:
            conditions.append(condition)
        for name, value in query.model_dump(exclude=set(PAGING), exclude_none=True).items():
            make = self.filters.get(name)
            conditions.append(make(value) if make else getattr(self.model, name) == value)
        text = getattr(query, "q", None)
        if text and self.search:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(or_(*(getattr(self.model, c).ilike(pattern, escape="\\") for c in self.search)))
        return conditions

    def list_page(self, db: Session, query: ListQuery) -> Page[Any]:
        conditions = self.list_conditions(query)
        rows = db.scalars(
            select(self.model)
            .where(*conditions)
            .options(*self.load)
            .order_by(self.model.id)  # type: ignore[attr-defined]
            .limit(query.per_page)
            .offset((query.page - 1) * query.per_page)
        ).all()
        total = page_total(db, query, len(rows), select(func.count()).select_from(self.model).where(*conditions))
        items = [self.out.model_validate(row) for row in rows]
        return Page[self.out](items=items, total=total, page=query.page, per_page=query.per_page)  # type: ignore[name-defined]

    # -- writing

    @property
    def entity(self) -> str:
        """The audit log's name for these records: the table name."""
        return str(self.model.__tablename__)

    def stored(self, row: Any) -> dict[str, Any]:
        """The stored record as create-schema fields."""
        return self.to_input(row) if self.to_input else {f: getattr(row, f) for f in self.create.model_fields}

    def create_record(self, db: Session, data: InputModel) -> Any:
        self.check(db, data, None)
        row = self.model()
        self.copy(db, row, data)
        db.add(row)
        db.flush()
        values = {name: (None, value) for name, value in data.model_dump().items() if value not in (None, [])}
        audit.log_changes(db, self.entity, row.id, "create", values)  # type: ignore[attr-defined]
        commit(db)
        return self.find(db, row.id)  # type: ignore[attr-defined]

    def update_record(self, db: Session, record_id: int, changes: InputModel) -> Any:
        row = self.find(db, record_id)
        stored = self.stored(row)
        merged = stored | changes.model_dump(exclude_unset=True)
        try:
            data = self.create.model_validate(merged)
        except ValidationError as exc:
            raise Unprocessable(field_errors(exc)) from None
        changed = audit.diff(stored, data.model_dump())
        needs_reason = sorted(self.reason_required & set(changed))
        if needs_reason and audit.request_reason() is None:
            raise Unprocessable([FieldError(audit.REASON_HEADER, f"a change of {', '.join(needs_reason)} needs a "
                                             f"reason: send it in the {audit.REASON_HEADER} header")])  # fmt: skip
        self.check(db, data, row)
        self.copy(db, row, data)
        audit.log_changes(db, self.entity, record_id, "update", changed)
        commit(db)
        db.expire(row)
        return self.find(db, record_id)

    def delete_record(self, db: Session, record_id: int) -> None:
        row = self.find(db, record_id)
        users = referencing(db, self.model, record_id)
        if users:
            raise Conflict(f"{self.label} {record_id} is still referenced by {', '.join(users)}; remove those first")
        values = {name: (value, None) for name, value in self.stored(row).items() if value not in (None, [])}
        audit.log_changes(db, self.entity, record_id, "delete", values)
        db.delete(row)
        commit(db)

    def check(self, db: Session, data: InputModel, row: Any) -> None:
        """Raise 422 for unknown referenced ids or broken area rules, then 409 for taken unique values."""
        errors = [
            FieldError(name, f"no {getattr(target, 'label', target.__name__)} with id {value}")
            for name, target in self.references.items()
            if (value := getattr(data, name)) is not None and db.get(target, value) is None
        ]
        if not errors and self.rules:
            errors = self.rules(db, data, row)
        if errors:
            raise Unprocessable(errors)
        for fields in self.unique:
            values = {f: getattr(data, f) for f in fields}
            if any(v is None for v in values.values()):
                continue
            statement = select(self.model).where(*(getattr(self.model, f) == v for f, v in values.items()))
            if row is not None:
                statement = statement.where(self.model.id != row.id)  # type: ignore[attr-defined]
            if db.scalar(statement.limit(1)) is not None:
                described = " and ".join(f"{f} {v}" for f, v in values.items())
                raise Conflict(f"a {self.label} with {described} already exists", field=fields[-1])

    def copy(self, db: Session, row: Any, data: InputModel) -> None:
        if self.apply:
            self.apply(db, row, data)
            return
        for name in self.create.model_fields:
            setattr(row, name, getattr(data, name))


def page_total(db: Session, query: ListQuery, found: int, count: Select[Any]) -> int:
    """The number of matching items; the ``count`` query runs only when the first page does not tell (it is full,
    or it is a later page)."""
    if query.page == 1 and found < query.per_page:
        return found
    return int(db.scalar(count) or 0)


def commit(db: Session) -> None:
    """Commit; a constraint the checks did not foresee (a concurrent insert) becomes a 409, not a 500."""
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise Conflict(f"the change conflicts with the stored records: {exc.orig}") from None


def referencing(db: Session, model: type[Base], record_id: int) -> list[str]:
    """``"<count> <table> (<column>)"`` for every table whose non-cascading foreign keys point at the record."""
    table = model.__table__
    out = []
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and (fk.ondelete or "").upper() != "CASCADE":
                count = db.scalar(select(func.count()).select_from(other).where(fk.parent == record_id))
                if count:
                    out.append(f"{count} {other.name} ({fk.parent.name})")
    return out


def register(bp: Blueprint, resource: Resource, plural: str) -> None:
    """Add list, create, get, update and (if deletable) delete endpoints for ``resource`` to ``bp``."""
    r, label = resource, resource.label
    item = f"{r.path}/<int:id>"
    read, write = r.read, r.write
    if read is None or write is None:
        raise TypeError(f"resource {r.path} declares no role rule: give read= and write=")
    if read.scopes and r.scope is None:
        raise TypeError(f"resource {r.path}: the read rule has scoped roles {sorted(read.scopes)} but no scope=")

    @endpoint(bp, r.path, "GET", name=f"list_{r.key}", summary=f"List {plural}", query=r.query, response=Page[r.out],  # type: ignore[name-defined]
              roles=read)  # fmt: skip
    def list_view(query: ListQuery) -> Page[Any]:
        return r.list_page(session(), query)

    @endpoint(bp, r.path, "POST", name=f"create_{r.key}", summary=f"Create a {label}", body=r.create, response=r.out,
              status=201, errors=(409,), roles=write, audited=True)  # fmt: skip
    def create_view(body: InputModel) -> Any:
        return r.create_record(session(), body)

    @endpoint(bp, item, "GET", name=f"get_{r.key}", summary=f"Get a {label}", response=r.out, roles=read)
    def get_view(id: int) -> Any:
        return r.find_visible(session(), id)

    @endpoint(bp, item, "PATCH", name=f"update_{r.key}", summary=f"Change a {label}", body=r.update, response=r.out,
              errors=(409,), roles=write, audited=True)  # fmt: skip
    def update_view(id: int, body: InputModel) -> Any:
        return r.update_record(session(), id, body)

    if r.deletable:

        @endpoint(bp, item, "DELETE", name=f"delete_{r.key}", summary=f"Delete a {label} nothing refers to",
                  status=204, errors=(409,), roles=write, audited=True)  # fmt: skip
        def delete_view(id: int) -> None:
            r.delete_record(session(), id)
