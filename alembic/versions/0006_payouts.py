"""payouts a mentor requests

A mentor can ask for their available balance: the payout exists before any admin batch takes it (batch_id
nullable), and it carries the time it was asked for (requested_at; earlier payouts take their batch's time).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 01:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import peerlearn.models.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payout", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requested_at", peerlearn.models.types.UTCDateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE payout SET requested_at = (SELECT created_at FROM payoutbatch WHERE payoutbatch.id = payout.batch_id)"
    )
    with op.batch_alter_table("payout", schema=None) as batch_op:
        batch_op.alter_column(
            "requested_at", existing_type=peerlearn.models.types.UTCDateTime(timezone=True), nullable=False
        )
        batch_op.alter_column("batch_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute(
        "DELETE FROM ledgerentry WHERE transaction_id IN (SELECT id FROM ledgertransaction WHERE payout_id IN "
        "(SELECT id FROM payout WHERE batch_id IS NULL))"
    )
    op.execute("DELETE FROM ledgertransaction WHERE payout_id IN (SELECT id FROM payout WHERE batch_id IS NULL)")
    op.execute("DELETE FROM payout WHERE batch_id IS NULL")
    with op.batch_alter_table("payout", schema=None) as batch_op:
        batch_op.alter_column("batch_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("requested_at")
