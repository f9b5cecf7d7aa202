"""Which interaction rows this process's recommender has already learned from, so every node catches up.

Each app process keeps its own model (peerlearn/insights/recommendations.py). An interaction recorded on one node
updates that node's model at once (after commit); the other nodes learn of it through a change counter in Redis
(`INCR` on every batch) that they read before serving: when it moved, they read the interaction rows they have not
applied yet (`id > floor`) and apply those. A missed counter change costs nothing, since the rows are the source.

Saved profiles travel the same way (ProfileFeed): the process where a profile is saved bumps the same counter and,
in the same atomic step, lists the learner in a Redis sorted set under the counter's new value (and drops their
cached lists). A process that sees the counter move reloads the profiles listed above the value it last caught up
to, from the database, before it serves; a cached list computed before a learner's latest change is never served.

Rows are applied once: ids above `floor` are remembered in `applied`. Database ids are handed out before commit,
so a row with a lower id can still commit after a higher one; the floor therefore only moves past rows older than
HORIZON_SECONDS (no write transaction runs that long), and anything above it is checked against `applied`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

VERSION_KEY = "peerlearn:rec:interactions:version"
HORIZON_SECONDS = 120
PROFILES_KEY = "peerlearn:rec:profiles"  # sorted set: user id -> the counter value at their latest profile save
PROFILE_WINDOW = 1_000_000  # counter steps a save stays listed; a process further behind reloads every profile

# KEYS: the counter, the sorted set, then the changed learners' cache keys; ARGV: the window, then their user ids.
# One atomic step: whoever reads counter value v finds every profile saved up to v listed, and no stale cache.
ANNOUNCE_PROFILES_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[2], n, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', n - tonumber(ARGV[1]))
for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
return n
"""


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


def counter_value(version: str | None) -> int:
    """The Redis change counter as a number (0 before anything was announced)."""
    return int(version) if version else 0


class ProfileFeed:
    """Which saved profiles this process's model has taken in: every save announced up to `mark` (a counter value)
    is in the model, and so is every save in this process up to `local` (a count of them)."""

    def __init__(self) -> None:
        self.mark = 0
        self.local = 0
        self.recent: dict[int, int] = {}  # user id -> `local` at their latest save in this process
        self.pending: set[int] = set()  # learners whose saved profile the model has not taken in yet

    def saved_here(self, user_ids: list[int]) -> None:
        self.local += 1
        for user_id in user_ids:
            self.recent[user_id] = self.local
        self.pending.update(user_ids)

    def trained(self, mark: int, local: int) -> None:
        """A full training read every profile saved up to counter `mark` and local save `local`; saves after those
        (they may have committed after the training read) are taken in again."""
        self.mark = mark
        self.recent = {user_id: seen for user_id, seen in self.recent.items() if seen > local}
        self.pending = set(self.recent)

    def behind(self, version: int) -> bool:
        """So far behind that saves may have left the listing: every profile must be reloaded."""
        return version - self.mark > PROFILE_WINDOW
