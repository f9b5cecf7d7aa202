"""The /paths page: type or pick a goal, see the path with progress, follow it, and the next step's sessions."""

from __future__ import annotations

from sqlmodel import Session

from peerlearn.models import User
from peerlearn.paths import actions as paths
from peerlearn.paths.public import PathDetailPublic, PathListPublic, PathPublic
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.format.paths import (
    NextSession,
    PathCard,
    next_sessions,
    next_step_title,
    path_card,
    path_cards,
    ranked_note,
)
from peerlearn.ui.states.auth import AuthState

NO_PATH = PathCard("", "", "", False, False, "", [])
GOAL_PICKS = ["Data analyst", "Conversational Japanese", "Python", "Product manager"]


def _first_detail(user: User, found: list[PathPublic], db: Session) -> PathDetailPublic | None:
    return paths.path_detail(found[0].id, learner=user, db=db) if found else None


class PathsState(AuthState):
    goal: str = ""
    message: str = ""
    results: list[PathCard] = []
    mine: list[PathCard] = []
    shown: PathCard = NO_PATH
    has_shown: bool = False
    next_title: str = ""
    next_note: str = ""
    sessions: list[NextSession] = []
    error: str = ""
    loading: bool = False

    def _show(self, detail: PathDetailPublic | None) -> None:
        self.shown, self.has_shown = (path_card(detail), True) if detail else (NO_PATH, False)
        self.next_title = next_step_title(detail) if detail else ""
        self.next_note = ranked_note(detail) if detail else ""
        self.sessions = next_sessions(detail, self.viewer_timezone) if detail else []

    async def load_paths(self):
        if not self.user_id:
            return
        self.error, self.message, self.results = "", "", []

        def work(user: User, db: Session) -> tuple[list[PathPublic], PathDetailPublic | None]:
            mine = paths.my_paths(user, db=db)
            return mine, _first_detail(user, mine, db)

        mine, detail = await self._as_user(work)
        self.mine = path_cards(mine)
        self._show(detail)

    async def _find(self, goal: str):
        self.goal, self.error, self.loading = goal, "", True
        yield

        def work(user: User, db: Session) -> tuple[PathListPublic, PathDetailPublic | None]:
            found = paths.find_paths(goal, learner=user, db=db)
            return found, _first_detail(user, found.paths, db)

        try:
            found, detail = await self._as_user(work, write=True)
        except ServiceError as error:
            self.error, self.loading = error.message, False
            return
        self.goal, self.message, self.results = found.goal, found.message, path_cards(found.paths)
        self._show(detail)
        self.loading = False

    async def submit_goal(self, form_data: dict):
        async for update in self._find(str(form_data.get("goal", ""))):
            yield update

    async def pick_goal(self, goal: str):
        async for update in self._find(goal):
            yield update

    async def follow(self, path_id: str):
        def work(user: User, db: Session) -> tuple[list[PathPublic], PathDetailPublic]:
            paths.follow_path(int(path_id), user, db=db)
            return paths.my_paths(user, db=db), paths.path_detail(int(path_id), learner=user, db=db)

        try:
            mine, detail = await self._as_user(work, write=True)
        except ServiceError as error:
            self.error = error.message
            return
        self.mine = path_cards(mine)
        self.results = [path_card(detail) if card.id == path_id else card for card in self.results]
        self._show(detail)

    async def show(self, path_id: str):
        try:
            detail = await self._as_user(lambda user, db: paths.path_detail(int(path_id), learner=user, db=db))
        except ServiceError as error:
            self.error = error.message
            return
        self._show(detail)
