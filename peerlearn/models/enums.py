"""Every status and kind in PeerLearn, as StrEnums (never loose strings)."""

from enum import StrEnum


class UserRole(StrEnum):
    LEARNER = "learner"
    MENTOR = "mentor"
    ADMIN = "admin"


class SkillLevel(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class VerificationStatus(StrEnum):
    UNVERIFIED = "unverified"
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class SessionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class RefundPolicy(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class BookingStatus(StrEnum):
    HELD = "held"
    PENDING_APPROVAL = "pending_approval"
    PENDING_PAYMENT = "pending_payment"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    EXPIRED = "expired"
    DECLINED = "declined"


class AttendanceStatus(StrEnum):
    UNKNOWN = "unknown"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class PaymentStatus(StrEnum):
    CREATED = "created"
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    EXPIRED = "expired"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    # The provider reported a different amount or currency than was charged: not confirmed, an admin decides.
    NEEDS_REVIEW = "needs_review"


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class LedgerAccount(StrEnum):
    LEARNER_FUNDS = "learner_funds"  # money received from learners through a gateway
    PLATFORM_REVENUE = "platform_revenue"
    PLATFORM_LEARNER_FEES = "platform_learner_fees"  # the learner's service fee, apart from commission
    MENTOR_PAYABLE = "mentor_payable"
    COUPON_EXPENSE = "coupon_expense"
    PAYOUT_CLEARING = "payout_clearing"
    SPONSOR_FUNDS = "sponsor_funds"  # cash received from mentors for sponsored placements
    SPONSOR_PREPAID = "sponsor_prepaid"  # a campaign's unspent prepaid balance, owed to the mentor (credit)
    SPONSORED_REVENUE = "sponsored_revenue"  # prepaid balance drawn down as placements are delivered
    SUBSCRIPTION_FUNDS = "subscription_funds"  # money received from mentors for their plan
    PLATFORM_SUBSCRIPTION_REVENUE = "platform_subscriptions"  # platform revenue, apart from commission


class PayoutStatus(StrEnum):
    DRAFT = "draft"
    PAID = "paid"


class CouponKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    LEFT = "left"


class NotificationKind(StrEnum):
    BOOKING_MADE = "booking_made"
    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_RESCHEDULED = "booking_rescheduled"
    SESSION_CANCELLED = "session_cancelled"
    SESSION_CHANGED = "session_changed"  # the mentor edited what a booked learner relies on
    WAITLIST_OFFER = "waitlist_offer"
    REMINDER = "reminder"
    REVIEW_RECEIVED = "review_received"
    PAYMENT_REFUNDED = "payment_refunded"
    PAYMENT_NEEDS_REVIEW = "payment_needs_review"
    SUBSCRIPTION = "subscription"
    PASSWORD_CHANGED = "password_changed"
    SYSTEM = "system"


class InteractionKind(StrEnum):
    VIEW = "view"
    CLICK = "click"
    IMPRESSION = "impression"
    DISMISS = "dismiss"
    BOOK = "book"
    ATTEND = "attend"
    RATE = "rate"


class ExperimentStatus(StrEnum):
    DRAFT = "draft"
    RUNNING = "running"
    STOPPED = "stopped"
