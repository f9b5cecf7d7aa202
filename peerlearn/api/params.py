"""Typed, range-checked path and query parameters shared by every route.

Ids are the database's INTEGER primary keys, so anything outside 1..2**31-1 cannot name a row.
Refusing it in the schema gives a 422 in the one error shape before any query runs, instead of the
driver overflowing into a 500 (SQLite above 2**63, PostgreSQL already above 2**31). Every route takes
its ids through these aliases, so the OpenAPI document carries the same bounds for each of them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from peerlearn.models.inputs import MAX_ROW_ID

MAX_ID = MAX_ROW_ID
MAX_MINOR_AMOUNT = 100_000_000  # the largest price a session can have (LearningSessionCreate.price_minor)

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive database id")]
AfterId = Annotated[int, Query(ge=0, le=MAX_ID, description="Only items with a larger id (0: from the start)")]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Amount = Annotated[int | None, Query(ge=0, le=MAX_MINOR_AMOUNT, description="Minor units (cents)")]
