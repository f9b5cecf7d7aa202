"""a mentor asks to be verified

A mentor's request to be verified carries when they asked (verification_requested_at: the admin's queue takes the
oldest first, and the mentor's desk says since when it waits) and what they ask the admin to check (a link to a
profile or portfolio). Mentors already pending from before keep no time.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import peerlearn.models.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mentorprofile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verification_requested_at", peerlearn.models.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("verification_note", sa.String(length=300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("mentorprofile", schema=None) as batch_op:
        batch_op.drop_column("verification_note")
        batch_op.drop_column("verification_requested_at")
