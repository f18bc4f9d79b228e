"""The J-curve's scenario discovery (``experiments/payback.py``): its reading of the money,
its samples, its box and its refusal of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import load_script

from sim.core.params import PARAM_BY_NAME, WEEKS_PER_YEAR

SCRIPT = Path(__file__).resolve().parents[1] / "experiments" / "payback.py"


@pytest.fixture(scope="module")
def payback():
    return load_script(SCRIPT)


def test_money_reads_a_j_curve(payback) -> None:
    weeks = 4 * WEEKS_PER_YEAR
    base = np.full(weeks, 100.0)
    # Dearer by 10 a week for two years, then cheaper by 30 a week: the cumulative extra
    # cost peaks at the end of year two (1,040) and is below zero 35 weeks later.
    deal = base + np.where(np.arange(weeks) < 2 * WEEKS_PER_YEAR, 10.0, -30.0)
    found = payback.money(deal, base)
    assert found["peak_week"] == 2 * WEEKS_PER_YEAR - 1
    assert found["extra_first_year"] == pytest.approx(10.0 * WEEKS_PER_YEAR)
    assert found["last_year_weekly"] == pytest.approx(-30.0)
    assert found["extra_total"] == pytest.approx(10.0 * 104 - 30.0 * 104)
    peak_cost = 10.0 * 2 * WEEKS_PER_YEAR
    assert found["payback_week"] == found["peak_week"] + int(peak_cost // 30.0) + 1
    assert payback.pays_back(found)


def test_money_without_payback(payback) -> None:
    base = np.zeros(3 * WEEKS_PER_YEAR)
    found = payback.money(base + 5.0, base)
    assert np.isnan(found["payback_week"])
    assert found["peak_week"] == len(base) - 1
    assert not payback.pays_back(found)
    # Cheaper from the first week: never dearer at first, so not a J either.
    assert not payback.pays_back(payback.money(base - 5.0, base))


def test_samples_span_the_plausible_ranges_and_repeat(payback) -> None:
    bounds = {name: PARAM_BY_NAME[name].plausible_range for name in payback.PARAMS}
    first = payback.samples(bounds, 16)
    assert first == payback.samples(bounds, 16)
    for name, (low, high) in bounds.items():
        values = np.array([s[name] for s in first])
        assert np.all((low <= values) & (values <= high)), name
        # A Latin hypercube puts one point in each sixteenth of every range.
        strata = np.floor((values - low) / (high - low) * 16).astype(int)
        assert sorted(np.minimum(strata, 15)) == list(range(16)), name


def test_box_finds_where_it_pays_back(payback) -> None:
    rng = np.random.default_rng(3)
    cost = rng.uniform(1.0, 8.0, 200)
    other = rng.uniform(0.0, 1.0, 200)
    extra = (cost - 3.0) * 1000.0  # pays back where support costs less than 3
    table = pd.DataFrame(
        {
            "support_cost": cost,
            "acute_cost_factor": other,
            "seed": 0,
            "extra_first_year": 500.0,
            "extra_total": extra,
            "last_year_weekly": extra,
        }
    )
    text = payback.box(table, ["support_cost", "acute_cost_factor"])
    assert text.startswith(f"{int((cost < 3.0).sum())} of 200 samples pay back")
    row = next(line for line in text.splitlines() if line.startswith("| support_cost"))
    high = float(row.split("|")[3])
    assert 2.5 < high < 3.5, row


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    for args, named in (
        (["--params", "support_cost,no_such"], "no_such"),
        (["--samples", "0"], "--samples"),
        (["--seed", "-1"], "--seed"),
    ):
        done = subprocess.run(
            [sys.executable, str(SCRIPT), *args, "--out", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert named in lines[-1] and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "samples.csv").exists()


def test_a_small_run_writes_its_samples_box_and_manifest(payback, tmp_path: Path) -> None:
    args = ["--samples", "2", "--seed", "4", "--years", "1", "--citizens", "200"]
    args += ["--workers", "1"]
    args += ["--params", "support_cost,coordination_share", "--out", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "samples.csv")
    assert len(table) == 2 and list(table["seed"]) == [4, 4]
    for _, row in table.iterrows():
        assert row["pays_back"] == payback.pays_back(row)
        low, high = PARAM_BY_NAME["support_cost"].plausible_range
        assert low <= row["support_cost"] <= high
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["bounds"]["coordination_share"] == list(
        PARAM_BY_NAME["coordination_share"].plausible_range
    )
    assert manifest["deal"] == "wigan_deal" and manifest["counterfactual"] == "austerity"
    assert manifest["seeds"] == [4]
    assert (
        (tmp_path / "box.md")
        .read_text()
        .startswith(f"{int(table['pays_back'].sum())} of 2 samples pay back")
    )
