"""Run alembic from Python (start-up, tests) with the repo's alembic/ folder."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import peerlearn.models  # noqa: F401 - imported for its side effect: every table registers on SQLModel.metadata

REPO_ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "alembic"))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")


# Expression indexes written by hand in migrations: autogenerate cannot compare them.
HAND_WRITTEN_INDEXES = {"ix_learningsession_search_document"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in HAND_WRITTEN_INDEXES)


def schema_drift(connection) -> list:
    """Differences between the migrated database and the models (empty means none)."""
    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
    return compare_metadata(context, SQLModel.metadata)
