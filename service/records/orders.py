"""Orders on the movement of the contingent and the students' status history.

- ``GET /orders``: the register (filters: kind, year, student, dates; ``q`` in signatory or basis);
- ``POST /orders``: register an order; every student's status and history change, or none (422 with
  every problem, ``items.N.field``; rules in :mod:`models.contingent` and :mod:`service.contingent.orders`);
  orders are never changed or deleted: an order is undone only by a cancellation (another order);
- ``GET /orders/{id}``;
- ``GET /students/{id}/history``: the student's entries, oldest first;
- ``GET /students/{id}/state?on=DAY``: the entry in force at the end of the day (null before the first).

Access: the registrar registers orders; the record keepers (registrar, vice-rector, exam coordinator,
archivist) read the register and every history; a student reads their own history, an advisor their
groups' students' histories.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint
from pydantic import BaseModel
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from models.contingent import OrderKind, order_number
from service.api.routing import endpoint
from service.auth import REGISTRAR, allow, require_student
from service.auth.roles import RECORD_READERS
from service.contingent.history import entry_on, history_of
from service.contingent.orders import load_order, register_order, student_names
from service.contingent.policy import load_policy
from service.db import session
from service.errors import NotFound
from service.models import Order, OrderItem, Student, StudentState
from service.schemas.common import INT_MAX, Page
from service.schemas.orders import HistoryOut, OrderCreate, OrderOut, OrderQuery, StateOut, StateQuery

bp = Blueprint("orders", __name__)
ORDER_READERS = allow(*RECORD_READERS)
HISTORY_READERS = allow(*RECORD_READERS).scoped(student="own record", advisor="students of the groups they advise")


class StateOnOut(BaseModel):
    """The entry in force at the end of ``on`` (null: the student had no history yet)."""

    student_id: int
    on: dt.date
    state: StateOut | None


def order_out(order: Order) -> OrderOut:
    return OrderOut.of(order, student_names(session(), {item.student_id for item in order.items}))


def state_out(entry: StudentState) -> StateOut:
    order = entry.item.order if entry.item else None
    return StateOut(
        effective_on=entry.effective_on,
        kind=entry.kind,
        order_id=order.id if order else None,
        order_number=order_number(OrderKind(order.kind), order.year, order.sequence) if order else None,
        status=entry.status,
        programme_id=entry.programme_id,
        year_of_study=entry.year_of_study,
        study_form=entry.study_form,
        funding=entry.funding,
        language=entry.language,
        leave_ground=entry.leave_ground,
        leave_until=entry.leave_until,
    )


def find_order(order_id: int) -> Order:
    order = load_order(session(), order_id) if 0 < order_id <= INT_MAX else None
    if order is None:
        raise NotFound(f"no order with id {order_id}")
    return order


def find_student(student_id: int) -> Student:
    student = session().get(Student, student_id) if 0 < student_id <= INT_MAX else None
    if student is None:
        raise NotFound(f"no student with id {student_id}")
    return student


@endpoint(
    bp,
    "/orders",
    "GET",
    name="list_orders",
    summary="The register of orders",
    query=OrderQuery,
    response=Page[OrderOut],
    roles=ORDER_READERS,
)
def list_orders(query: OrderQuery) -> Page[OrderOut]:
    db = session()
    conditions: list[Any] = []
    if query.kind is not None:
        conditions.append(Order.kind == query.kind.value)
    if query.year is not None:
        conditions.append(Order.year == query.year)
    if query.date_from is not None:
        conditions.append(Order.date >= query.date_from)
    if query.date_to is not None:
        conditions.append(Order.date <= query.date_to)
    if query.student_id is not None:
        conditions.append(Order.id.in_(select(OrderItem.order_id).where(OrderItem.student_id == query.student_id)))
    if query.q:
        pattern = "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(Order.signatory.ilike(pattern, escape="\\"), Order.basis.ilike(pattern, escape="\\")))
    total = db.scalar(select(func.count()).select_from(Order).where(*conditions)) or 0
    orders = db.scalars(
        select(Order)
        .where(*conditions)
        .options(selectinload(Order.items), selectinload(Order.cancelled_by))
        .order_by(Order.date.desc(), Order.id.desc())
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    names = student_names(db, {item.student_id for order in orders for item in order.items})
    items = [OrderOut.of(order, names) for order in orders]
    return Page[OrderOut](items=items, total=total, page=query.page, per_page=query.per_page)


@endpoint(
    bp,
    "/orders",
    "POST",
    name="register_order",
    summary="Register an order: all its students move, or none",
    body=OrderCreate,
    response=OrderOut,
    status=201,
    errors=(409,),
    roles=REGISTRAR,
    audited=True,
)
def create_order(body: OrderCreate) -> OrderOut:
    db = session()
    return order_out(register_order(db, body, load_policy(db)))


@endpoint(
    bp, "/orders/<int:id>", "GET", name="get_order", summary="Get an order", response=OrderOut, roles=ORDER_READERS
)
def get_order(id: int) -> OrderOut:
    return order_out(find_order(id))


@endpoint(
    bp,
    "/students/<int:id>/history",
    "GET",
    name="student_history",
    summary="A student's status history",
    response=HistoryOut,
    roles=HISTORY_READERS,
)
def student_history(id: int) -> HistoryOut:
    find_student(id)
    require_student(session(), id)
    entries = history_of(session(), id)
    return HistoryOut(student_id=id, entries=[state_out(e) for e in entries])


@endpoint(
    bp,
    "/students/<int:id>/state",
    "GET",
    name="student_state",
    summary="A student's state on a day",
    query=StateQuery,
    response=StateOnOut,
    roles=HISTORY_READERS,
)
def student_state(id: int, query: StateQuery) -> StateOnOut:
    find_student(id)
    require_student(session(), id)
    day = query.on or dt.date.today()
    entry = entry_on(history_of(session(), id), day)
    return StateOnOut(student_id=id, on=day, state=state_out(entry) if entry else None)
