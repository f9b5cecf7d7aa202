"""'Recommended for you': the learner's ranked sessions with their reasons, and the dismiss control."""

from __future__ import annotations

import reflex as rx

from peerlearn.db import read_scope, session_scope
from peerlearn.insights import recommendations as recs
from peerlearn.models import User
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui.format.catalog import recommendation_card
from peerlearn.ui.offload import run_in_background_lane
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import RecommendationCard


class RecommendationsState(AuthState):
    recommended: list[RecommendationCard] = []

    @rx.event(background=True)
    async def load_recommendations(self):
        """Ranked outside the page's state lock (a background event chained by the page load): the page and its
        search results do not wait for the ranking, and this list fills in when it is ready. It ranks for the
        user the page load's guard has just recognised from the login cookie (this state's `user_id`, which only
        the server sets), so the token is not looked up a second time; it changes nothing on their behalf beyond
        the impressions of what it shows."""
        items: list[recs.RecommendationPublic] = []
        if user_id := self.user_id:

            def rank_and_record() -> list[recs.RecommendationPublic]:
                with read_scope() as db:
                    user = db.get(User, user_id)
                    if user is None or not user.is_active:
                        return []
                    ranked = recs.recommendations_for(user, db=db, limit=6)
                with session_scope() as db:
                    recs.record_shown(user, [item.session.id for item in ranked], db=db)
                return ranked

            try:
                items = await run_in_background_lane(rank_and_record)
            except ServiceError:
                items = []
        async with self:
            tz = self.viewer_timezone
            self.recommended = [recommendation_card(item, tz) for item in items]

    async def _feedback(self, session_id: str, action: str) -> None:
        await self._as_user(lambda user, db: recs.record_feedback(user, int(session_id), action, db=db), write=True)

    async def open_recommendation(self, session_id: str):
        try:
            await self._feedback(session_id, "click")
        except (AuthenticationError, ServiceError):
            pass  # the click is a signal, never a reason to block the visit
        return rx.redirect(f"/sessions/{session_id}")

    async def dismiss(self, session_id: str):
        try:
            await self._feedback(session_id, "dismiss")
        except (AuthenticationError, ServiceError) as error:
            return rx.toast.error(getattr(error, "message", "Please log in."))
        self.recommended = [item for item in self.recommended if item.id != session_id]
        return rx.toast.info("Got it: we will show you fewer sessions like that.")
