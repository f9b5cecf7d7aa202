"""Schemathesis fuzzes every operation of the app's OpenAPI document in-process (ASGI, no server).

Each operation runs anonymously and as a learner, a mentor and an admin, with schema-valid
(positive) and schema-breaking (negative) inputs, from a fixed seed so a failure replays. Checks:
no 5xx, every status code is documented for the operation, and every response body matches its
documented schema. A little seeded data (sessions, a booking, a chat message) lets small ids resolve
sometimes. Runs against SQLite (FUZZ_BACKEND=postgres: PostgreSQL); marked ``slow`` (about a minute and a half here).
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from peerlearn.config import reset_settings_cache
from peerlearn.db import reset_engine_cache, session_scope
from tests.factories import make_session, make_user, token_for

pytestmark = pytest.mark.slow

EXAMPLES_PER_MODE = int(os.environ.get("FUZZ_EXAMPLES", "4"))  # per operation, role and mode; raise it for a deeper run
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Run anonymously only: as a signed-in role they would end the very login the other operations use.
ANONYMOUS_ONLY = {("POST", "/api/auth/logout/"), ("POST", "/api/auth/password/")}


@pytest.fixture(scope="module")
def fuzz_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite by default; FUZZ_BACKEND=postgres fuzzes a fresh PostgreSQL database instead (its INTEGER ids
    overflow at 2**31, which SQLite alone would never show)."""
    if os.environ.get("FUZZ_BACKEND") == "postgres":
        from tests.conftest import _truncate_all

        url = request.getfixturevalue("postgres_database")
        _truncate_all(url)
        return url
    path = tmp_path_factory.mktemp("fuzz-db") / "peerlearn.db"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def fuzz_app(fuzz_database: str, tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("fuzz")
    patch = pytest.MonkeyPatch()
    patch.setenv("DATABASE_URL", fuzz_database)
    patch.setenv("PEERLEARN_DATA_DIR", str(directory / "data"))
    reset_settings_cache()
    reset_engine_cache()
    with session_scope() as db:
        mentor, learner, admin = make_user(db, mentor=True), make_user(db), make_user(db, admin=True)
        first = make_session(db, mentor, start_in=timedelta(days=3))
        make_session(db, mentor, start_in=timedelta(days=4), price_minor=1500, currency="USD")
        make_session(db, mentor, start_in=timedelta(minutes=5))
        tokens = {"learner": token_for(db, learner), "mentor": token_for(db, mentor), "admin": token_for(db, admin)}
    from peerlearn.api.app import create_api
    from peerlearn.platform.throttle import get_login_throttle

    get_login_throttle.cache_clear()
    api = create_api()
    from fastapi.testclient import TestClient

    with TestClient(api) as client:
        assert client.post(f"/api/sessions/{first}/book/", headers=tokens["learner"]).status_code == 201
        client.post(f"/api/sessions/{first}/chat/", json={"body": "hello"}, headers=tokens["mentor"])
    yield api, tokens
    patch.undo()
    reset_engine_cache()
    reset_settings_cache()


def _fuzz(operation, headers: dict[str, str], mode: GenerationMode, tally: Counter, failures: list[str]) -> None:
    @seed(20261202)
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        response = case.call(headers=dict(headers))
        tally["requests"] += 1
        tally[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as error:  # collected, then reported together
            checks = " ".join(line.strip("- ") for line in str(error).splitlines() if line.startswith("- "))
            failures.append(
                f"{operation.label} [{mode}] -> {response.status_code} {checks}\n  {case.as_curl_command()}"
            )

    try:
        run()
    except Unsatisfiable:
        tally["modes without cases"] += 1  # nothing to break: an operation without parameters or body


def test_every_operation_survives_fuzzing_anonymously_and_signed_in(fuzz_app, capsys):
    api, tokens = fuzz_app
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api)
    operations = [result.ok() for result in schema.get_all_operations()]
    tally: Counter = Counter()
    failures: list[str] = []
    roles = {"anonymous": {}, **tokens}
    for operation in operations:
        for role, headers in roles.items():
            if role != "anonymous" and (operation.method.upper(), operation.path) in ANONYMOUS_ONLY:
                continue
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(operation, headers, mode, tally, failures)
    with capsys.disabled():
        statuses = dict(sorted(tally.items()))
        print(f"\nfuzz: {len(operations)} operations, {tally['requests']} requests, statuses {statuses}")
    assert len(operations) >= 50
    unique = {failure.split("\n")[0]: failure for failure in failures}
    assert tally["5xx"] == 0 and not unique, "\n".join(list(unique.values())[:40])
