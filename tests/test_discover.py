"""Scenario discovery with PRIM finds a planted failure region."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from sim.cli import main
from sim.runs.discover import discover


def _planted_sweep(folder: Path) -> None:
    rng = np.random.default_rng(0)
    x = pd.DataFrame(
        rng.random((2000, 3)), columns=["volunteer_expectation", "trust_gain", "outreach"]
    )
    # failure (many burnouts) exactly where expectations are high and trust builds slowly
    fails = (x.volunteer_expectation > 0.7) & (x.trust_gain < 0.4)
    x["burnouts_per_1000_per_year"] = np.where(fails, 20.0, 2.0) + rng.random(2000)
    folder.mkdir()
    x.to_csv(folder / "samples.csv", index=False)
    parameters = {"volunteer_expectation": None, "trust_gain": None, "outreach": None}
    (folder / "manifest.json").write_text(json.dumps({"experiment": {"parameters": parameters}}))


def test_prim_finds_the_planted_box(tmp_path: Path) -> None:
    _planted_sweep(tmp_path / "sweep")
    boxes = discover(tmp_path / "sweep", "burnouts_per_1000_per_year", 10.0, boxes=1)
    first = boxes[boxes.box == 1].set_index("parameter")
    assert set(first.index) == {"volunteer_expectation", "trust_gain"}  # outreach is irrelevant
    # The box is taken at density >= 0.8 with the most coverage, so its edges may reach a
    # tenth of the range past the planted ones.
    assert abs(first.loc["volunteer_expectation", "low"] - 0.7) < 0.1
    assert abs(first.loc["trust_gain", "high"] - 0.4) < 0.1
    assert first.coverage.iloc[0] > 0.8 and first.density.iloc[0] >= 0.8


def test_cli_discover_reports_and_refuses_bad_requests(tmp_path: Path, capsys) -> None:
    _planted_sweep(tmp_path / "sweep")
    folder = str(tmp_path / "sweep")
    assert (
        main(["discover", folder, "--outcome", "burnouts_per_1000_per_year", "--threshold", "10"])
        == 0
    )
    out = capsys.readouterr().out
    assert "box 1: coverage" in out and "volunteer_expectation" in out
    assert (tmp_path / "sweep" / "discover_burnouts_per_1000_per_year.csv").exists()
    assert main(["discover", folder, "--outcome", "happiness", "--threshold", "1"]) == 2
    assert "--outcome: 'happiness' is not in" in capsys.readouterr().err
    assert (
        main(["discover", folder, "--outcome", "burnouts_per_1000_per_year", "--threshold", "99"])
        == 2
    )
    assert "choose a threshold that splits the runs" in capsys.readouterr().err
    assert main(["discover", str(tmp_path), "--outcome", "x", "--threshold", "1"]) == 2
    assert "not a completed sweep" in capsys.readouterr().err
