"""A/B experiments on recommendations: define, assign by hashing, log exposures, and read results
with intervals, a two-proportion z-test, a sample-ratio-mismatch check and a fixed horizon."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from peerlearn.booking.rules import SEAT_HOLDING
from peerlearn.models import Booking, Experiment, ExperimentAssignment, InteractionEvent, LearningSession
from peerlearn.models.enums import BookingStatus, ExperimentStatus, InteractionKind
from peerlearn.models.types import saved_id, utcnow
from peerlearn.platform.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from peerlearn.recommender import experiments as stats
from peerlearn.recommender.config import COMPONENTS

BOOKED = list(SEAT_HOLDING | {BookingStatus.COMPLETED, BookingStatus.NO_SHOW})


class VariantSpec(BaseModel):
    name: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")
    share: float = Field(gt=0, le=1)
    weights: dict[str, float] | None = None  # blend weights; None = the fitted engine as it ships

    @field_validator("weights")
    @classmethod
    def _known_components(cls, weights: dict[str, float] | None) -> dict[str, float] | None:
        if weights is not None and (set(weights) - set(COMPONENTS) or any(w < 0 for w in weights.values())):
            raise ValueError(f"weights take non-negative values for {', '.join(COMPONENTS)}")
        return weights


class ExperimentCreate(BaseModel):
    key: str = Field(min_length=3, max_length=60, pattern=r"^[a-z0-9_-]+$")
    name: str = Field(min_length=3, max_length=120)
    variants: list[VariantSpec] = Field(min_length=2, max_length=5)
    baseline_rate: float = Field(default=0.05, gt=0, lt=1)
    minimum_detectable_effect: float = Field(
        default=0.02, gt=0, lt=1, description="absolute lift in the primary metric"
    )


@dataclass(frozen=True)
class Variant:
    name: str
    weights: dict[str, float] | None
    experiment_id: int = 0


class VariantResult(BaseModel):
    name: str
    exposed: int
    impressions: int
    clicks: int
    ctr: float
    bookers: int
    conversion: float
    conversion_ci: tuple[float, float]
    completions: int
    completion_rate: float
    cancellations: int
    cancellation_rate: float
    top_mentor_share: float
    z_vs_control: float | None = None
    p_vs_control: float | None = None


class ExperimentResults(BaseModel):
    key: str
    status: ExperimentStatus
    primary_metric: str
    variants: list[VariantResult]
    srm_p_value: float | None
    srm_ok: bool
    required_per_variant: int
    horizon_reached: bool
    verdict: str


def create_experiment(data: ExperimentCreate, *, db: Session) -> Experiment:
    names = [v.name for v in data.variants]
    if len(set(names)) != len(names):
        raise ValidationError("Variant names must be different.")
    if db.exec(select(Experiment.id).where(Experiment.key == data.key)).first() is not None:
        raise ConflictError(f"An experiment with key '{data.key}' exists already.")
    experiment = Experiment(
        key=data.key,
        name=data.name,
        variants=[v.model_dump() for v in data.variants],
        baseline_rate=data.baseline_rate,
        minimum_detectable_effect=data.minimum_detectable_effect,
    )
    db.add(experiment)
    db.flush()
    return experiment


def set_status(experiment_id: int, status: ExperimentStatus, *, db: Session) -> Experiment:
    experiment = db.get(Experiment, experiment_id)
    if experiment is None:
        raise NotFoundError("No such experiment.")
    if status == ExperimentStatus.RUNNING:
        if experiment.status != ExperimentStatus.DRAFT:
            raise RuleViolationError(
                "Only a draft experiment can start (a stopped one stays stopped, so nobody restarts after peeking)."
            )
        if db.exec(select(Experiment.id).where(Experiment.status == ExperimentStatus.RUNNING)).first() is not None:
            raise RuleViolationError("Another experiment is running; stop it first.")
        experiment.started_at = utcnow()
    elif status == ExperimentStatus.STOPPED:
        experiment.stopped_at = utcnow()
    experiment.status = status
    db.add(experiment)
    return experiment


def running_experiment(*, db: Session) -> Experiment | None:
    return db.exec(select(Experiment).where(Experiment.status == ExperimentStatus.RUNNING)).first()


def variant_for(user_id: int, *, db: Session) -> Variant | None:
    """The learner's variant of the running experiment, stable by hashing. Reads only."""
    experiment = running_experiment(db=db)
    if experiment is None:
        return None
    split = {v["name"]: v["share"] for v in experiment.variants}
    name = stats.assign_variant(user_id, experiment.key, split)
    weights = next((v.get("weights") for v in experiment.variants if v["name"] == name), None)
    return Variant(name=name, weights=weights, experiment_id=saved_id(experiment))


def record_exposure(user_id: int, variant: Variant, *, db: Session) -> None:
    """The learner's first exposure to the experiment is logged once, however many requests race."""
    row = db.exec(
        select(ExperimentAssignment).where(
            ExperimentAssignment.experiment_id == variant.experiment_id, ExperimentAssignment.user_id == user_id
        )
    ).first()
    if row is not None:
        return
    try:
        with db.begin_nested():
            db.add(
                ExperimentAssignment(
                    experiment_id=variant.experiment_id, user_id=user_id, variant=variant.name, exposed_at=utcnow()
                )
            )
    except IntegrityError:
        pass  # another request of the same learner got there first; same variant by construction


