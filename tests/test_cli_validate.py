"""The cocreate CLI (validate, run with a stand-in model) and the atomic write helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from sim.cli import main
from sim.core import io as sim_io
from sim.core.io import atomic_write_csv, atomic_write_json, atomic_write_text
from sim.core.scenario import bundled_scenarios
from sim.model.reporters import REPORTERS
from sim.runs.run import timeseries_for_csv

REPO = Path(__file__).resolve().parent.parent

BROKEN = """\
name: broken
levers:
  outreach: 1.7
  outreech: 0.2
"""


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


# --------------------------------------------------------------------------- validate


def test_validate_bundled_files_exit_0(capsys):
    files = [str(p) for p in bundled_scenarios().values()]
    assert main(["validate", *files, "baseline"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{f}: ok" for f in files] + ["baseline: ok"]
    assert err == ""


def test_validate_broken_file_exit_2(in_tmp, capsys):
    write(in_tmp, "good.yaml", "levers: {outreach: 0.3}\n")
    write(in_tmp, "broken.yaml", BROKEN)
    assert main(["validate", "good.yaml", "broken.yaml"]) == 2
    out, err = capsys.readouterr()
    assert out == "good.yaml: ok\n"
    assert err.splitlines() == [
        "broken.yaml:3: levers.outreach: 1.7 is out of range; allowed 0 to 1 (-)",
        "broken.yaml:4: levers.outreech: unknown lever 'outreech'; did you mean 'outreach'?",
    ]


def test_validate_missing_and_unreadable_files(in_tmp, capsys):
    (in_tmp / "binary.yaml").write_bytes(b"levers:\n  outreach: \xff\xfe\n")
    assert main(["validate", "missing.yaml", "binary.yaml"]) == 2
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == ""
    assert len(lines) == 2
    assert lines[0].startswith("missing.yaml: no such file or bundled scenario")
    assert lines[1].startswith("binary.yaml: not a UTF-8 text file")


def test_validate_needs_a_file(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2


def test_no_subcommand_prints_help(capsys):
    assert main([]) == 2
    assert "validate" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "first_line"),
    [
        (BROKEN, "broken.yaml:3: levers.outreach: 1.7 is out of range"),
        ("levers:\n  outreach: 0.3\n recognition: 0.4\n", "broken.yaml:3: YAML syntax error"),
        ("extends: broken\n", "broken.yaml:1: extends: cyclic extends"),
    ],
)
def test_validate_in_a_subprocess_has_no_traceback(in_tmp, text, first_line):
    write(in_tmp, "broken.yaml", text)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "validate", "broken.yaml"],
        capture_output=True,
        text=True,
        cwd=in_tmp,
        env=env,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(first_line)
    assert proc.stdout == ""


# --------------------------------------------------------------------------- run


class FakeDataCollector:
    def __init__(self, rows: list[dict]):
        self.rows = rows

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)


class FakeModel:
    """Stand-in for sim.model.CoCreationModel with the agreed interface."""

    instances: ClassVar[list[FakeModel]] = []
    interrupt_after: ClassVar[int | None] = None

    def __init__(self, scenario, rng=None, engine="numba"):
        self.scenario = scenario
        self.seed = rng
        self.engine = engine
        self.steps = 0
        self.n_citizens = 1_000
        self.rows: list[dict] = []
        self.datacollector = FakeDataCollector(self.rows)
        FakeModel.instances.append(self)

    def run_for(self, weeks: int) -> None:
        for _ in range(weeks):
            if self.interrupt_after is not None and self.steps >= self.interrupt_after:
                raise KeyboardInterrupt
            self.steps += 1
            self.rows.append(
                {
                    **dict.fromkeys(REPORTERS, 0),
                    "participation_rate": 0.1 + self.steps / 10_000,
                    "volunteers": 100 + self.steps,
                    "burnouts": 1,
                    "mean_trust": 0.5,
                    "public_value": 12.5,
                    "net_cost": 1_000_000.0,
                }
            )

    def neighbourhood_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {"step": s, "neighbourhood": h, "participation_rate": 0.1}
                for s in range(1, self.steps + 1)
                for h in range(self.scenario.municipality["neighbourhoods"])
            ]
        )

    def quintile_table(self) -> pd.DataFrame:
        frame = pd.DataFrame(
            [
                {"step": s, "quintile": q, "mean_trust": 0.5}
                for s in range(1, self.steps + 1)
                for q in range(1, 6)
            ]
        )
        return frame.set_index(["step", "quintile"])  # an index becomes columns


@pytest.fixture
def fake_model(monkeypatch):
    module = types.ModuleType("sim.model")
    module.CoCreationModel = FakeModel
    monkeypatch.setitem(sys.modules, "sim.model", module)
    FakeModel.instances = []
    FakeModel.interrupt_after = None
    return FakeModel


def test_run_writes_tables_and_manifest(in_tmp, fake_model, capsys):
    assert main(["run", "baseline", "--seed", "7", "--years", "2", "--engine", "reference"]) == 0
    out_dir = in_tmp / "results" / "baseline-seed7"
    model = fake_model.instances[0]
    assert (model.seed, model.engine, model.steps) == (7, "reference", 104)
    assert model.scenario.years == 2

    ts = pd.read_csv(out_dir / "timeseries.csv")
    assert ts.columns[0] == "step"
    assert ts["step"].tolist() == list(range(1, 105))  # collected after each step
    hoods = pd.read_csv(out_dir / "neighbourhoods.csv")
    assert list(hoods.columns[:2]) == ["step", "neighbourhood"]
    assert len(hoods) == 104 * 8
    quint = pd.read_csv(out_dir / "quintiles.csv")
    assert list(quint.columns[:2]) == ["step", "quintile"]

    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert manifest["seed"] == 7
    assert manifest["engine"] == "reference"
    assert manifest["years"] == 2
    assert manifest["scenario"]["name"] == "baseline"
    assert manifest["scenario"]["years"] == 2
    assert manifest["package_version"]
    assert set(manifest["versions"]) >= {"python", "numpy", "numba", "mesa"}
    assert manifest["run_seconds"] >= 0
    assert manifest["started_utc"].endswith("+00:00")
    assert "git_commit" in manifest
    assert leftovers(out_dir) == []

    out = capsys.readouterr().out
    assert "baseline: seed 7, 2 years (104 weeks), engine reference" in out
    assert "participation rate" in out
    assert "burnouts (total)    104" in out
    assert f"results in {Path('results') / 'baseline-seed7'}" in out


def test_run_library_function_reports_progress_and_returns_the_tables(tmp_path, fake_model):
    from sim.core.scenario import load_scenario
    from sim.runs.run import run

    calls: list[tuple[int, int]] = []
    scenario = load_scenario("baseline").with_overrides({"years": 1})
    result = run(scenario, tmp_path / "out", seed=4, progress=lambda *c: calls.append(c))
    assert calls == [(k, 52) for k in range(53)]
    assert fake_model.instances[0].seed == 4
    assert result.manifest == json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert result.manifest["files"] == [
        "timeseries.csv",
        "neighbourhoods.csv",
        "quintiles.csv",
        "outcomes.json",
    ]
    assert {"git_commit", "git_dirty", "package_version"} <= set(result.manifest)
    assert set(result.manifest["versions"]) >= {"python", "numpy", "pandas", "SALib"}
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "out" / "timeseries.csv"), result.timeseries
    )


def test_step_column_follows_the_collection_convention():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    assert timeseries_for_csv(frame, 3)["step"].tolist() == [1, 2, 3]
    assert timeseries_for_csv(frame, 2)["step"].tolist() == [0, 1, 2]
    assert timeseries_for_csv(frame, None)["step"].tolist() == [0, 1, 2]
    named = frame.rename_axis("step")
    assert list(timeseries_for_csv(named, 3).columns) == ["step", "x"]
    with_col = frame.assign(step=[5, 6, 7])
    assert list(timeseries_for_csv(with_col, 3).columns) == ["step", "x"]


def test_run_with_out_dir_and_path(in_tmp, fake_model):
    path = write(in_tmp, "mine.yaml", "extends: baseline\nyears: 1\n")
    assert main(["run", str(path), "--out", "here", "-q"]) == 0
    assert (in_tmp / "here" / "manifest.json").is_file()
    manifest = json.loads((in_tmp / "here" / "manifest.json").read_text())
    assert manifest["scenario"]["name"] == "mine"
    assert manifest["seed"] == 0
    assert manifest["engine"] == "numba"
    assert manifest["scenario_file"] == str(path.resolve())


def test_run_refuses_invalid_scenario(in_tmp, fake_model, capsys):
    write(in_tmp, "broken.yaml", BROKEN)
    assert main(["run", "broken.yaml"]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml:3: levers.outreach: 1.7 is out of range" in err
    assert fake_model.instances == []
    assert not (in_tmp / "results").exists()


def test_run_refuses_bad_years(in_tmp, fake_model, capsys):
    assert main(["run", "baseline", "--years", "0"]) == 2
    assert "--years: 0 is out of range; allowed 1 to 100" in capsys.readouterr().err
    assert fake_model.instances == []


def test_run_interrupted_exits_130_and_writes_nothing(in_tmp, fake_model, capsys):
    fake_model.interrupt_after = 3
    assert main(["run", "baseline", "--out", "out"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert not (in_tmp / "out").exists() or list((in_tmp / "out").iterdir()) == []


# --------------------------------------------------------------------------- atomic writes


def test_atomic_write_text_and_json(tmp_path):
    target = tmp_path / "deep" / "file.txt"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two\n")
    assert target.read_text() == "two\n"
    atomic_write_json(tmp_path / "m.json", {"a": 1, "ü": [1.5]})
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8")) == {"a": 1, "ü": [1.5]}
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["file.txt", "m.json"]


def test_atomic_write_csv(tmp_path):
    frame = pd.DataFrame({"step": [0, 1], "x": [0.5, 1.5]})
    atomic_write_csv(tmp_path / "t.csv", frame)
    assert (tmp_path / "t.csv").read_text() == "step,x\n0,0.5\n1,1.5\n"
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "t.csv"), frame)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_failing_write_keeps_the_old_file(tmp_path, monkeypatch, error):
    target = tmp_path / "keep.txt"
    atomic_write_text(target, "old content\n")

    def fail(fd):
        raise error

    monkeypatch.setattr(sim_io.os, "fsync", fail)
    with pytest.raises(type(error)):
        atomic_write_text(target, "new content that never lands\n")
    assert target.read_text() == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_failing_csv_serialisation_keeps_the_old_file(tmp_path):
    target = tmp_path / "t.csv"
    atomic_write_text(target, "old\n")

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise ValueError("cannot serialise")

    with pytest.raises(ValueError, match="cannot serialise"):
        atomic_write_csv(target, Broken({"a": [1]}))
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_atomic_write_keeps_permissions_of_an_existing_file(tmp_path):
    target = tmp_path / "p.txt"
    target.write_text("x")
    target.chmod(0o640)
    atomic_write_text(target, "y")
    assert target.stat().st_mode & 0o777 == 0o640
    atomic_write_text(tmp_path / "new.txt", "z")
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644


def test_run_shows_progress_on_a_terminal(in_tmp, fake_model, monkeypatch, capsys):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["run", "baseline", "--years", "1", "--out", "o"]) == 0
    assert fake_model.instances[0].steps == 52
    assert "week" in capsys.readouterr().err
