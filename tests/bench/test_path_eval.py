"""bench/path_eval.py runs end to end on a slice of CNPC and a small demo marketplace and prints the paths' Markov
model next to both baselines, for each dataset, in one run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.cnpc_to_csv import DEFAULT_DATA

ROOT = Path(__file__).resolve().parents[2]


def test_path_eval_prints_the_model_against_both_baselines_on_cnpc_and_demo(tmp_path: Path) -> None:
    if not any(DEFAULT_DATA.glob("CNPC*.zip")):
        pytest.skip(f"no CNPC zip in {DEFAULT_DATA}")
    args = ["--cnpc-limit", "40000", "--demo-learners", "60", "--demo-sessions", "80", "--demo-mentors", "10"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "path_eval.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )

    assert done.returncode == 0, done.stderr
    table = [line.split() for line in done.stdout.splitlines() if line.startswith(("cnpc ", "demo "))]
    printed = {(cells[0], cells[1]) for cells in table}
    for dataset in ("cnpc", "demo"):
        for predictor in ("markov", "most-frequent-next", "popularity"):
            assert (dataset, predictor) in printed
    for cells in table:
        assert int(cells[2]) > 0  # learners evaluated
        assert all(0.0 <= float(value) <= 1.0 for value in cells[3:7])
    assert "doi:10.7910/DVN/1XORAL" in done.stdout
