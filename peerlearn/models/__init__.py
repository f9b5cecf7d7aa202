"""SQLModel tables and their Create/Update/Public variants. Importing this registers every table."""

from peerlearn.models.booking import AttendanceLog, Booking, ChatMessage, Recording, Review, WaitlistEntry
from peerlearn.models.catalog import Category, LearningSession, SessionSeries, SessionSkill, Skill
from peerlearn.models.engagement import (
    EvaluationRun,
    Experiment,
    ExperimentAssignment,
    InteractionEvent,
    MarketingSpend,
    Notification,
)
from peerlearn.models.paths import LearningPath, LearningPathStep, PathFollow
from peerlearn.models.payment import (
    Coupon,
    CouponRedemption,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    Payout,
    PayoutBatch,
    Refund,
    WebhookEvent,
)
from peerlearn.models.sponsorship import SponsoredEvent, Sponsorship
from peerlearn.models.subscription import Subscription, SubscriptionCharge, SubscriptionPlan, SubscriptionPrice
from peerlearn.models.users import (
    AuthToken,
    KnownLoginClient,
    MentorProfile,
    PasswordResetToken,
    Profile,
    User,
    UserSkill,
)

__all__ = [
    "AttendanceLog",
    "AuthToken",
    "KnownLoginClient",
    "PasswordResetToken",
    "Booking",
    "Category",
    "ChatMessage",
    "Coupon",
    "CouponRedemption",
    "EvaluationRun",
    "Experiment",
    "ExperimentAssignment",
    "InteractionEvent",
    "LearningPath",
    "LearningPathStep",
    "LearningSession",
    "LedgerEntry",
    "LedgerTransaction",
    "MarketingSpend",
    "MentorProfile",
    "Notification",
    "PathFollow",
    "Payment",
    "Payout",
    "PayoutBatch",
    "Profile",
    "Recording",
    "Refund",
    "Review",
    "SessionSeries",
    "SessionSkill",
    "SponsoredEvent",
    "Sponsorship",
    "Subscription",
    "SubscriptionCharge",
    "SubscriptionPlan",
    "SubscriptionPrice",
    "Skill",
    "User",
    "UserSkill",
    "WaitlistEntry",
    "WebhookEvent",
]
