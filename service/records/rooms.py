"""Rooms."""

from __future__ import annotations

from flask import Blueprint

from service.auth import EVERY_ROLE, allow
from service.models import Room
from service.records.crud import Resource, register
from service.schemas.rooms import RoomCreate, RoomOut, RoomQuery

bp = Blueprint("rooms", __name__)

ROOMS = Resource(
    "/rooms",
    Room,
    RoomCreate,
    RoomOut,
    RoomQuery,
    unique=[("code",)],
    search=("code", "building"),
    filters={"min_capacity": lambda seats: Room.capacity >= seats},
    read=EVERY_ROLE,
    write=allow("registrar", "scheduler"),
)
register(bp, ROOMS, "rooms")
