"""A deterministic, plausible demo marketplace for `make run`, dashboards and the recommender.

Patterns built in: some skills are far more popular than others, better
mentors are rated higher and fill more seats, a few bookings are cancelled
or end as no-shows, and activity grows towards the present.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from peerlearn.accounts.security import hash_password
from peerlearn.billing.ledger import record_charge
from peerlearn.config import get_settings
from peerlearn.models import (
    Booking,
    Category,
    InteractionEvent,
    LearningSession,
    MentorProfile,
    Payment,
    Profile,
    Review,
    SessionSkill,
    Skill,
    User,
    UserSkill,
)
from peerlearn.models.enums import (
    AttendanceStatus,
    BookingStatus,
    InteractionKind,
    PaymentStatus,
    RefundPolicy,
    SessionStatus,
    SkillLevel,
    VerificationStatus,
)
from peerlearn.models.types import utcnow
from peerlearn.platform.text import slugify

DEMO_PASSWORD = "peerlearn-demo"
DEMO_LEARNER = "learner@peerlearn.demo"
DEMO_MENTOR = "mentor@peerlearn.demo"
DEMO_ADMIN = "admin@peerlearn.demo"

CATALOG: dict[str, list[str]] = {
    "Programming": ["Python", "JavaScript", "Rust", "Go", "SQL"],
    "Data Science": ["Machine Learning", "Statistics", "Data Visualization", "Pandas", "Deep Learning"],
    "Design": ["UI Design", "UX Research", "Figma", "Illustration", "Typography"],
    "Business": ["Product Management", "Marketing", "Public Speaking", "Negotiation", "Finance Basics"],
    "Languages": ["Spanish", "French", "German", "Japanese", "English Conversation"],
    "Music": ["Guitar", "Piano", "Music Theory", "Singing", "Music Production"],
    "Cloud & DevOps": ["Docker", "Kubernetes", "AWS", "Linux", "CI/CD"],
    "Career": ["Interview Prep", "Resume Writing", "Leadership", "Time Management", "Networking"],
}
FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Eli",
    "Fatima",
    "Gabe",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Silva",
    "Okafor",
    "Nguyen",
    "Müller",
    "Kim",
    "Patel",
    "Garcia",
    "Rossi",
    "Novak",
    "Haddad",
    "Tanaka",
    "Berg",
    "Ivanova",
    "Mensah",
    "Lopez",
    "Cohen",
    "Singh",
    "Dubois",
    "Costa",
    "Ahmed",
]
TIMEZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Europe/London",
    "America/Los_Angeles",
    "Asia/Singapore",
    "UTC",
]
LANGUAGES = ["English"] * 8 + ["Spanish", "Hindi", "German"]
FORMATS = ["Hands-on workshop", "Office hours", "Crash course", "Deep dive", "Project clinic", "Q&A"]
COMMENTS = {
    5: ["Excellent, very clear.", "Exactly what I needed!", "Great mentor, patient and precise."],
    4: ["Good session, learned a lot.", "Helpful, a bit rushed at the end."],
    3: ["Okay, but too basic for me.", "Decent."],
    2: ["Hard to follow.", "Not what the description promised."],
    1: ["Mentor was late and unprepared."],
}


@dataclass
class DemoSummary:
    mentors: int
    learners: int
    sessions: int
    bookings: int
    reviews: int
    created: bool


def demo_already_seeded(*, db: Session) -> bool:
    return db.exec(select(User.id).where(User.email == DEMO_MENTOR)).first() is not None


def seed_demo(
    *,
    db: Session,
    now: datetime | None = None,
    mentors: int = 60,
    learners: int = 600,
    sessions: int = 400,
    seed: int = 7,
) -> DemoSummary:
    """Create the demo marketplace once; a second call changes nothing."""
    if demo_already_seeded(db=db):
        return DemoSummary(0, 0, 0, 0, 0, created=False)
    return _DemoBuilder(db, now or utcnow(), random.Random(seed)).build(mentors, learners, sessions)


class _DemoBuilder:
    def __init__(self, db: Session, now: datetime, rng: random.Random) -> None:
        self.db, self.now, self.rng = db, now.replace(minute=0, second=0, microsecond=0), rng
        self.password_hash = hash_password(DEMO_PASSWORD)
        self.settings = get_settings()
        self.skills_of: dict[int, list[Skill]] = {}

    def build(self, n_mentors: int, n_learners: int, n_sessions: int) -> DemoSummary:
        skills = self._catalog()
        popularity = {s.id: self.rng.paretovariate(1.2) for s in skills}
        mentors = self._people(n_mentors, "mentor", skills)
        learners = self._people(n_learners, "learner", skills)
        quality = {m.id: self.rng.betavariate(5, 2) for m in mentors}  # drives ratings and demand
        expertise = {m.id: self.skills_of[m.id] for m in mentors}
        sessions = self._sessions(n_sessions, mentors, expertise, quality)
        learner_skills = {u.id: {s.id for s in self.skills_of[u.id]} for u in learners}
        self.habit = {u.id: self.rng.betavariate(0.6, 2.0) + 0.01 for u in learners}
        bookings, reviews = self._bookings(sessions, learners, learner_skills, popularity, quality)
        self._mentor_stats(mentors)
        self.db.flush()
        return DemoSummary(len(mentors), len(learners), len(sessions), bookings, reviews, created=True)

    def _catalog(self) -> list[Skill]:
        skills = []
        for category_name, names in CATALOG.items():
            category = self.db.exec(select(Category).where(Category.slug == slugify(category_name))).first()
            if category is None:
                category = Category(name=category_name, slug=slugify(category_name))
                self.db.add(category)
                self.db.flush()
            for name in names:
                skill = self.db.exec(select(Skill).where(Skill.slug == slugify(name))).first()
                if skill is None:
                    skill = Skill(name=name, slug=slugify(name), category_id=category.id)
                    self.db.add(skill)
                skills.append(skill)
        self.db.flush()
        return skills

    def _people(self, count: int, kind: str, skills: list[Skill]) -> list[User]:
        people = []
        for i in range(count):
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            email = (DEMO_MENTOR if kind == "mentor" else DEMO_LEARNER) if i == 0 else f"{kind}{i:03d}@peerlearn.demo"
            joined = self.now - timedelta(
                days=self.rng.uniform(10, 200) if kind == "mentor" else 190 * self.rng.random() ** 0.7
            )
            user = User(
                email=email,
                password_hash=self.password_hash,
                full_name=f"{first} {last}",
                is_mentor=kind == "mentor",
                created_at=joined,
            )
            people.append(user)
        self.db.add_all(people)
        self.db.flush()
        for user in people:
            mine = self.rng.sample(skills, 3)
            self.skills_of[user.id] = mine
            self.db.add(
                Profile(
                    user_id=user.id,
                    timezone=self.rng.choice(TIMEZONES),
                    bio=f"{kind.title()} on PeerLearn.",
                    interests=[s.name for s in mine[:2]],
                    learning_goals=f"Get better at {mine[0].name}.",
                )
            )
            level = SkillLevel.EXPERT if kind == "mentor" else self.rng.choice(list(SkillLevel)[:3])
            self.db.add_all(UserSkill(user_id=user.id, skill_id=s.id, level=level) for s in mine)
            if user.is_mentor:
                self.db.add(
                    MentorProfile(
                        user_id=user.id,
                        headline=f"{mine[0].name} mentor",
                        expertise=[s.name for s in mine],
                        years_experience=self.rng.randint(2, 20),
                        verification_status=self.rng.choice(
                            [VerificationStatus.VERIFIED] * 3 + [VerificationStatus.PENDING]
                        ),
                    )
                )
        return people

    def _sessions(
        self, count: int, mentors: list[User], expertise: dict, quality: dict
    ) -> list[tuple[LearningSession, list[Skill]]]:
        out = []
        taken: dict[int, list[tuple[datetime, datetime]]] = {}
        for i in range(count):
            mentor = mentors[i % len(mentors)] if i < len(mentors) else self.rng.choice(mentors)
            mine = expertise[mentor.id]
            start, duration = self._free_slot(taken.setdefault(mentor.id, []))
            capacity = self.rng.choice([1, 1, 4, 6, 8, 12])
            price = self.rng.choice([0, 1500, 2000, 2500, 3500, 5000]) if self.rng.random() > 0.1 else 0
            currency = "INR" if self.rng.random() < 0.15 else "USD"
            if currency == "INR":
                price *= 40
            main = mine[0] if self.rng.random() < 0.7 else self.rng.choice(mine)
            session = LearningSession(
                mentor_id=mentor.id,
                title=f"{main.name}: {self.rng.choice(FORMATS)}",
                description=(
                    f"A {duration.seconds // 60}-minute session on {main.name} with hands-on exercises and "
                    "time for questions."
                ),
                category_id=main.category_id,
                level=self.rng.choice(list(SkillLevel)[:3]),
                language=self.rng.choice(LANGUAGES),
                start_at=start,
                end_at=start + duration,
                capacity=capacity,
                price_minor=price,
                currency=currency,
                refund_policy=self.rng.choice([RefundPolicy.FULL] * 3 + [RefundPolicy.PARTIAL]),
                status=SessionStatus.COMPLETED if start + duration < self.now else SessionStatus.PUBLISHED,
                created_at=min(start - timedelta(days=14), self.now - timedelta(days=1)),
            )
            self.db.add(session)
            tags = [main] + [s for s in mine if s is not main][: self.rng.randint(0, 1)]
            out.append((session, tags))
        self.db.flush()
        names = {m.id: m.full_name for m in mentors}
        for session, tags in out:
            self.db.add_all(SessionSkill(session_id=session.id, skill_id=s.id) for s in tags)
            session.search_tags = " ".join([*(s.name for s in tags), names[session.mentor_id]])
        return out

    def _free_slot(self, taken: list[tuple[datetime, datetime]]) -> tuple[datetime, timedelta]:
        """A start in the past six months or next two (denser near now) that keeps the mentor free."""
        while True:
            days = -183 + 244 * (1 - (1 - self.rng.random()) ** 1.3)
            start = (self.now + timedelta(days=days)).replace(
                hour=self.rng.choice([8, 10, 14, 16, 18, 20]), minute=self.rng.choice([0, 30])
            )
            duration = timedelta(minutes=self.rng.choice([45, 60, 60, 90]))
            if all(start + duration + timedelta(hours=1) <= s or e + timedelta(hours=1) <= start for s, e in taken):
                taken.append((start, start + duration))
                return start, duration

    def _bookings(self, sessions, learners, learner_skills, popularity, quality) -> tuple[int, int]:
        booked: dict[int, list[tuple[datetime, datetime]]] = {}
        n_bookings = n_reviews = 0
        for session, tags in sessions:
            demand = sum(popularity[s.id] for s in tags) * (0.2 + 1.6 * quality[session.mentor_id] ** 2)
            is_past = session.end_at < self.now
            want = min(session.capacity, max(0, round(self.rng.gauss(1.6 * demand, 1.0) * (1.0 if is_past else 0.6))))
            tag_ids = {s.id for s in tags}
            interested = [u for u in learners if learner_skills[u.id] & tag_ids]
            pool = interested + self.rng.sample(learners, 20)
            # Habitual learners book again and again; occasional ones rarely (so churn has a signal to learn).
            picked = self.rng.choices(
                pool, weights=[self.habit[u.id] for u in pool], k=min(len(pool), max(want * 3, 3))
            )
            chosen = list({u.id: u for u in picked}.values())
            seats = 0
            for learner in chosen:
                if seats >= want or learner.created_at > session.start_at:
                    continue
                if any(s < session.end_at and session.start_at < e for s, e in booked.get(learner.id, [])):
                    continue
                booked.setdefault(learner.id, []).append((session.start_at, session.end_at))
                made_at = max(learner.created_at, session.start_at - timedelta(days=self.rng.uniform(1, 20)))
                cancelled = self.rng.random() < 0.07
                booking = Booking(
                    session_id=session.id,
                    learner_id=learner.id,
                    price_minor=session.price_minor,
                    currency=session.currency,
                    created_at=made_at,
                )
                self._views(learner.id, session.id, made_at)
                if cancelled:
                    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, made_at + timedelta(hours=6)
                    booking.cancel_reason = "Plans changed"
                else:
                    seats += 1
                    booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, made_at + timedelta(minutes=3)
                self.db.add(booking)
                self.db.flush()
                n_bookings += 1
                if session.price_minor and not cancelled:
                    self._payment(booking, session)
                if is_past and not cancelled:
                    n_reviews += self._outcome(booking, session, quality[session.mentor_id])
            for browser in picked[: 3 * max(want, 1)]:  # people look at far more sessions than they book
                if browser.created_at < session.start_at:
                    seen_at = max(browser.created_at, session.start_at - timedelta(days=self.rng.uniform(1, 25)))
                    self.db.add(
                        InteractionEvent(
                            user_id=browser.id,
                            session_id=session.id,
                            kind=InteractionKind.VIEW,
                            source="search",
                            created_at=min(seen_at, self.now),
                        )
                    )
            session.seats_taken = 0 if is_past else seats
            self.db.add(session)
        return n_bookings, n_reviews

    def _views(self, learner_id: int, session_id: int, at: datetime) -> None:
        self.db.add(
            InteractionEvent(
                user_id=learner_id,
                session_id=session_id,
                kind=InteractionKind.VIEW,
                source="search",
                created_at=at - timedelta(minutes=5),
            )
        )
        self.db.add(
            InteractionEvent(
                user_id=learner_id, session_id=session_id, kind=InteractionKind.BOOK, source="search", created_at=at
            )
        )

    def _payment(self, booking: Booking, session: LearningSession) -> None:
        payment = Payment(
            booking_id=booking.id,
            learner_id=booking.learner_id,
            provider="simulated",
            provider_ref=f"demo_{booking.id}",
            provider_payment_id=f"demo_pay_{booking.id}",
            idempotency_key=f"demo-{booking.id}",
            amount_minor=booking.price_minor,
            currency=booking.currency,
            status=PaymentStatus.SUCCEEDED,
            created_at=booking.created_at,
            paid_at=booking.confirmed_at,
        )
        self.db.add(payment)
        self.db.flush()
        record_charge(
            payment,
            mentor_id=session.mentor_id,
            commission_rate=self.settings.commission_rate,
            available_at=session.end_at + timedelta(hours=self.settings.payout_delay_hours),
            db=self.db,
            at=booking.confirmed_at,
        )

    def _outcome(self, booking: Booking, session: LearningSession, quality: float) -> int:
        if self.rng.random() < 0.08:
            booking.status, booking.attendance = BookingStatus.NO_SHOW, AttendanceStatus.NO_SHOW
            self.db.add(booking)
            return 0
        booking.status, booking.attendance = BookingStatus.COMPLETED, AttendanceStatus.ATTENDED
        booking.joined_at, booking.left_at = session.start_at + timedelta(minutes=1), session.end_at
        booking.attended_seconds = int((session.end_at - session.start_at).total_seconds()) - 60
        self.db.add(booking)
        self.db.add(
            InteractionEvent(
                user_id=booking.learner_id,
                session_id=session.id,
                kind=InteractionKind.ATTEND,
                created_at=session.end_at,
            )
        )
        if self.rng.random() > 0.6:
            return 0
        rating = max(1, min(5, round(self.rng.gauss(1.5 + 4 * quality, 0.7))))
        self.db.add(
            Review(
                booking_id=booking.id,
                session_id=session.id,
                learner_id=booking.learner_id,
                mentor_id=session.mentor_id,
                rating=rating,
                comment=self.rng.choice(COMMENTS[rating]),
                created_at=session.end_at + timedelta(hours=self.rng.uniform(1, 48)),
            )
        )
        self.db.add(
            InteractionEvent(
                user_id=booking.learner_id,
                session_id=session.id,
                kind=InteractionKind.RATE,
                value=rating,
                created_at=session.end_at + timedelta(hours=2),
            )
        )
        return 1

    def _mentor_stats(self, mentors: list[User]) -> None:
        self.db.flush()
        for mentor in mentors:
            ratings = self.db.exec(select(Review.rating).where(Review.mentor_id == mentor.id)).all()
            taught = self.db.exec(
                select(LearningSession.id).where(
                    LearningSession.mentor_id == mentor.id, LearningSession.status == SessionStatus.COMPLETED
                )
            ).all()
            profile = self.db.get(MentorProfile, mentor.id)
            profile.rating_count = len(ratings)
            profile.rating_avg = round(sum(ratings) / len(ratings), 2) if ratings else 0.0
            profile.sessions_taught = len(taught)
            self.db.add(profile)
