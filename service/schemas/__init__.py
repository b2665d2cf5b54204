"""Pydantic schemas of the API, one module per area: the ONE source of request validation and of the
OpenAPI document. ``<Thing>Create`` validates a new record (and, merged with the stored record, an
update); ``<Thing>Out`` is what the API answers; ``<Thing>Query`` holds the list filters."""
