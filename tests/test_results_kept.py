"""Nothing lost (issue 13): results keyed by what they are, folders that say which command
made them, output checked before the first run, and stored runs that can be read back.

Each test failed before its fix: two scenarios with one name overwrote each other's runs,
a scenario listed twice was counted twice, ``compare --out`` wrote over a ``run`` folder
and the reverse, a bad ``--out`` or seed raised a traceback (``run`` after the whole
simulation), a corrupt stored run raised on resume, and the resume check listed the
store once per job.
"""

from __future__ import annotations

import json
import os
import sys
import time
import types
from pathlib import Path

import pandas as pd
import pytest
from test_cli_validate import FakeModel

from sim.cli import main
from sim.core.scenario import load_scenario
from sim.runs.compare import compare
from sim.runs.folders import MARKER, made_by
from sim.runs.store import RunStore, run_jobs

TINY = "extends: {base}\nyears: 1\nmunicipality: {{citizens: 200, neighbourhoods: 2}}\n"


def _scenario(folder: Path, file: str, base: str = "baseline", name: str | None = None) -> str:
    path = folder / file
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TINY.format(base=base) + (f"name: {name}\n" if name else "")
    path.write_text(text)
    return str(path)


def _compare(*args: str) -> int:
    return main(["compare", *args, "--workers", "1", "-q"])


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its modification time and bytes."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> type[FakeModel]:
    """A stand-in for the model, for ``cocreate run`` (see tests/test_cli_validate.py)."""
    module = types.ModuleType("sim.model")
    module.CoCreationModel = FakeModel
    monkeypatch.setitem(sys.modules, "sim.model", module)
    FakeModel.instances = []
    FakeModel.interrupt_after = None
    return FakeModel


# ----------------------------------------------------------- keyed by what they are


def test_two_scenarios_with_one_name_are_refused_naming_both(tmp_path: Path, capsys) -> None:
    first = _scenario(tmp_path, "deal/wigan.yaml", "wigan_deal")
    edited = _scenario(tmp_path, "copy/wigan.yaml", "baseline")  # one stem, edited
    out = tmp_path / "cmp"
    assert _compare(first, edited, "--out", str(out)) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "two different scenarios are named 'wigan'" in line
    assert first in line and edited in line
    assert not out.exists()


def test_a_scenario_listed_twice_is_run_once(tmp_path: Path, capsys) -> None:
    a = _scenario(tmp_path, "a.yaml")
    out = tmp_path / "cmp"
    assert _compare(a, a, "--replicates", "2", "--out", str(out)) == 0
    assert "a: listed 2 times; run once" in capsys.readouterr().err
    summary = pd.read_csv(out / "summary.csv")
    assert (summary.n == 2).all()  # two seeds, not four runs
    runs = pd.read_csv(out / "runs.csv")
    assert list(runs.scenario) == ["a", "a"] and list(runs.seed) == [0, 1]
    assert len(os.listdir(out / "runs")) == 2


def test_runs_are_stored_by_content_and_seed_with_their_names(tmp_path: Path) -> None:
    a = load_scenario(_scenario(tmp_path, "a.yaml"))
    same = load_scenario(_scenario(tmp_path, "same_as_a.yaml"))  # another name, same content
    out = tmp_path / "cmp"
    compare([a, same], out, seeds=[0, 1])
    stored = sorted(os.listdir(out / "runs"))
    assert len(stored) == 2  # one run per seed, shared by both names
    assert not any(name.startswith(("a__", "same_as_a__")) for name in stored)
    row = pd.read_parquet(out / "runs" / stored[0])
    assert {"scenario", "seed"} <= set(row.columns)  # the name is kept in the file
    runs = pd.read_csv(out / "runs.csv")
    assert list(runs.scenario) == ["a", "a", "same_as_a", "same_as_a"]
    pairs = runs.set_index(["scenario", "seed"]).drop(columns=[])
    pd.testing.assert_series_equal(
        pairs.loc["a"].final_trust, pairs.loc["same_as_a"].final_trust, check_names=False
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["scenarios"]) == {"a", "same_as_a"}


# ------------------------------------------------------- folders know their command


