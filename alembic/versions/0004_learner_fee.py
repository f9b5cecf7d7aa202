"""learner fee on bookings and payments

The learner-side platform fee ("Service fee") is fixed on the booking when it is held and on the
payment when it is charged, so a later change of LEARNER_FEE_* never alters a past booking.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 01:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("learner_fee_minor", sa.Integer(), nullable=False, server_default="0"))

    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("learner_fee_minor", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_column("learner_fee_minor")

    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_column("learner_fee_minor")
