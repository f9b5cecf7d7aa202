"""Which media node hosts a session's room.

Room state (publications, relays, recorders) lives in one media process, so
everybody in a session must reach the same node. With one node that is the
answer. With several, the first token issued for a session claims the node
with the fewest open rooms in Redis (``SET NX``, expiring when the room
closes), and every app worker then reads the same answer. Without Redis,
several nodes are split by session id, which all workers also agree on but
which ignores load.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

ROOM_KEY = "peerlearn:media:room:{}"
NODE_ROOMS_KEY = "peerlearn:media:node-rooms:{}"


def node_for_room(session_id: int, closes_at: datetime, nodes: list[str], now: datetime, client: Any = None) -> str:
    """The base URL of the media node for this session's room."""
    if not nodes:
        raise ValueError("No media node is configured.")
    if len(nodes) == 1:
        return nodes[0]
    if client is None:
        return nodes[session_id % len(nodes)]
    key = ROOM_KEY.format(session_id)
    current = client.get(key)
    if current in nodes:
        return current
    if current is not None:  # its node was taken out of service
        client.delete(key)
    choice = min(nodes, key=lambda node: (_open_rooms(client, node, now), nodes.index(node)))
    ttl = max(int((closes_at - now).total_seconds()), 1)
    if client.set(key, choice, nx=True, ex=ttl):
        client.zadd(NODE_ROOMS_KEY.format(choice), {str(session_id): closes_at.timestamp()})
        return choice
    return client.get(key) or choice  # another worker claimed it first: use theirs


def _open_rooms(client: Any, node: str, now: datetime) -> int:
    key = NODE_ROOMS_KEY.format(node)
    client.zremrangebyscore(key, "-inf", now.timestamp())
    return int(client.zcard(key))
