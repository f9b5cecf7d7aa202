"""The same migrations build the schema on SQLite and PostgreSQL, with no drift from the models."""

import sqlalchemy as sa
from sqlmodel import SQLModel

from peerlearn.db import create_db_engine
from peerlearn.migrations import schema_drift, upgrade_to_head


def test_migrations_reach_head_without_drift(database_url):
    upgrade_to_head(database_url)  # again: a second upgrade is a no-op
    engine = create_db_engine(database_url)
    with engine.connect() as conn:
        assert schema_drift(conn) == []
        tables = set(sa.inspect(conn).get_table_names())
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert set(SQLModel.metadata.tables) <= tables
    assert version is not None


def test_timestamps_come_back_timezone_aware(db):
    from peerlearn.models import User

    user = User(email="tz@example.org", password_hash="x", full_name="Tz")
    db.add(user)
    db.commit()
    db.expire_all()
    again = db.get(User, user.id)
    assert again.created_at.tzinfo is not None
    assert again.created_at.utcoffset().total_seconds() == 0