def assign_and_expose(user_id: int, *, db: Session) -> Variant | None:
    """The learner's variant of the running experiment, with the first exposure logged."""
    variant = variant_for(user_id, db=db)
    if variant is not None:
        record_exposure(user_id, variant, db=db)
    return variant


def experiment_results(experiment_id: int, *, db: Session) -> ExperimentResults:
    experiment = db.get(Experiment, experiment_id)
    if experiment is None:
        raise NotFoundError("No such experiment.")
    results = [_variant_result(experiment, v["name"], db=db) for v in experiment.variants]
    control = results[0]
    for result in results[1:]:
        if control.exposed and result.exposed:
            result.z_vs_control, result.p_vs_control = stats.two_proportion_ztest(
                control.bookers, control.exposed, result.bookers, result.exposed
            )
    srm_p = None
    if sum(r.exposed for r in results) >= 20:
        srm_p = stats.sample_ratio_mismatch([r.exposed for r in results], [v["share"] for v in experiment.variants])[1]
    needed = stats.sample_size_per_variant(experiment.baseline_rate, experiment.minimum_detectable_effect)
    reached = all(r.exposed >= needed for r in results)
    return ExperimentResults(
        key=experiment.key,
        status=experiment.status,
        primary_metric=experiment.primary_metric,
        variants=results,
        srm_p_value=srm_p,
        srm_ok=srm_p is None or srm_p >= 0.001,
        required_per_variant=needed,
        horizon_reached=reached,
        verdict=_verdict(results, reached, srm_p),
    )


def _verdict(results: list[VariantResult], reached: bool, srm_p: float | None) -> str:
    if srm_p is not None and srm_p < 0.001:
        return "Sample ratio mismatch: assignment or logging is broken; do not trust these numbers."
    if not reached:
        return "Keep running: the fixed horizon is not reached, so no winner can be declared yet."
    best = min(results[1:], key=lambda r: r.p_vs_control if r.p_vs_control is not None else 1.0)
    if best.p_vs_control is not None and best.p_vs_control < 0.05:
        better = best.conversion > results[0].conversion
        return (
            f"'{best.name}' {'beats' if better else 'is worse than'} '{results[0].name}' (p = {best.p_vs_control:.3f})."
        )
    return "No significant difference at the planned horizon."


def _variant_result(experiment: Experiment, name: str, *, db: Session) -> VariantResult:
    assigned = db.exec(
        select(ExperimentAssignment.user_id, ExperimentAssignment.exposed_at).where(
            ExperimentAssignment.experiment_id == experiment.id,
            ExperimentAssignment.variant == name,
            col(ExperimentAssignment.exposed_at).is_not(None),
        )
    ).all()
    users = [u for u, _ in assigned]
    since = experiment.started_at or experiment.created_at

    def count_events(kind: InteractionKind) -> int:
        if not users:
            return 0
        return db.exec(
            select(func.count())
            .select_from(InteractionEvent)
            .where(
                col(InteractionEvent.user_id).in_(users),
                InteractionEvent.kind == kind,
                InteractionEvent.source == "recommendations",
                InteractionEvent.created_at >= since,
            )
        ).one()

    bookings = (
        db.exec(
            select(Booking.learner_id, Booking.status, LearningSession.mentor_id)
            .join(LearningSession, col(LearningSession.id) == Booking.session_id)
            .where(col(Booking.learner_id).in_(users), Booking.created_at >= since)
        ).all()
        if users
        else []
    )
    kept = [b for b in bookings if b[1] in BOOKED]
    bookers = len({b[0] for b in kept})
    completions = sum(1 for b in bookings if b[1] == BookingStatus.COMPLETED)
    cancels = sum(1 for b in bookings if b[1] in (BookingStatus.CANCELLED, BookingStatus.REFUNDED))
    mentors: dict[int, int] = {}
    for _, _, mentor_id in kept:
        mentors[mentor_id] = mentors.get(mentor_id, 0) + 1
    impressions, clicks = count_events(InteractionKind.IMPRESSION), count_events(InteractionKind.CLICK)
    n = len(users)
    return VariantResult(
        name=name,
        exposed=n,
        impressions=impressions,
        clicks=clicks,
        ctr=clicks / impressions if impressions else 0.0,
        bookers=bookers,
        conversion=bookers / n if n else 0.0,
        conversion_ci=stats.wilson_interval(bookers, n) if n else (0.0, 0.0),
        completions=completions,
        completion_rate=completions / len(kept) if kept else 0.0,
        cancellations=cancels,
        cancellation_rate=cancels / len(bookings) if bookings else 0.0,
        top_mentor_share=max(mentors.values()) / len(kept) if kept else 0.0,
    )


def list_experiments(*, db: Session) -> list[Experiment]:
    return list(db.exec(select(Experiment).order_by(col(Experiment.created_at).desc())))
