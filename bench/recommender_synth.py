"""Synthetic marketplace data from a latent-factor model (for benchmarks only).

Learners and sessions live in a d-dimensional taste space; a learner books
sessions with probability ~ softmax(u.v / temperature + item bias). Tags and
mentors are noisy functions of the session's position, so collaborative
signal is strong and content signal is partial.

As a library: ``generate(...) -> (items, interactions, profiles, now)``.
As a script: ``python bench/recommender_synth.py --out DIR`` writes the generic
CSVs (``interactions.csv``, ``items.csv``, ``users.csv``) for
``python -m peerlearn.recommender.evaluate``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from peerlearn.recommender.data import Interaction, Item, UserProfile

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def generate(
    n_users: int = 3000,
    n_items: int = 1500,
    n_interactions: int = 60000,
    n_tags: int = 120,
    n_mentors: int = 300,
    dim: int = 12,
    temperature: float = 0.5,
    history_days: float = 180.0,
    upcoming: bool = False,
    arrival_spread: float = 0.9,
    seed: int = 7,
):
    """Return (items, interactions, profiles, now).

    ``upcoming=True`` gives every session a start in the 30 days after ``now``
    and puts each booking before it (a live catalogue, for the latency bench);
    otherwise items never expire (start_at None), like a course catalogue.
    """
    rng = np.random.default_rng(seed)
    mentor_centres = rng.normal(size=(n_mentors, dim))
    item_mentor = rng.integers(0, n_mentors, n_items)
    item_vec = 0.7 * mentor_centres[item_mentor] + 0.7 * rng.normal(size=(n_items, dim))
    item_bias = rng.normal(scale=0.7, size=n_items)
    tag_vec = rng.normal(size=(n_tags, dim))
    user_vec = rng.normal(size=(n_users, dim))

    items: list[Item] = []
    tag_logits = item_vec @ tag_vec.T / 1.5
    for i in range(n_items):
        p = np.exp(tag_logits[i] - tag_logits[i].max())
        p /= p.sum()
        tags = rng.choice(n_tags, size=3, replace=False, p=p)
        start = NOW + timedelta(days=float(rng.uniform(0.05, 30))) if upcoming else None
        items.append(
            Item(
                item_id=i,
                tags=[f"skill{t}" for t in tags],
                start_at=start,
                title=f"Session {i} on " + " and ".join(f"skill{t}" for t in tags),
                description="",
                mentor_id=f"m{item_mentor[i]}",
                capacity_left=int(rng.integers(1, 30)),
                category=f"cat{tags[0] % 12}",
            )
        )

    counts = np.maximum(1, rng.lognormal(mean=0.0, sigma=0.8, size=n_users))
    counts = np.clip(np.round(counts / counts.sum() * n_interactions).astype(int), 1, n_items // 2)
    interactions: list[Interaction] = []
    start_s = NOW - timedelta(days=history_days)
    for u in range(n_users):
        logits = user_vec[u] @ item_vec.T / (temperature * np.sqrt(dim)) + item_bias
        p = np.exp(logits - logits.max())
        p /= p.sum()
        chosen = rng.choice(n_items, size=counts[u], replace=False, p=p)
        arrival = rng.uniform(0, history_days * arrival_spread)  # late arrivals become cold-start learners
        days = np.sort(rng.uniform(arrival, history_days, size=counts[u]))
        for item, day in zip(chosen, days, strict=True):
            interactions.append(
                Interaction(user_id=f"u{u}", item_id=int(item), ts=start_s + timedelta(days=float(day)))
            )

    profiles = []
    for u in range(n_users):
        if u % 3 == 0:  # a third of learners declared interests
            top = np.argsort(-(user_vec[u] @ tag_vec.T))[:3]
            profiles.append(UserProfile(user_id=f"u{u}", tags=[f"skill{t}" for t in top]))
    return items, interactions, profiles, NOW


def write_csv(out: Path, items, interactions, profiles) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "items.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["item_id", "tags", "start_at", "title", "description", "mentor_id", "category"])
        for it in items:
            w.writerow(
                [
                    it.item_id,
                    "|".join(it.tags),
                    it.start_at.isoformat() if it.start_at else "",
                    it.title,
                    it.description,
                    it.mentor_id,
                    it.category,
                ]
            )
    with open(out / "interactions.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user_id", "item_id", "timestamp"])
        for x in interactions:
            w.writerow([x.user_id, x.item_id, x.ts.isoformat()])
    with open(out / "users.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user_id", "tags"])
        for p in profiles:
            w.writerow([p.user_id, "|".join(p.tags)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic latent-factor dataset as generic CSVs.")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "out" / "synth")
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--items", type=int, default=1500)
    parser.add_argument("--interactions", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    items, interactions, profiles, now = generate(args.users, args.items, args.interactions, seed=args.seed)
    write_csv(args.out, items, interactions, profiles)
    print(
        f"wrote {args.out}: {len(items)} items, {len(interactions)} interactions, {len(profiles)} profiles; "
        f"suggested cut {(now - timedelta(days=36)).date().isoformat()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
