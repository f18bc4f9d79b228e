"""benchmarks/borough.py finds the start commit of issue 15, or says in one line that it
cannot and times this checkout only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import load_script

ROOT = Path(__file__).resolve().parent.parent
BOROUGH = ROOT / "benchmarks" / "borough.py"


def _borough():
    return load_script(BOROUGH, "borough_bench")


def test_the_start_commit_is_exported_with_what_a_run_needs(tmp_path: Path, monkeypatch) -> None:
    borough = _borough()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tree, full = borough.start_tree(borough.START_COMMIT)
    if tree is None:
        pytest.skip(f"no start commit here: {full}")
    assert full.startswith(borough.START_COMMIT) and len(full) == 40
    assert tree.parent == tmp_path / "cocreate"
    for name in borough.EXPORTED:
        assert (tree / name).exists(), name
    assert (tree / "scenarios" / "municipality_borough.yaml").is_file()
    again, _ = borough.start_tree(borough.START_COMMIT)  # kept: exported once
    assert again == tree


def test_a_commit_that_is_not_there_is_a_reason_not_a_traceback(monkeypatch) -> None:
    borough = _borough()
    tree, why = borough.start_tree("0" * 40)
    assert tree is None and "is not in" in why
    monkeypatch.setattr(borough.shutil, "which", lambda name: None)
    tree, why = borough.start_tree(borough.START_COMMIT)
    assert tree is None and why == "git is not installed"


def test_without_git_it_times_this_checkout_only_and_exits_2(tmp_path: Path) -> None:
    no_git = tmp_path / "bin"
    no_git.mkdir()
    env = {**os.environ, "PATH": str(no_git)}
    done = subprocess.run(
        [sys.executable, str(BOROUGH), "--citizens", "500", "--years", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("start commit ") and "git is not installed" in lines[0]
    assert lines[-1].startswith("borough_1y_seconds: ")
    assert "Traceback" not in done.stderr


def test_threads_refuses_a_count_numba_did_not_start_with() -> None:
    """benchmarks/threads.py: bad input is exit 2 and one line naming the option."""
    env = {**os.environ, "NUMBA_NUM_THREADS": "2"}
    for bad in ("8", "1"):
        done = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "threads.py"), "--threads", bad],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "--threads" in lines[0] and "from 2 to the 2" in lines[0]
        assert "Traceback" not in done.stderr
