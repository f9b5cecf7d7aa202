"""Empty admin sections speak to an admin: what will appear and when, never a command to run."""

import re
from pathlib import Path

from peerlearn.insights.churn import ChurnModel
from peerlearn.models.types import utcnow
from peerlearn.ui.format.insights import churn_note

DEVELOPER_WORDS = re.compile(r"python -m|peerlearn\.cli|POST /api|GET /api|/api/admin")


def test_without_enough_history_the_churn_card_says_what_will_appear_and_when():
    note = churn_note(ChurnModel(utcnow(), False, "Not enough history (need 40 ...; have 3 and 1)."))
    assert note.startswith("Not enough booking history yet to tell who may stop booking.")
    assert "at least 40 learners" in note and "60-day periods" in note and "rebuilt every day" in note


def test_no_page_tells_an_admin_to_run_a_command():
    pages = Path(__file__).resolve().parents[2] / "peerlearn" / "ui" / "pages"
    offending = [p.name for p in pages.glob("*.py") if DEVELOPER_WORDS.search(p.read_text())]
    assert offending == []
