"""People: accounts, profiles, mentor profiles, skills they hold, login tokens."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Annotated, Literal
from zoneinfo import available_timezones

import sqlalchemy as sa
from pydantic import BaseModel, EmailStr, StringConstraints, field_validator
from pydantic import Field as PField
from sqlmodel import Field, SQLModel

from peerlearn.models.enums import SkillLevel, UserRole, VerificationStatus
from peerlearn.models.inputs import Bio, Headline, PersonName
from peerlearn.models.types import enum_field, json_list_field, utc_field


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=sa.String(320), unique=True, index=True)
    password_hash: str = Field(sa_type=sa.String(255))
    full_name: str = Field(sa_type=sa.String(120))
    is_learner: bool = True
    is_mentor: bool = False
    is_admin: bool = False
    is_active: bool = True
    created_at: datetime = utc_field(default_now=True, index=True)
    last_login_at: datetime | None = utc_field(nullable=True)

    @property
    def roles(self) -> list[UserRole]:
        flags = [
            (self.is_learner, UserRole.LEARNER),
            (self.is_mentor, UserRole.MENTOR),
            (self.is_admin, UserRole.ADMIN),
        ]
        return [role for on, role in flags if on]


class Profile(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    bio: str = Field(default="", sa_type=sa.Text)
    avatar_url: str = Field(default="", sa_type=sa.String(500))
    timezone: str = Field(default="UTC", sa_type=sa.String(64))
    interests: list[str] = json_list_field()
    learning_goals: str = Field(default="", sa_type=sa.Text)
    career_objective: str = Field(default="", sa_type=sa.String(255))
    domain: str = Field(default="", sa_type=sa.String(120))
    preferred_language: str = Field(default="", sa_type=sa.String(32))
    price_cap_minor: int | None = None


class UserSkill(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    skill_id: int = Field(foreign_key="skill.id", primary_key=True, index=True)
    level: SkillLevel = enum_field(SkillLevel.BEGINNER)


class MentorProfile(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    headline: str = Field(default="", sa_type=sa.String(200))
    expertise: list[str] = json_list_field()
    years_experience: int = 0
    verification_status: VerificationStatus = enum_field(VerificationStatus.UNVERIFIED)
    verification_requested_at: datetime | None = utc_field(nullable=True)  # when they last asked to be verified
    verification_note: str = Field(default="", sa_type=sa.String(300))  # what they ask the admin to check
    payout_method: str = Field(default="", sa_type=sa.String(40))
    payout_account: str = Field(default="", sa_type=sa.String(120), description="Masked; never shown in full")
    rating_avg: float = 0.0
    rating_count: int = 0
    sessions_taught: int = 0


class AuthToken(SQLModel, table=True):
    """An opaque login token; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(sa_type=sa.String(64), unique=True, index=True)
    created_at: datetime = utc_field(default_now=True)
    expires_at: datetime = utc_field()
    revoked_at: datetime | None = utc_field(nullable=True)


class PasswordResetToken(SQLModel, table=True):
    """A single-use password-reset link; only its SHA-256 is stored, and it expires soon."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(sa_type=sa.String(64), unique=True, index=True)
    created_at: datetime = utc_field(default_now=True)
    expires_at: datetime = utc_field()
    used_at: datetime | None = utc_field(nullable=True)


class KnownLoginClient(SQLModel, table=True):
    """A client (keyed HMAC of its address) that logged in to this account before: it skips the account-wide
    slow-down, so an attacker guessing from elsewhere cannot keep the owner out."""

    __table_args__ = (sa.UniqueConstraint("user_id", "client_digest", name="uq_known_login_client"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    client_digest: str = Field(sa_type=sa.String(64))
    last_login_at: datetime = utc_field(default_now=True)


# ---- API/UI variants (no table): a password hash can never reach a response ----


PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class UserCreate(BaseModel):
    email: EmailStr
    password: str = PField(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)
    full_name: PersonName
    role: Literal[UserRole.LEARNER, UserRole.MENTOR] = PField(
        UserRole.LEARNER, description="Admin accounts are never created by sign-up"
    )
    timezone: str = PField(
        "UTC", max_length=64, description="IANA zone the person's times are shown in (the browser's, confirmed)"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in _known_zones():
            raise ValueError(f"'{value}' is not a known time zone (use a name like Europe/Berlin)")
        return value

    interests: list[str] = PField(
        default_factory=list,
        max_length=50,
        description="What the learner wants to learn; their first recommendations match these",
    )


class UserLogin(BaseModel):
    email: str = PField(min_length=3, max_length=320)
    password: str = PField(min_length=1, max_length=128)


class PasswordChange(BaseModel):
    current_password: str = PField(min_length=1, max_length=PASSWORD_MAX_LENGTH)
    new_password: str = PField(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)


class PasswordResetRequest(BaseModel):
    email: str = PField(min_length=3, max_length=320)


class PasswordResetConfirm(BaseModel):
    token: str = PField(min_length=20, max_length=200)
    new_password: str = PField(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)


class SkillLevelPublic(BaseModel):
    name: str
    level: SkillLevel = SkillLevel.BEGINNER


class ProfileUpdate(BaseModel):
    full_name: PersonName | None = None
    bio: Bio | None = None
    avatar_url: str | None = PField(default=None, max_length=500)
    timezone: str | None = PField(default=None, max_length=64)
    skills: list[SkillLevelPublic] | None = None
    interests: list[str] | None = None
    learning_goals: str | None = PField(default=None, max_length=4000)
    career_objective: str | None = PField(default=None, max_length=255)
    domain: str | None = PField(default=None, max_length=120)
    preferred_language: str | None = PField(default=None, max_length=32)
    headline: Headline | None = None


class MentorProfileCreate(BaseModel):
    """What a learner states to start teaching on their own account (`accounts.actions.become_mentor`)."""

    headline: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)] = PField(
        description="One line learners see next to the mentor's name, e.g. 'Data engineer, 6 years of Python'"
    )
    expertise: list[str] = PField(default_factory=list, max_length=20, description="Skills they can teach")


class UserPublic(BaseModel):
    id: int
    email: str
    full_name: str
    roles: list[UserRole]
    created_at: datetime


class ProfilePublic(BaseModel):
    user: UserPublic
    bio: str = ""
    avatar_url: str = ""
    timezone: str = "UTC"
    skills: list[SkillLevelPublic] = []
    interests: list[str] = []
    learning_goals: str = ""
    career_objective: str = ""
    domain: str = ""
    preferred_language: str = ""
    headline: str = ""
