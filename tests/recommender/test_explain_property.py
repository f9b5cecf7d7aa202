"""Explanations are true by construction: over many random marketplaces and learners, every interest, skill or past
session an explanation names is in that learner's declared profile or their history."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlearn.recommender.data import Interaction, Item, UserProfile
from peerlearn.recommender.engine import Recommender
from peerlearn.recommender.features import normalise_tag
from tests.recommender.helpers import NOW, earlier, later, plain_config

SKILLS = ["Python", "Japanese", "Machine Learning", "Singing", "Music Production", "Finance", "Marketing", "SQL"]
CATEGORIES = ["Programming", "Languages", "Data Science", "Music", "Business"]
COMPONENTS = ("content", "collab", "popularity", "trending")

STATED = re.compile(r"^Matches your interest in (.+)$")
PAST = re.compile(r"^Based on your activity in (.+)$")
SIMILAR = re.compile(r"^Similar to “(.+)”, which you (booked|viewed)$")
COBOOKED = re.compile(r"^Learners who booked “(.+)” also booked this$")
FACET = re.compile(r"^Learners interested in (.+?) (?:also book .+|book this mentor)$")
SAME_FACET = re.compile(r"^Popular with learners who book (.+) sessions$")


def _names(group: str) -> set[str]:
    return {normalise_tag(n) for n in re.split(r", | and ", group)}


@st.composite
def marketplaces(draw: st.DrawFn) -> tuple[list[Item], list[Interaction], list[UserProfile], dict[str, float]]:
    n_items = draw(st.integers(3, 14))
    items = [
        Item(
            item_id=f"s{i}",
            tags=draw(st.lists(st.sampled_from(SKILLS), min_size=0, max_size=3, unique=True)),
            category=draw(st.none() | st.sampled_from(CATEGORIES)),
            title=f"Session {i}",
            mentor_id=f"m{draw(st.integers(0, 4))}",
            start_at=later(draw(st.floats(-20, 20))),
        )
        for i in range(n_items)
    ]
    users = [f"u{k}" for k in range(draw(st.integers(1, 8)))]
    events = draw(
        st.lists(
            st.tuples(
                st.sampled_from(users),
                st.integers(0, n_items - 1),
                st.floats(0.1, 40),
                st.sampled_from([1.0, 0.5, 0.3]),
            ),
            max_size=40,
        )
    )
    history = [Interaction(u, f"s{i}", earlier(days), weight=w) for u, i, days, w in events]
    declared = [
        UserProfile(u, draw(st.lists(st.sampled_from(SKILLS + CATEGORIES + ["Knitting"]), max_size=3, unique=True)))
        for u in users
        if draw(st.booleans())
    ]
    raw = draw(st.lists(st.floats(0, 1), min_size=4, max_size=4))
    weights = {c: w for c, w in zip(COMPONENTS, raw, strict=True)} if sum(raw) > 0 else {"content": 1.0}
    return items, history, declared, weights


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marketplaces(), st.booleans())
def test_every_interest_or_session_an_explanation_names_is_the_learners_own(market, later_profile) -> None:
    items, history, declared, weights = market
    rec = Recommender(plain_config(mmr_lambda=0.85, exploration_share=0.1)).fit(items, history, declared, now=NOW)
    rec.weights = {"warm": dict(weights), "cold": dict(weights)}
    profiles = {p.user_id: p for p in declared}
    if later_profile and declared:  # a profile saved after the fit, as the running app applies it
        changed = UserProfile(declared[0].user_id, ["Japanese", "Finance"])
        rec.set_profiles([changed])
        profiles[changed.user_id] = changed
    by_id = {item.item_id: item for item in items}
    for user in sorted({x.user_id for x in history} | set(profiles)):
        stated = {normalise_tag(t) for t in (profiles[user].tags if user in profiles else [])}
        past = [by_id[x.item_id] for x in history if x.user_id == user]
        past_facets = {
            normalise_tag(t) for item in past for t in [*item.tags, *([item.category] if item.category else [])]
        }
        titles = {item.title for item in past}
        booked_titles = {by_id[x.item_id].title for x in history if x.user_id == user and x.weight >= 0.5}
        for r in rec.recommend(user, NOW, limit=5) + rec.recommend_mentors(user, NOW, limit=3):
            text = r.explanation
            item = by_id.get(getattr(r, "item_id", None))
            if m := STATED.match(text):
                assert _names(m.group(1)) <= stated, (user, text, stated)
                if item is not None:  # and the session really teaches it
                    assert _names(m.group(1)) <= {normalise_tag(t) for t in [*item.tags, item.category or ""]}
            elif m := PAST.match(text):
                assert _names(m.group(1)) <= past_facets, (user, text, past_facets)
            elif m := SIMILAR.match(text):
                assert m.group(1) in (booked_titles if m.group(2) == "booked" else titles), (user, text)
            elif m := COBOOKED.match(text):
                assert m.group(1) in titles, (user, text, titles)
            elif m := FACET.match(text) or SAME_FACET.match(text):
                assert normalise_tag(m.group(1)) in stated | past_facets, (user, text)
