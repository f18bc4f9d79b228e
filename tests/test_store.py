"""Results that survive: runs stored as they finish, resumed after SIGINT or SIGKILL,
failures recorded, and a changed experiment refused."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.runs.store import RunStore, StoreMismatch, run_jobs


def _scenario(tmp_path: Path, name: str, extends: str, citizens: int = 1500) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\nextends: {extends}\nmunicipality:\n  citizens: {citizens}\n")
    return str(path)


def _square(x: int) -> tuple[dict, None]:
    if x == 3:
        raise ValueError("three is not welcome")
    return {"y": x * x}, None


def test_failed_run_is_recorded_and_the_others_finish(tmp_path: Path) -> None:
    store = RunStore(tmp_path, {"name": "squares"})
    jobs = [(f"k{x}", x) for x in range(5)]
    assert run_jobs(_square, jobs, store) == 5
    assert sorted(store.done()) == ["k0", "k1", "k2", "k4"]
    (failure,) = store.failures()
    assert failure["key"] == "k3" and "three is not welcome" in failure["error"]
    # started again, only the failed run is tried again
    calls = []

    def fixed(x: int) -> tuple[dict, None]:
        calls.append(x)
        return {"y": x * x}, None

    assert run_jobs(fixed, jobs, RunStore(tmp_path, {"name": "squares"})) == 1
    assert calls == [3]
    assert store.failures() == []
    assert list(store.outcomes().sort_values("key").y) == [0, 1, 4, 9, 16]


def test_a_changed_experiment_is_refused(tmp_path: Path, capsys) -> None:
    RunStore(tmp_path, {"name": "a", "n": 1})
    with pytest.raises(StoreMismatch, match="holds results of a different experiment"):
        RunStore(tmp_path, {"name": "a", "n": 2})
    a = _scenario(tmp_path, "a_base", "baseline", 300)
    b = _scenario(tmp_path, "b_wigan", "wigan_deal", 300)
    out = tmp_path / "cmp"
    assert main(["compare", a, "--years", "1", "--out", str(out), "-q", "--workers", "1"]) == 0
    before = (out / "runs.csv").read_bytes()
    assert main(["compare", a, b, "--years", "1", "--out", str(out), "-q"]) == 2
    assert "holds results of a different experiment" in capsys.readouterr().err
    assert (out / "runs.csv").read_bytes() == before  # nothing already written is lost


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupted_then_resumed(tmp_path: Path, sig: int) -> None:
    a = _scenario(tmp_path, "a_base", "baseline")
    b = _scenario(tmp_path, "b_wigan", "wigan_deal")
    args = ["compare", a, b, "--replicates", "4", "--years", "2", "--workers", "1", "-q"]
    clean, resumed = tmp_path / "clean", tmp_path / "resumed"
    assert main([*args, "--out", str(clean)]) == 0

    command = [sys.executable, "-m", "sim.cli", *args, "--out", str(resumed)]
    # A shell that starts the tests in the background (nohup ... &) leaves SIGINT
    # ignored, and a child inherits that; give the child the default disposition so
    # that Python turns SIGINT into KeyboardInterrupt, as for a user at a terminal.
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    deadline = time.monotonic() + 120
    while len(list((resumed / "runs").glob("*.parquet"))) < 2:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the comparison did not start"
        time.sleep(0.05)
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    stored = len(list((resumed / "runs").glob("*.parquet")))
    assert 2 <= stored < 8, stored
    assert not list(resumed.rglob("*.tmp")) or sig == signal.SIGKILL

    assert main([*args, "--out", str(resumed)]) == 0
    runs = pd.read_csv(resumed / "runs.csv")
    assert len(runs) == 8 and not runs.duplicated(["scenario", "seed"]).any()
    for name in ("runs.csv", "summary.csv", "timeseries.csv"):
        assert (resumed / name).read_bytes() == (clean / name).read_bytes(), name


def test_sigint_then_resume_gives_the_uninterrupted_result(tmp_path: Path) -> None:
    _interrupted_then_resumed(tmp_path, signal.SIGINT)


def test_sigkill_then_resume_gives_the_uninterrupted_result(tmp_path: Path) -> None:
    _interrupted_then_resumed(tmp_path, signal.SIGKILL)


def _worker_pids(parent: int) -> list[int]:
    """Pids of the pool workers spawned by ``parent`` (not its resource tracker)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and "spawn_main" in cmdline and "resource_tracker" not in cmdline:
            pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
def test_a_killed_worker_is_reported_and_the_comparison_resumes(tmp_path: Path) -> None:
    a = _scenario(tmp_path, "a_base", "baseline")
    args = ["compare", a, "--replicates", "6", "--years", "2", "-q"]
    clean, resumed = tmp_path / "clean", tmp_path / "resumed"
    assert main([*args, "--workers", "1", "--out", str(clean)]) == 0

    command = [sys.executable, "-m", "sim.cli", *args, "--workers", "2", "--out", str(resumed)]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((resumed / "runs").glob("*.parquet")) or len(_worker_pids(proc.pid)) < 2:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.05)
    os.kill(_worker_pids(proc.pid)[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:  # the last run finished before the kill landed
        pytest.skip("the comparison finished before the worker was killed")
    assert proc.returncode == 1
    assert "a worker process died" in err and "run the same command again" in err
    assert "Traceback" not in err

    assert main([*args, "--workers", "2", "--out", str(resumed)]) == 0
    for name in ("runs.csv", "summary.csv", "timeseries.csv"):
        assert (resumed / name).read_bytes() == (clean / name).read_bytes(), name


def _children() -> dict[int, list[int]]:
    """{parent pid: [child pids]} of every live (not zombie) process, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
def test_workers_die_with_a_killed_compare(tmp_path: Path) -> None:
    """Issue 13: after SIGKILL of compare, its workers and the resource tracker lived on."""
    a = _scenario(tmp_path, "a_base", "baseline")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sim.cli", "compare", a, "--replicates", "8"]
    command += ["--years", "5", "--workers", "2", "-q", "--out", str(out)]
    proc = subprocess.Popen(command, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    try:
        # Killed while both workers run (a worker takes a job once it is set up); a worker
        # killed while still importing ends as soon as its set-up finds its parent gone.
        while len(_worker_pids(proc.pid)) < 2 or len(list(out.glob("runs/*.parquet"))) < 2:
            if proc.poll() is not None:
                pytest.skip("the comparison ended before it could be killed")
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.05)
        family = _descendants(proc.pid)  # the workers and the resource tracker
        assert len(family) >= 2
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        killed = time.monotonic()
        while time.monotonic() - killed < 10 and any(_alive(p) for p in family):
            time.sleep(0.1)
        survivors = [p for p in family if _alive(p)]
        assert not survivors, f"{len(survivors)} of {len(family)} children outlived compare by 10 s"
    finally:
        for pid in _descendants(proc.pid) | (family if "family" in locals() else set()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
