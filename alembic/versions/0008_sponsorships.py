"""sponsored placements

A mentor's prepaid campaign for one of their sessions (targets, dates, budget, daily cap, CPC or CPM bid, what
was spent) and its delivery events (impressions and clicks, billed or not and why).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 02:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import peerlearn.models.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sponsorship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("budget_minor", sa.Integer(), nullable=False),
        sa.Column("daily_cap_minor", sa.Integer(), nullable=False),
        sa.Column("pricing", peerlearn.models.types.EnumText(length=24), nullable=False),
        sa.Column("bid_minor", sa.Integer(), nullable=False),
        sa.Column("status", peerlearn.models.types.EnumText(length=24), nullable=False),
        sa.Column("spent_minor", sa.Integer(), nullable=False),
        sa.Column("spent_today_minor", sa.Integer(), nullable=False),
        sa.Column("spent_day", sa.Date(), nullable=True),
        sa.Column("impressions", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("refunded_minor", sa.Integer(), nullable=False),
        sa.Column("payment_reference", sa.String(length=120), nullable=False),
        sa.Column("created_at", peerlearn.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", peerlearn.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["mentor_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["learningsession.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_sponsorship_mentor_id"), "sponsorship", ["mentor_id"], unique=False)
    op.create_index(op.f("ix_sponsorship_session_id"), "sponsorship", ["session_id"], unique=False)
    op.create_index(op.f("ix_sponsorship_status"), "sponsorship", ["status"], unique=False)
    op.create_table(
        "sponsoredevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sponsorship_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", peerlearn.models.types.EnumText(length=24), nullable=False),
        sa.Column("charge_minor", sa.Integer(), nullable=False),
        sa.Column("billed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", peerlearn.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sponsorship_id"], ["sponsorship.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_sponsoredevent_campaign_user",
        "sponsoredevent",
        ["sponsorship_id", "user_id", "kind", "created_at"],
        unique=False,
    )
    op.create_index(op.f("ix_sponsoredevent_client_key"), "sponsoredevent", ["client_key"], unique=False)
    op.create_index(op.f("ix_sponsoredevent_created_at"), "sponsoredevent", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sponsoredevent_created_at"), table_name="sponsoredevent")
    op.drop_index(op.f("ix_sponsoredevent_client_key"), table_name="sponsoredevent")
    op.drop_index("ix_sponsoredevent_campaign_user", table_name="sponsoredevent")
    op.drop_table("sponsoredevent")
    op.drop_index(op.f("ix_sponsorship_status"), table_name="sponsorship")
    op.drop_index(op.f("ix_sponsorship_session_id"), table_name="sponsorship")
    op.drop_index(op.f("ix_sponsorship_mentor_id"), table_name="sponsorship")
    op.drop_table("sponsorship")
