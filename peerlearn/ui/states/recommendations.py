"""'Recommended for you': the learner's ranked sessions with their reasons, and the dismiss control."""

from __future__ import annotations

import reflex as rx

from peerlearn.db import session_scope
from peerlearn.insights import recommendations as recs
from peerlearn.models import Profile
from peerlearn.money import format_money
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.states.auth import AuthState


class RecommendationsState(AuthState):
    recommended: list[dict[str, str]] = []

    def load_recommendations(self):
        if not self.user_id:
            self.recommended = []
            return
        try:
            with session_scope() as db:
                user = self._current_user(db)
                tz = (db.get(Profile, user.id) or Profile(user_id=user.id)).timezone
                items = recs.recommendations_for(user, db=db, limit=6)
                recs.log_impressions(user, [item.session.id for item in items], db=db)
        except (AuthenticationError, ServiceError):
            self.recommended = []
            return
        self.recommended = [
            {
                "id": str(item.session.id),
                "title": item.session.title,
                "why": item.explanation,
                "when": format_local(item.session.start_at, tz),
                "mentor": item.session.mentor.full_name,
                "price": "Free"
                if item.session.price_minor == 0
                else format_money(item.session.price_minor, item.session.currency),
            }
            for item in items
        ]

    def _feedback(self, session_id: str, action: str) -> None:
        with session_scope() as db:
            recs.record_feedback(self._current_user(db), int(session_id), action, db=db)

    def open_recommendation(self, session_id: str):
        try:
            self._feedback(session_id, "click")
        except (AuthenticationError, ServiceError):
            pass  # the click is a signal, never a reason to block the visit
        return rx.redirect(f"/sessions/{session_id}")

    def dismiss(self, session_id: str):
        try:
            self._feedback(session_id, "dismiss")
        except (AuthenticationError, ServiceError) as error:
            return rx.toast.error(getattr(error, "message", "Please log in."))
        self.recommended = [item for item in self.recommended if item["id"] != session_id]
        return rx.toast.info("Got it: we will show you fewer sessions like that.")
