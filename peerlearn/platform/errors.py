"""Typed errors raised by services; the API and the UI map them in one place each."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    VALIDATION = "validation_error"
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    EMAIL_TAKEN = "email_taken"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    RESET_TOKEN_INVALID = "reset_token_invalid"
    SESSION_FULL = "session_full"
    ALREADY_BOOKED = "already_booked"
    OWN_SESSION = "own_session"
    OVERLAP = "overlapping_booking"
    MENTOR_OVERLAP = "overlapping_session"
    NOTICE_TOO_SHORT = "booking_notice_too_short"
    CANCELLATION_CUTOFF = "cancellation_cutoff_passed"
    INVALID_STATE = "invalid_state"
    NOT_BOOKABLE = "session_not_bookable"
    RESCHEDULE_NOT_ALLOWED = "reschedule_not_allowed"
    ALREADY_REVIEWED = "already_reviewed"
    REVIEW_NOT_ALLOWED = "review_not_allowed"
    WAITLIST_NOT_ALLOWED = "waitlist_not_allowed"
    COUPON_INVALID = "coupon_invalid"
    PAYMENT_ERROR = "payment_error"
    ROOM_CLOSED = "room_closed"
    SESSION_STARTED = "session_already_started"
    ALREADY_MENTOR = "already_mentor"
    PAYOUT_BELOW_MINIMUM = "payout_below_minimum"
    PAYOUT_OVER_AVAILABLE = "payout_over_available"
    BUSY = "temporarily_unavailable"


class ServiceError(Exception):
    """A rule said no. `code` says which rule; `message` is fit to show a person."""

    code: ErrorCode = ErrorCode.VALIDATION

    def __init__(self, message: str, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ValidationError(ServiceError):
    code = ErrorCode.VALIDATION


class NotFoundError(ServiceError):
    code = ErrorCode.NOT_FOUND


class AuthenticationError(ServiceError):
    code = ErrorCode.UNAUTHENTICATED


class PermissionDeniedError(ServiceError):
    code = ErrorCode.FORBIDDEN


class ConflictError(ServiceError):
    """The request is valid but clashes with the current state (full, taken, overlapping)."""

    code = ErrorCode.INVALID_STATE


class RuleViolationError(ServiceError):
    """A marketplace rule (cut-off, notice, ...) forbids this now."""

    code = ErrorCode.INVALID_STATE


class ThrottledError(ServiceError):
    code = ErrorCode.TOO_MANY_ATTEMPTS

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
