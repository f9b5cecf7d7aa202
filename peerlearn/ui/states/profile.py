"""The profile editor: read the form, call the accounts service, show the result."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError as PydanticValidationError

from peerlearn.accounts import actions as accounts
from peerlearn.models.enums import SkillLevel
from peerlearn.models.users import PasswordChange, ProfileUpdate, SkillLevelPublic
from peerlearn.platform.errors import ServiceError
from peerlearn.ui import routes
from peerlearn.ui.forms import first_error
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import SkillChip

SKILL_LEVELS = [level.value for level in SkillLevel]


class ProfileState(AuthState):
    full_name: str = ""
    bio: str = ""
    timezone: str = "UTC"
    interests: str = ""
    learning_goals: str = ""
    career_objective: str = ""
    domain: str = ""
    headline: str = ""
    skills: list[SkillChip] = []
    new_skill: str = ""
    new_skill_level: str = SkillLevel.BEGINNER.value
    saved_message: str = ""
    loaded: bool = False

    @rx.event
    def set_new_skill(self, value: str):
        self.new_skill = value

    @rx.event
    def set_new_skill_level(self, value: str):
        self.new_skill_level = value

    async def load_profile(self):
        if not await self._recognise():
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")
        self.saved_message = self.form_error = ""
        self.loaded = False
        user_id = self.user_id
        profile = await self._read(lambda db: accounts.get_profile(user_id, db=db))
        self.full_name = profile.user.full_name
        self.bio, self.timezone = profile.bio, profile.timezone
        self.interests = ", ".join(profile.interests)
        self.learning_goals, self.career_objective = profile.learning_goals, profile.career_objective
        self.domain, self.headline = profile.domain, profile.headline
        self.skills = [SkillChip(s.name, s.level.value) for s in profile.skills]
        self.loaded = True

    def add_skill(self):
        name = " ".join(self.new_skill.split())
        if not name:
            return
        self.skills = [s for s in self.skills if s.name.lower() != name.lower()] + [
            SkillChip(name, self.new_skill_level)
        ]
        self.new_skill = ""

    def remove_skill(self, name: str):
        self.skills = [s for s in self.skills if s.name != name]

    async def submit_profile(self, form: dict):
        self.saved_message = self.form_error = ""
        try:
            update = ProfileUpdate(
                full_name=form.get("full_name", ""),
                bio=form.get("bio", ""),
                timezone=form.get("timezone", "UTC"),
                interests=[part for part in form.get("interests", "").split(",")],
                learning_goals=form.get("learning_goals", ""),
                career_objective=form.get("career_objective", ""),
                domain=form.get("domain", ""),
                skills=[SkillLevelPublic(name=s.name, level=s.level) for s in self.skills],
                headline=form.get("headline") if self.is_mentor else None,
            )
        except PydanticValidationError as error:
            self.form_error = first_error(error)
            return
        try:
            profile = await self._as_user(lambda user, db: accounts.update_profile(user, update, db=db), write=True)
        except ServiceError as error:
            self.form_error = error.message
            return
        self.chosen_timezone = ""  # the profile's zone is now the one to show
        self.user_name, self.viewer_timezone = profile.user.full_name, profile.timezone
        self.saved_message = "Profile saved."
        return rx.toast.success("Profile saved.")

    async def submit_password(self, form: dict):
        try:
            change = PasswordChange(
                current_password=form.get("current_password", ""), new_password=form.get("new_password", "")
            )
            await self._as_user(lambda user, db: accounts.change_password(user, change, db=db), write=True)
        except PydanticValidationError as error:
            return rx.toast.error(first_error(error))
        except ServiceError as error:
            return rx.toast.error(error.message)
        self._forget()
        return [rx.toast.success("Password changed. Please log in again."), rx.redirect("/login")]