def test_compare_refuses_a_run_folder_and_touches_nothing(
    tmp_path: Path, fake_model, capsys
) -> None:
    folder = tmp_path / "wigan"
    assert main(["run", "baseline", "--years", "1", "--out", str(folder), "-q"]) == 0
    assert made_by(folder) == "run"
    before = _snapshot(folder)
    capsys.readouterr()
    assert _compare(_scenario(tmp_path, "a.yaml"), "--out", str(folder)) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "made by cocreate run" in line and "nothing in it was touched" in line
    assert _snapshot(folder) == before


def test_run_and_sweep_refuse_a_compare_folder_and_touch_nothing(
    tmp_path: Path, fake_model, capsys
) -> None:
    folder = tmp_path / "cmp"
    folder.mkdir()
    (folder / MARKER).write_text('{"command": "compare"}\n')
    (folder / "runs.csv").write_text("scenario,seed\n")
    before = _snapshot(folder)
    assert main(["run", "baseline", "--years", "1", "--out", str(folder), "-q"]) == 2
    assert fake_model.instances == []  # refused before the model was built
    exp = tmp_path / "exp.yaml"
    exp.write_text(
        "method: morris\nparameters: {outreach: null, recognition: null}\nN: 2\nyears: 1\n"
        "citizens: 200\noutcomes: [final_trust]\n"
    )
    assert main(["sweep", str(exp), "--out", str(folder), "--workers", "1"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("made by cocreate compare" in line for line in err)
    assert _snapshot(folder) == before


def test_a_folder_from_before_markers_is_recognised(tmp_path: Path, fake_model, capsys) -> None:
    old_run = tmp_path / "old"
    old_run.mkdir()
    (old_run / "manifest.json").write_text('{"scenario": {}, "seed": 0, "engine": "numba"}\n')
    before = _snapshot(old_run)
    assert _compare(_scenario(tmp_path, "a.yaml"), "--out", str(old_run)) == 2
    assert "made by cocreate run" in capsys.readouterr().err
    assert _snapshot(old_run) == before
    assert main(["run", "baseline", "--years", "1", "--out", str(old_run), "-q"]) == 0


def test_a_folder_of_other_files_is_refused(tmp_path: Path, fake_model, capsys) -> None:
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "timeseries.xlsx").write_bytes(b"precious")
    assert main(["run", "baseline", "--years", "1", "--out", str(mine), "-q"]) == 2
    assert "holds files cocreate did not write (timeseries.xlsx)" in capsys.readouterr().err
    assert sorted(os.listdir(mine)) == ["timeseries.xlsx"]


def test_report_refuses_a_folder_of_another_command(tmp_path: Path, fake_model, capsys) -> None:
    run_folder = tmp_path / "run"
    assert main(["run", "baseline", "--years", "1", "--out", str(run_folder), "-q"]) == 0
    before = _snapshot(run_folder)
    capsys.readouterr()
    assert main(["report", str(run_folder), "--out", str(run_folder), "-q"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "made by cocreate run" in line
    assert _snapshot(run_folder) == before


# ------------------------------------------------- output and seeds, before the first run


@pytest.mark.parametrize("where", ["a_file", "a_file/below"])
def test_an_out_that_is_a_file_is_refused_before_running(
    tmp_path: Path, fake_model, capsys, where
) -> None:
    (tmp_path / "a_file").write_text("keep me\n")
    out = str(tmp_path / where)
    assert main(["run", "baseline", "--years", "1", "--out", out, "-q"]) == 2
    assert fake_model.instances == []
    assert _compare(_scenario(tmp_path, "a.yaml"), "--out", out) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert [line.split(": ", 1)[0] for line in err.splitlines()] == ["--out", "--out"]
    assert (tmp_path / "a_file").read_text() == "keep me\n"


def test_an_out_that_cannot_be_written_is_refused_before_running(
    tmp_path: Path, fake_model, capsys, monkeypatch
) -> None:
    import tempfile

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)  # a read-only disk, as root
    out = tmp_path / "out"
    assert main(["run", "baseline", "--years", "1", "--out", str(out), "-q"]) == 2
    assert fake_model.instances == []
    (line,) = capsys.readouterr().err.splitlines()
    assert (
        line
        == f"--out: {out}: cannot be written (Permission denied); use a folder you can write to"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "baseline", "--seed", str(2**64)], "--seed: 18446744073709551616 is out of range"),
        (["run", "baseline", "--seed", "-1"], "--seed: -1 is out of range"),
        (["compare", "baseline", "--seed", str(2**64)], "--seed: 18446744073709551616 is out of"),
        (
            ["compare", "baseline", "--seed", str(2**64 - 1), "--replicates", "2"],
            "--seed: 18446744073709551615 with 2 replicates reaches seed 18446744073709551616",
        ),
        (["compare", "baseline", "--replicates", str(10**12)], "--replicates: 1000000000000 is"),
    ],
)
def test_seeds_and_replicates_out_of_range_are_one_line(
    tmp_path: Path, fake_model, capsys, args, message
) -> None:
    out = tmp_path / "out"
    assert main([*args, "--out", str(out)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(message)
    assert not out.exists()


# ------------------------------------------------------------ stored runs, read back


@pytest.mark.parametrize("damage", ["truncated", "series_missing"])
def test_a_corrupt_stored_run_is_moved_aside_reported_and_run_again(
    tmp_path: Path, capsys, damage
) -> None:
    a = _scenario(tmp_path, "a.yaml")
    args = [a, "--replicates", "2"]
    clean, damaged = tmp_path / "clean", tmp_path / "damaged"
    compare([load_scenario(a)], clean, seeds=[0, 1])
    compare([load_scenario(a)], damaged, seeds=[0, 1])
    victim = sorted((damaged / "runs").glob("*.parquet"))[0]
    if damage == "truncated":
        victim.write_bytes(victim.read_bytes()[:40])
    else:
        (damaged / "series" / victim.name).unlink()
    capsys.readouterr()
    assert _compare(*args, "--out", str(damaged)) == 0
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{victim}: cannot be read (")
    assert line.endswith(f"moved aside to {victim.name}.corrupt and run again")
    assert (victim.parent / f"{victim.name}.corrupt").exists()
    for name in ("runs.csv", "summary.csv", "timeseries.csv"):
        assert (damaged / name).read_bytes() == (clean / name).read_bytes(), name


def test_resume_planning_lists_the_store_once_for_5000_stored_runs(
    tmp_path: Path, monkeypatch
) -> None:
    store = RunStore(tmp_path, {"name": "many"})
    runs = tmp_path / "runs"
    for k in range(5000):
        (runs / f"{k:020x}__seed0.parquet").touch()  # the shape of a stored run
    jobs = [(f"{k:020x}__seed0", k) for k in range(5010)]
    listings = []
    for name in ("listdir", "scandir"):
        real = getattr(os, name)

        def counting(path=".", _real=real, _name=name):
            listings.append((_name, str(path)))
            return _real(path)

        monkeypatch.setattr(os, name, counting)
    done_now: list[int] = []
    sizes: list[int] = []
    started = time.perf_counter()
    assert (
        run_jobs(
            lambda k: done_now.append(k) or ({"y": k}, None),
            jobs,
            store,
            1,
            lambda d, t: sizes.append(t),
        )
        == 10
    )
    planning = time.perf_counter() - started
    assert done_now == list(range(5000, 5010))
    assert sizes[0] == 10
    assert len([p for _, p in listings if p == str(runs)]) == 1, listings[:5]
    assert planning < 1.0, f"{planning:.2f} s"


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ("not json", "store.json: cannot be read, so what the folder holds is unknown"),
        ('{"digest": "abc", "name": "compare"}', "stored by another version of cocreate"),
    ],
)
def test_a_store_that_cannot_be_trusted_is_refused_in_one_line(
    tmp_path: Path, capsys, held, expected
) -> None:
    folder = tmp_path / "cmp"
    folder.mkdir()
    (folder / MARKER).write_text('{"command": "compare"}\n')
    (folder / "store.json").write_text(held)
    before = _snapshot(folder)
    assert _compare(_scenario(tmp_path, "a.yaml"), "--out", str(folder)) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert expected in line
    assert _snapshot(folder) == before


def test_a_disk_that_fills_up_mid_run_is_one_line(tmp_path: Path, fake_model, capsys, monkeypatch):
    import errno

    from sim.runs import dictionary as run_module

    def full(path, frame, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(run_module, "atomic_write_csv", full)
    out = tmp_path / "out"
    assert main(["run", "baseline", "--years", "1", "--out", str(out), "-q"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"cocreate: {out / 'timeseries.csv'}: No space left on device")
