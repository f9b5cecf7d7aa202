from peerlearn.recommender.candidates import candidate_mask
from peerlearn.recommender.data import UserProfile
from peerlearn.recommender.engine import Recommender
from tests.recommender.helpers import NOW, book, item, plain_config


def catalogue():
    return [
        item("ok", ["python"], mentor="m1"),
        item("past", ["python"], start_days=-1, mentor="m1"),
        item("full", ["python"], mentor="m1", capacity_left=0),
        item("mine", ["python"], mentor="me"),
        item("booked", ["python"], mentor="m2"),
        item("french", ["python"], mentor="m2", language="French"),
        item("pricey", ["python"], mentor="m2", price_minor=5000),
        item("no_seat_info", ["python"], mentor="m3", language="English", price_minor=100),
    ]


def test_filters_never_offer_full_past_own_or_booked_sessions():
    rec = Recommender(plain_config()).fit(catalogue(), [book("me", "booked"), book("x", "ok")], now=NOW)
    for limit in (1, 3, 10):
        ids = {r.item_id for r in rec.recommend("me", NOW, limit)}
        assert not ids & {"past", "full", "mine", "booked"}
    assert {r.item_id for r in rec.recommend("me", NOW, 10)} == {"ok", "french", "pricey", "no_seat_info"}


def test_language_and_price_cap_apply_when_set():
    profile = UserProfile("me", ["python"], language="english", price_cap_minor=1000)
    rec = Recommender(plain_config()).fit(catalogue(), [book("x", "ok")], [profile], now=NOW)
    ids = {r.item_id for r in rec.recommend("me", NOW, 10)}
    assert ids == {"ok", "booked", "no_seat_info"}  # no language set means any language


def test_exclude_and_capacity_taken_by_a_booking():
    items = [item("a", ["x"], capacity_left=1), item("b", ["x"])]
    rec = Recommender(plain_config()).fit(items, [book("x", "b")], now=NOW)
    assert [r.item_id for r in rec.recommend("me", NOW, 10, exclude=["b"])] == ["a"]
    from peerlearn.recommender.data import Interaction

    rec.partial_update(Interaction("someone", "a", NOW))  # takes the last seat
    assert "a" not in {r.item_id for r in rec.recommend("me", NOW, 10)}


def test_mask_function_directly():
    rec = Recommender(plain_config()).fit(catalogue(), [], now=NOW)
    f = rec.features
    mask = candidate_mask(f, NOW.timestamp(), booked=[f.index["ok"]], user_id="me")
    allowed = {f.items[i].item_id for i in mask.nonzero()[0]}
    assert allowed == {"booked", "french", "pricey", "no_seat_info"}
