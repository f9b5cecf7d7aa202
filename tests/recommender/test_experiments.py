import subprocess
import sys
from collections import Counter

import pytest
from scipy import stats

from peerlearn.recommender.experiments import (
    assign_variant,
    minimum_detectable_effect,
    normal_interval,
    sample_ratio_mismatch,
    sample_size_per_variant,
    two_proportion_ztest,
    wilson_interval,
)


def test_assignment_is_stable_across_processes_and_follows_the_split():
    users = [f"user-{i}" for i in range(20)]
    here = [assign_variant(u, "ranker-v2", {"control": 0.5, "treatment": 0.5}) for u in users]
    code = (
        "from peerlearn.recommender.experiments import assign_variant;"
        f"print(','.join(assign_variant(u, 'ranker-v2', {{'control': 0.5, 'treatment': 0.5}}) for u in {users!r}))"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            cwd=".",
        )
        assert out.stdout.strip().split(",") == here
    counts = Counter(assign_variant(i, "exp", {"a": 0.2, "b": 0.8}) for i in range(20000))
    assert abs(counts["a"] / 20000 - 0.2) < 0.015
    assert assign_variant(42, "exp", ["a", "b"]) == assign_variant(42, "exp", ["a", "b"])
    other_key = [assign_variant(u, "another", ["control", "treatment"]) for u in users]
    assert other_key != here  # a new key reshuffles


def test_two_proportion_ztest_matches_hand_computation():
    z, p = two_proportion_ztest(200, 1000, 250, 1000)
    pooled = 450 / 2000
    se = (pooled * (1 - pooled) * (2 / 1000)) ** 0.5
    assert z == pytest.approx(0.05 / se)
    assert p == pytest.approx(2 * stats.norm.sf(abs(0.05 / se)))
    assert p == pytest.approx(0.00742, abs=1e-5)
    assert two_proportion_ztest(10, 100, 10, 100) == (0.0, 1.0)


def test_intervals():
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    lo, hi = wilson_interval(81, 263)
    assert (lo, hi) == pytest.approx((0.2553, 0.3662), abs=1e-4)
    p = 81 / 263
    half = stats.norm.ppf(0.975) * (p * (1 - p) / 263) ** 0.5
    assert normal_interval(81, 263) == pytest.approx((p - half, p + half))


def test_sample_ratio_mismatch_matches_scipy():
    stat, p = sample_ratio_mismatch([5000, 5200], [0.5, 0.5])
    ref = stats.chisquare([5000, 5200])
    assert stat == pytest.approx(ref.statistic) and p == pytest.approx(ref.pvalue)
    stat, p = sample_ratio_mismatch([1000, 2100, 2900], [1, 2, 3])
    ref = stats.chisquare([1000, 2100, 2900], [1000, 2000, 3000])
    assert p == pytest.approx(ref.pvalue)


def test_sample_size_and_mde():
    assert sample_size_per_variant(0.10, 0.02) == 3841  # the usual 10% -> 12% figure
    assert sample_size_per_variant(0.10, 0.2, relative=True) == 3841
    assert sample_size_per_variant(0.10, 0.02, power=0.9) > 3841
    assert minimum_detectable_effect(0.10, 3841) == pytest.approx(0.02, abs=1e-4)
    with pytest.raises(ValueError):
        sample_size_per_variant(0.1, 0.0)
