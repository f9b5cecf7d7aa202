"""Which interaction rows this process's recommender has already learned from, so every node catches up.

Each app process keeps its own model (peerlearn/insights/recommendations.py). An interaction recorded on one node
updates that node's model at once (after commit); the other nodes learn of it through a change counter in Redis
(`INCR` on every batch) that they read before serving: when it moved, they read the interaction rows they have not
applied yet (`id > floor`) and apply those. A missed counter change costs nothing, since the rows are the source.

Rows are applied once: ids above `floor` are remembered in `applied`. Database ids are handed out before commit,
so a row with a lower id can still commit after a higher one; the floor therefore only moves past rows older than
HORIZON_SECONDS (no write transaction runs that long), and anything above it is checked against `applied`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

VERSION_KEY = "peerlearn:rec:interactions:version"
HORIZON_SECONDS = 120


class InteractionFeed:
    def __init__(self) -> None:
        self.floor = 0  # every row with id <= floor is in the model (or never committed)
        self.applied: set[int] = set()  # ids above the floor that are in the model
        self.version: str | None = None  # the Redis counter when this process last caught up

    def reset(self, rows: list[tuple[int, datetime]], now: datetime) -> None:
        """After a full training on exactly these (id, created_at) rows."""
        self.floor, self.applied = 0, {row_id for row_id, _ in rows}
        self.advance(rows, now)

    def fresh(self, rows: list[tuple[int, datetime]]) -> list[int]:
        """The ids among these rows not applied yet; they count as applied from now on."""
        new = [row_id for row_id, _ in rows if row_id > self.floor and row_id not in self.applied]
        self.applied.update(new)
        return new

    def advance(self, rows: list[tuple[int, datetime]], now: datetime) -> None:
        """Move the floor past the applied rows old enough that no lower id can still commit."""
        settled = now - timedelta(seconds=HORIZON_SECONDS)
        old = [row_id for row_id, created in rows if row_id in self.applied and _naive(created) <= _naive(settled)]
        if old:
            self.floor = max(self.floor, max(old))
            self.applied = {row_id for row_id in self.applied if row_id > self.floor}


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)
