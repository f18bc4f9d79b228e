"""Scenario discovery with PRIM finds a planted failure region."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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


# ------------------------------------------------- issue 13: one line, never a traceback

GOOD_ARGS = ["--outcome", "burnouts_per_1000_per_year", "--threshold", "10"]
HEADER = b"volunteer_expectation,trust_gain,outreach,burnouts_per_1000_per_year\n"


@pytest.mark.parametrize(
    ("file", "content", "expected"),
    [
        ("samples.csv", None, "not a completed sweep (samples.csv and manifest.json are missing)"),
        ("samples.csv", b"", "samples.csv: cannot be read as CSV"),
        ("samples.csv", b"\xff\xfe\x00\x01garbage", "samples.csv: cannot be read as CSV"),
        ("samples.csv", b"trust_gain\n0.5\n", "samples.csv: has no column volunteer_expectation"),
        (
            "samples.csv",
            HEADER + b"x,0.1,0.2,30\n0.5,0.3,0.2,1\n",
            "samples.csv: column volunteer_expectation holds values that are not finite",
        ),
        ("samples.csv", HEADER + b"0.5,0.3,0.2,1\n", "samples.csv: has 1 row(s)"),
        ("manifest.json", b"not json", "manifest.json: not the manifest of a cocreate sweep"),
        ("manifest.json", b"{}", "manifest.json: not the manifest of a cocreate sweep"),
    ],
)
def test_a_malformed_sweep_folder_is_one_line(tmp_path: Path, capsys, file, content, expected):
    folder = tmp_path / "sweep"
    _planted_sweep(folder)
    (folder / "cocreate.json").write_text('{"command": "sweep"}')
    if content is None:
        (folder / file).unlink()
    else:
        (folder / file).write_bytes(content)
    assert main(["discover", str(folder), *GOOD_ARGS]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert expected in line, line


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (["--boxes", "0"], "--boxes: 0 is out of range; allowed 1 or more"),
        (["--threshold", "nan"], "--threshold: nan is not allowed; allowed a finite number"),
        (["--outcome", "../x"], "--outcome: '../x' is not in"),
    ],
)
def test_bad_discover_options_are_one_line(tmp_path: Path, capsys, change, expected) -> None:
    _planted_sweep(tmp_path / "sweep")
    assert main(["discover", str(tmp_path / "sweep"), *GOOD_ARGS, *change]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(expected), line


def test_a_sweep_folder_that_cannot_be_written_is_one_line(tmp_path: Path, capsys, monkeypatch):
    import tempfile

    _planted_sweep(tmp_path / "sweep")

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    assert main(["discover", str(tmp_path / "sweep"), *GOOD_ARGS]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith("cannot be written (Permission denied); use a folder you can write to")
    assert not (tmp_path / "sweep" / "discover_burnouts_per_1000_per_year.csv").exists()


def test_discover_refuses_a_folder_another_command_made(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "cmp"
    _planted_sweep(folder)  # the files of a sweep, in a folder compare made
    (folder / "cocreate.json").write_text('{"command": "compare"}')
    before = sorted(p.name for p in folder.iterdir())
    assert main(["discover", str(folder), *GOOD_ARGS]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        f"{folder}: not a completed sweep (made by cocreate compare); "
        "expected the folder of cocreate sweep"
    )
    assert sorted(p.name for p in folder.iterdir()) == before
