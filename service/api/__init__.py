"""The JSON API under ``/api``: the area blueprints of :mod:`service.records` and ``/api/openapi.json``."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from service.api.openapi import build_document
from service.api.routing import Endpoint
from service.auth import PUBLIC

API_PREFIX = "/api"
bp = Blueprint("meta", __name__, url_prefix=API_PREFIX)


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of every API endpoint."""
    return jsonify(build_document(current_app))


openapi_document.api_endpoint = Endpoint(  # type: ignore[attr-defined]
    "GET", "The OpenAPI 3.1 document of this API", "meta", roles=PUBLIC
)


def init_app(app: Flask) -> None:
    """Register the area blueprints and the document on ``app``."""
    from service.records import BLUEPRINTS

    for area in BLUEPRINTS:
        app.register_blueprint(area, url_prefix=API_PREFIX)
    app.register_blueprint(bp)
