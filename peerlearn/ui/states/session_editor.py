"""The session editor: the new-session form, pricing advice before publishing, and creating the session(s);
the same form prefilled to edit one session later (`update_session`, as PUT /api/sessions/{id}/ does)."""

from __future__ import annotations

from datetime import timedelta

import reflex as rx
from pydantic import ValidationError as PydanticValidationError
from sqlmodel import Session

from peerlearn.catalog import actions as session_service
from peerlearn.catalog.public import to_public
from peerlearn.insights import advice as session_advice
from peerlearn.models import User
from peerlearn.models.catalog import LearningSessionCreate, Recurrence
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui.format.session_form import EditorValues, FieldError, editor_values, error_field, session_changes
from peerlearn.ui.forms import FormError, first_error, local_to_utc, price_to_minor, skill_list, whole_number
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment


def _read_for_edit(mentor: User, session_id: int, tz: str, db: Session) -> EditorValues:
    session = session_service.owned_session(mentor, session_id, db=db)
    public = to_public([session], db=db)[0]
    return editor_values(session, public.skills, public.category or "", tz)


class SessionEditorState(AuthState):
    timezone: str = "UTC"
    editor_error: str = ""
    advice: list[str] = []
    edit_id: int = 0  # the session being edited (0: none found)
    before: EditorValues = EditorValues()  # the edit form starts with these; only what differs is sent
    field_errors: dict[str, str] = {}  # form input name -> what is wrong with it
    edit_version: int = 0  # a new load, a new form: its inputs start from `before` again

    def load_editor(self):
        """Dates and times in the form are in the mentor's own zone."""
        self.timezone = self.viewer_timezone

    async def load_edit(self):
        self.timezone, self.editor_error, self.field_errors, self.edit_id = self.viewer_timezone, "", {}, 0
        session_id, tz = last_path_segment(self.router.url.path.rstrip("/").removesuffix("/edit")), self.timezone
        try:
            self.before = await self._as_user(lambda mentor, db: _read_for_edit(mentor, session_id, tz, db))
        except AuthenticationError:
            return rx.redirect(f"/login?next={self.router.url.path}")
        except ServiceError as error:
            self.editor_error = error.message
            return None
        self.edit_id, self.edit_version = session_id, self.edit_version + 1
        return None

    async def submit_edit(self, form: dict):
        self.editor_error, self.field_errors = "", {}
        session_id, zone = self.edit_id, self.timezone
        try:
            changes = session_changes(form, self.before, zone)
        except FieldError as error:
            self.field_errors = {error.field: str(error)}
            return None
        try:
            await self._as_user(
                lambda mentor, db: session_service.update_session(mentor, session_id, changes, db=db, zone=zone),
                write=True,
            )
        except AuthenticationError:
            return rx.redirect(f"/login?next={self.router.url.path}")
        except ServiceError as error:
            field = error_field(error, changes)
            if field:
                self.field_errors = {field: error.message}
            else:
                self.editor_error = error.message
            return None
        return [rx.toast.success("Saved."), rx.redirect(f"/teach/sessions/{session_id}")]

    async def get_advice(self, form: dict):
        """Price range from comparable sessions and the chance of a good outcome, before publishing."""
        currency = (form.get("currency") or "USD").upper()
        try:
            price = price_to_minor(form.get("price", "0"), currency)
            capacity = whole_number(form.get("capacity", "1") or "1", "Seats", low=1, high=500)
        except FormError as error:
            self.advice = [str(error)]
            return
        skills = skill_list(form.get("skills", ""))

        def advise(mentor: User, db: Session) -> list[str]:
            suggestion = session_advice.suggest_price(skills, currency, db=db)
            hint = session_advice.session_success_hint(mentor.id, price, capacity, utcnow() + timedelta(days=7), db=db)
            return [suggestion.reason, hint.reason]

        self.advice = await self._as_user(advise)

    async def submit_session(self, form: dict):
        self.editor_error = ""
        try:
            data = self._session_input(form)
        except FormError as error:
            self.editor_error = str(error)
            return
        except PydanticValidationError as error:
            self.editor_error = first_error(error)
            return
        zone = self.viewer_timezone  # the form's times were read in this zone
        try:
            first_id = await self._as_user(
                lambda mentor, db: session_service.create_sessions(mentor, data, db=db, zone=zone)[0].id, write=True
            )
        except AuthenticationError:
            return rx.redirect("/login?next=/teach/new")
        except ServiceError as error:
            self.editor_error = error.message
            return
        return rx.redirect(f"/teach/sessions/{first_id}")

    def _session_input(self, form: dict) -> LearningSessionCreate:
        currency = (form.get("currency") or "USD").upper()
        start = local_to_utc(form.get("date", ""), form.get("time", ""), self.viewer_timezone)
        minutes = whole_number(form.get("minutes", "60"), "Duration", low=15, high=720)
        repeat = whole_number(form.get("weeks", "1") or "1", "Weeks", low=1, high=52)
        return LearningSessionCreate(
            title=form.get("title", ""),
            description=form.get("description", ""),
            skills=skill_list(form.get("skills", "")),
            category=form.get("category") or None,
            level=form.get("level") or "beginner",
            language=form.get("language") or "English",
            start_at=start,
            end_at=start + timedelta(minutes=minutes),
            capacity=whole_number(form.get("capacity", "1"), "Capacity", low=1, high=500),
            price_minor=price_to_minor(form.get("price", "0"), currency),
            currency=currency,
            min_notice_minutes=whole_number(form.get("notice", "60") or "0", "Booking notice", low=0, high=43200),
            cancellation_cutoff_hours=whole_number(
                form.get("cutoff", "24") or "0", "Cancellation cut-off", low=0, high=720
            ),
            refund_policy=form.get("refund_policy") or "full",
            partial_refund_percent=whole_number(
                form.get("partial_percent", "50") or "50", "Partial refund", low=0, high=100
            ),
            requires_approval=form.get("requires_approval") == "on",
            buffer_minutes=whole_number(form.get("buffer", "0") or "0", "Buffer", low=0, high=240),
            recurrence=Recurrence(count=repeat) if repeat > 1 else None,
            status="draft" if form.get("draft") == "on" else "published",
        )
