"""Users and API tokens over the API.

- ``/me``: the signed-in user (any user);
- ``/me/tokens``: list, create (the secret is shown once) and revoke (``DELETE``) the caller's own tokens;
- ``/users``: list, get, create and change users (registrar). Users are never deleted: set ``active``
  to false. A changed password ends the user's sessions; deactivation also stops their tokens. A
  registrar cannot take the registrar role from themselves or deactivate themselves (409), so the
  office cannot lock itself out by mistake.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from pydantic import ValidationError
from sqlalchemy import func, or_, select

from service.api.routing import endpoint
from service.auth import REGISTRAR, SIGNED_IN, require_actor
from service.auth import tokens as api_tokens
from service.auth.accounts import check_links, create_user, hash_password, log_user_change, snapshot
from service.auth.roles import Role
from service.db import session
from service.errors import Conflict, NotFound, Unprocessable, field_errors
from service.models import ApiToken, User, UserRole
from service.records.crud import commit
from service.schemas.common import INT_MAX, ListQuery, Page, SearchQuery, partial_model
from service.schemas.users import TokenCreate, TokenIssued, TokenOut, UserCreate, UserOut

bp = Blueprint("account", __name__)
UserUpdate = partial_model(UserCreate)


class UserQuery(SearchQuery):
    """Filters of the user list; ``q`` matches the username or full name."""

    role: Role | None = None
    active: bool | None = None


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut.model_validate({**_columns(token), "state": api_tokens.state(token)})


def _columns(token: ApiToken) -> dict[str, Any]:
    return {c: getattr(token, c) for c in ("id", "name", "prefix", "created_at", "expires_at", "revoked_at")}


def _me() -> User:
    user = session().get(User, require_actor().user_id)
    assert user is not None  # the actor was just loaded from it
    return user


@endpoint(bp, "/me", "GET", name="get_me", summary="The signed-in user", response=UserOut, roles=SIGNED_IN)
def me_view() -> Any:
    return _me()


@endpoint(bp, "/me/tokens", "GET", name="list_my_tokens", summary="My API tokens", query=ListQuery,
          response=Page[TokenOut], roles=SIGNED_IN)  # fmt: skip
def my_tokens_view(query: ListQuery) -> Page[TokenOut]:
    db, me = session(), _me()
    where = ApiToken.user_id == me.id
    total = db.scalar(select(func.count()).select_from(ApiToken).where(where)) or 0
    rows = db.scalars(select(ApiToken).where(where).order_by(ApiToken.id).limit(query.per_page)
                      .offset((query.page - 1) * query.per_page))  # fmt: skip
    return Page[TokenOut](items=[token_out(t) for t in rows], total=total, page=query.page, per_page=query.per_page)


@endpoint(bp, "/me/tokens", "POST", name="create_my_token", summary="Create an API token (the secret is shown once)",
          body=TokenCreate, response=TokenIssued, status=201, roles=SIGNED_IN)  # fmt: skip
def create_token_view(body: TokenCreate) -> TokenIssued:
    db = session()
    token, secret = api_tokens.issue(db, _me(), body.name, body.days)
    answer = TokenIssued.model_validate({**_columns(token), "state": "active", "token": secret})
    commit(db)
    return answer


@endpoint(bp, "/me/tokens/<int:id>", "DELETE", name="revoke_my_token", summary="Revoke one of my API tokens",
          status=204, roles=SIGNED_IN)  # fmt: skip
def revoke_token_view(id: int) -> None:
    db = session()
    token = db.get(ApiToken, id) if 0 < id <= INT_MAX else None
    if token is None or token.user_id != require_actor().user_id:
        raise NotFound(f"you have no API token with id {id}")
    api_tokens.revoke(db, token)
    commit(db)


def find_user(id: int) -> User:
    user = session().get(User, id) if 0 < id <= INT_MAX else None
    if user is None:
        raise NotFound(f"no user with id {id}")
    return user


@endpoint(bp, "/users", "GET", name="list_users", summary="List users", query=UserQuery, response=Page[UserOut],
          roles=REGISTRAR)  # fmt: skip
def list_users_view(query: UserQuery) -> Page[UserOut]:
    db = session()
    conditions = []
    if query.q:
        pattern = "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(User.username.ilike(pattern, escape="\\"), User.full_name.ilike(pattern, escape="\\")))
    if query.role is not None:
        conditions.append(User.role_rows.any(UserRole.role == query.role))
    if query.active is not None:
        conditions.append(User.active == query.active)
    total = db.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
    rows = db.scalars(select(User).where(*conditions).order_by(User.id).limit(query.per_page)
                      .offset((query.page - 1) * query.per_page))  # fmt: skip
    items = [UserOut.model_validate(u) for u in rows]
    return Page[UserOut](items=items, total=total, page=query.page, per_page=query.per_page)


@endpoint(bp, "/users/<int:id>", "GET", name="get_user", summary="Get a user", response=UserOut, roles=REGISTRAR)
def get_user_view(id: int) -> Any:
    return find_user(id)


@endpoint(bp, "/users", "POST", name="create_user", summary="Create a user", body=UserCreate, response=UserOut,
          status=201, errors=(409,), roles=REGISTRAR)  # fmt: skip
def create_user_view(body: UserCreate) -> Any:
    db = session()
    user = create_user(db, body)
    commit(db)
    return user


@endpoint(bp, "/users/<int:id>", "PATCH", name="update_user", summary="Change a user (roles, links, password, active)",
          body=UserUpdate, response=UserOut, errors=(409,), roles=REGISTRAR)  # fmt: skip
def update_user_view(id: int, body: Any) -> Any:
    db = session()
    user = find_user(id)
    changes = body.model_dump(exclude_unset=True)
    stored = {"username": user.username, "full_name": user.full_name, "password": "unchanged", "roles": user.roles,
              "teacher_id": user.teacher_id, "student_id": user.student_id, "active": user.active}  # fmt: skip
    try:
        data = UserCreate.model_validate(stored | changes)
    except ValidationError as exc:
        raise Unprocessable(field_errors(exc)) from None
    check_links(db, data, user)
    before = snapshot(user)
    if user.id == require_actor().user_id and ("registrar" not in data.roles or not data.active):
        raise Conflict("you cannot take the registrar role from yourself or deactivate yourself; ask another registrar")
    user.username, user.full_name, user.active = data.username, data.full_name, data.active
    user.teacher_id, user.student_id = data.teacher_id, data.student_id
    if "password" in changes:
        user.password_hash = hash_password(data.password)
    if "roles" in changes:
        user.role_rows = [UserRole(role=r) for r in sorted(set(data.roles))]
    db.flush()
    log_user_change(db, user, before, password_changed="password" in changes)
    commit(db)
    db.expire(user)
    return find_user(id)
