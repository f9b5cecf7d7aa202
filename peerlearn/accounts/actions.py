"""Accounts: sign-up, log-in, tokens, passwords and profiles."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import available_timezones

from sqlmodel import Session, col, delete, select

from peerlearn import links
from peerlearn.accounts.known_clients import is_known_client, remember_client
from peerlearn.accounts.password_policy import require_strong_password
from peerlearn.accounts.security import hash_password, hash_token, new_token, verify_password
from peerlearn.catalog.search_index import refresh_mentor_sessions
from peerlearn.catalog.skills import get_or_create_skill
from peerlearn.config import get_settings
from peerlearn.models import AuthToken, MentorProfile, Profile, Skill, User, UserSkill
from peerlearn.models.enums import NotificationKind, UserRole, VerificationStatus
from peerlearn.models.types import saved_id, utcnow
from peerlearn.models.users import (
    MentorProfileCreate,
    PasswordChange,
    ProfilePublic,
    ProfileUpdate,
    SkillLevelPublic,
    UserCreate,
    UserPublic,
)
from peerlearn.platform import after_commit
from peerlearn.platform import throttle as login_throttle
from peerlearn.platform.errors import (
    AuthenticationError,
    ConflictError,
    ErrorCode,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from peerlearn.platform.locks import lock_row
from peerlearn.platform.notifications import notify

_TIMEZONES = frozenset(available_timezones())


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_new_password(data: UserCreate) -> str:
    """The slow part of signing up (the strength estimate and Argon2), with no database: callers run it before they
    open the transaction that creates the account."""
    require_strong_password(data.password, email=normalise_email(str(data.email)), full_name=data.full_name)
    return hash_password(data.password)


def register_user(data: UserCreate, *, db: Session, password_hash: str | None = None) -> User:
    """`password_hash` from `hash_new_password(data)`, or computed here. (`UserCreate` admits no admin role.)"""
    email = normalise_email(str(data.email))
    if db.exec(select(User.id).where(User.email == email)).first() is not None:
        raise ConflictError("An account with this email already exists.", ErrorCode.EMAIL_TAKEN)
    user = User(
        email=email,
        password_hash=password_hash or hash_new_password(data),
        full_name=data.full_name.strip(),
        is_learner=True,
        is_mentor=data.role == UserRole.MENTOR,
    )
    db.add(user)
    db.flush()
    db.add(Profile(user_id=saved_id(user), timezone=data.timezone, interests=_clean_list(data.interests)))
    if user.is_mentor:
        db.add(MentorProfile(user_id=saved_id(user)))
    db.flush()
    profile_saved(saved_id(user), db=db)
    return user


def profile_saved(user_id: int, *, db: Session) -> None:
    """Once this transaction commits, the recommender takes the learner's profile as saved (on every process) and
    drops their cached recommendations: what they state counts from their next list on."""
    after_commit.defer(db, after_commit.PROFILES, user_id)


def issue_token(user: User, *, db: Session) -> str:
    token = new_token()
    ttl = timedelta(hours=get_settings().login_token_ttl_hours)
    db.add(AuthToken(user_id=saved_id(user), token_hash=hash_token(token), expires_at=utcnow() + ttl))
    db.flush()
    return token


def check_password(email: str, password: str, *, client: str, db: Session) -> User:
    """Check a password; reads only, so the slow hash comparison never holds a write lock. Throttled per (account,
    client) and per client; many failures on one account only slow down clients the owner never logged in from
    (see platform/throttle.py)."""
    throttle = login_throttle.get_login_throttle()
    email = normalise_email(email)
    user = db.exec(select(User).where(User.email == email)).first()
    throttle.check(email, client, known_client=is_known_client(user.id if user else None, client, db=db))
    if not verify_password(password, user.password_hash if user else None) or not user or not user.is_active:
        throttle.record_failure(email, client)
        raise AuthenticationError("Email or password is incorrect.", ErrorCode.INVALID_CREDENTIALS)
    return user


def finish_log_in(user_id: int, *, client: str, db: Session) -> tuple[User, str]:
    """After `check_password` succeeded: remember the client, note the log-in and issue a token (a short write)."""
    user = db.get(User, user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("Email or password is incorrect.", ErrorCode.INVALID_CREDENTIALS)
    login_throttle.get_login_throttle().record_success(user.email, client)
    remember_client(saved_id(user), client, db=db)
    user.last_login_at = utcnow()
    db.add(user)
    return user, issue_token(user, db=db)


def log_in(email: str, password: str, *, client: str, db: Session) -> tuple[User, str]:
    """Both steps in one transaction (scripts and tests); the API and the pages run them as a read then a write."""
    return finish_log_in(saved_id(check_password(email, password, client=client, db=db)), client=client, db=db)


def user_for_token(token: str | None, *, db: Session) -> User:
    return signed_in(token, db=db)[0]


def signed_in(token: str | None, *, db: Session) -> tuple[User, Profile | None]:
    """The user behind a login token, with their profile, in one round trip (every page load asks)."""
    if not token:
        raise AuthenticationError("Please log in.")
    row = db.exec(
        select(AuthToken, User, Profile)
        .join(User, col(User.id) == AuthToken.user_id)
        .outerjoin(Profile, col(Profile.user_id) == User.id)
        .where(AuthToken.token_hash == hash_token(token))
    ).first()
    if row is None or row[0].revoked_at is not None or row[0].expires_at <= utcnow():
        raise AuthenticationError("Your session has expired. Please log in again.")
    _login, user, profile = row
    if not user.is_active:
        raise AuthenticationError("Please log in.")
    return user, profile


def log_out(token: str | None, *, db: Session) -> None:
    if not token:
        return
    row = db.exec(select(AuthToken).where(AuthToken.token_hash == hash_token(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.add(row)


def change_password(user: User, data: PasswordChange, *, db: Session) -> None:
    if not verify_password(data.current_password, user.password_hash):
        raise AuthenticationError("The current password is incorrect.", ErrorCode.INVALID_CREDENTIALS)
    if data.current_password == data.new_password:
        raise ValidationError("The new password must differ from the current one.")
    require_strong_password(data.new_password, email=user.email, full_name=user.full_name)
    user.password_hash = hash_password(data.new_password)
    db.add(user)
    # Every other login of this account ends with a password change.
    db.exec(delete(AuthToken).where(col(AuthToken.user_id) == user.id))


def become_mentor(user: User, data: MentorProfileCreate, *, db: Session) -> User:
    """A learner starts teaching on the account they have: the mentor role and a mentor profile (headline,
    expertise), with their bookings, history and password kept. An account that already teaches is refused."""
    if user.is_mentor:
        raise ConflictError("This account already teaches on PeerLearn.", ErrorCode.ALREADY_MENTOR)
    if not user.is_active:
        raise PermissionDeniedError("This account is not active.")
    user_id = saved_id(user)
    mentor = db.get(MentorProfile, user_id) or MentorProfile(user_id=user_id)
    mentor.headline, mentor.expertise = data.headline, _clean_list(data.expertise)
    user.is_mentor = True
    db.add_all([user, mentor])
    db.flush()
    return user


UNDECIDED = (VerificationStatus.PENDING, VerificationStatus.UNVERIFIED)


def decide_verification(admin: User, mentor_id: int, verified: bool, *, db: Session) -> MentorProfile:
    """An admin verifies a mentor (the Verified badge on their profile and cards) or rejects them. Only a mentor
    still waiting (pending or never checked) can be decided; a second click on a decided one is refused."""
    require_role(admin, UserRole.ADMIN)
    mentor = lock_row(MentorProfile, mentor_id, db=db)
    if mentor is None:
        raise NotFoundError("No mentor with that id.")
    if mentor.verification_status not in UNDECIDED:
        raise ConflictError(f"This mentor is already {mentor.verification_status.value}.")
    mentor.verification_status = VerificationStatus.VERIFIED if verified else VerificationStatus.REJECTED
    db.add(mentor)
    notify(
        mentor_id,
        NotificationKind.SYSTEM,
        "You are verified" if verified else "Verification not granted",
        body="Your profile and cards now wear the Verified badge."
        if verified
        else "An admin could not verify you this time. You can ask again from your teaching desk, saying what "
        "they can check.",
        link=links.TEACH,
        db=db,
        email=True,
    )
    db.flush()
    return mentor


def require_role(user: User, role: UserRole) -> None:
    if role not in user.roles:
        raise PermissionDeniedError(f"This needs a {role.value} account.")


def user_public(user: User) -> UserPublic:
    return UserPublic(
        id=user.id, email=user.email, full_name=user.full_name, roles=user.roles, created_at=user.created_at
    )


def get_profile(user_id: int, *, db: Session) -> ProfilePublic:
    user = db.get(User, user_id)
    if user is None:
        raise NotFoundError("No such user.")
    profile = db.get(Profile, user_id) or Profile(user_id=user_id)
    mentor = db.get(MentorProfile, user_id)
    skills = db.exec(
        select(Skill.name, UserSkill.level)
        .join(UserSkill, col(UserSkill.skill_id) == Skill.id)
        .where(UserSkill.user_id == user_id)
        .order_by(Skill.name)
    ).all()
    return ProfilePublic(
        user=user_public(user),
        bio=profile.bio,
        avatar_url=profile.avatar_url,
        timezone=profile.timezone,
        skills=[SkillLevelPublic(name=name, level=level) for name, level in skills],
        interests=list(profile.interests),
        learning_goals=profile.learning_goals,
        career_objective=profile.career_objective,
        domain=profile.domain,
        preferred_language=profile.preferred_language,
        headline=mentor.headline if mentor else "",
    )


def update_profile(user: User, data: ProfileUpdate, *, db: Session) -> ProfilePublic:
    if data.timezone is not None and data.timezone not in _TIMEZONES:
        raise ValidationError(f"'{data.timezone}' is not a known time zone (use a name like Europe/Berlin).")
    if data.avatar_url and not data.avatar_url.startswith(("https://", "http://", "/")):
        raise ValidationError("The avatar must be a web address.")
    user_id = saved_id(user)
    profile = db.get(Profile, user_id) or Profile(user_id=user_id)
    if data.full_name is not None:
        user.full_name = data.full_name.strip()
        db.add(user)
        if user.is_mentor:
            db.flush()
            refresh_mentor_sessions(user_id, db=db)
    for field in (
        "bio",
        "avatar_url",
        "timezone",
        "learning_goals",
        "career_objective",
        "domain",
        "preferred_language",
    ):
        value = getattr(data, field)
        if value is not None:
            setattr(profile, field, value.strip())
    if data.interests is not None:
        profile.interests = _clean_list(data.interests)
    db.add(profile)
    if data.skills is not None:
        _replace_skills(user_id, data.skills, db=db)
    if data.headline is not None:
        if not user.is_mentor:
            raise PermissionDeniedError("Only mentors have a headline.")
        mentor = db.get(MentorProfile, user_id) or MentorProfile(user_id=user_id)
        mentor.headline = data.headline.strip()
        db.add(mentor)
    db.flush()
    profile_saved(user_id, db=db)
    return get_profile(user_id, db=db)


def _clean_list(items: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        clean = " ".join(item.split())
        if clean and clean.lower() not in seen:
            seen[clean.lower()] = clean[:80]
    if len(seen) > 50:
        raise ValidationError("At most 50 entries, please.")
    return list(seen.values())


def _replace_skills(user_id: int, skills: list[SkillLevelPublic], *, db: Session) -> None:
    if len(skills) > 50:
        raise ValidationError("At most 50 skills, please.")
    db.exec(delete(UserSkill).where(col(UserSkill.user_id) == user_id))
    levels = {}
    for item in skills:
        levels[saved_id(get_or_create_skill(item.name, db=db))] = item.level
    for skill_id, level in levels.items():
        db.add(UserSkill(user_id=user_id, skill_id=skill_id, level=level))


def ensure_admin(email: str, password: str, *, db: Session, check_strength: bool = True) -> User:
    """Create the configured admin if absent; promote an existing account. Idempotent.

    The password follows the sign-up policy; only the demo admin (`check_strength=False`), whose password is
    published in the README for local use, skips it.
    """
    email = normalise_email(email)
    user = db.exec(select(User).where(User.email == email)).first()
    if user is None:
        if check_strength:
            try:
                require_strong_password(password, email=email, full_name="PeerLearn Admin")
            except ValidationError as weak:
                raise ValidationError(f"PEERLEARN_ADMIN_PASSWORD is refused: {weak.message}") from None
        user = User(email=email, password_hash=hash_password(password), full_name="PeerLearn Admin", is_admin=True)
        db.add(user)
        db.flush()
        db.add(Profile(user_id=saved_id(user)))
    elif not user.is_admin:
        user.is_admin = True
        db.add(user)
    db.flush()
    return user
