"""benchmarks/borough.py finds the start commit of issue 15, or says in one line that it
cannot and times this checkout only; threads.py takes turns between thread counts within one
run and checks that they agree; threads.py and phases.py refuse bad input in one line,
and phases.py times every part of the week."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import load_script

from sim.phases import SCHEDULE

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


def _bench(script: str, *options: str) -> subprocess.CompletedProcess:
    """Run ``benchmarks/<script>`` with numba started on 2 threads."""
    env = {**os.environ, "NUMBA_NUM_THREADS": "2"}
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _refused(done: subprocess.CompletedProcess, *named: str) -> None:
    """Bad input: exit 2 and one line on stderr naming each of ``named``, no traceback."""
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and all(word in lines[0] for word in named), lines
    assert "Traceback" not in done.stderr


def test_threads_refuses_a_count_numba_did_not_start_with() -> None:
    """benchmarks/threads.py: bad input is exit 2 and one line naming the option: a
    thread count numba did not start with, no rounds, no years."""
    for bad in ("8", "1"):
        _refused(_bench("threads.py", "--threads", bad), "--threads", "from 2 to the 2")
    for options, named in ((("--rounds", "0"), "--rounds 0"), (("--years", "0"), "--years 0")):
        _refused(_bench("threads.py", *options), named)


def test_threads_takes_turns_within_one_run_and_checks_the_results() -> None:
    """benchmarks/threads.py: the thread counts step alternate pairs of weeks of one run,
    each count timed on its own weeks, and the reporters are those of a run on the other
    count throughout."""
    done = _bench("threads.py", "--citizens", "2000", "--years", "1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    timed = {}  # each count's weeks and agent-steps a second (printed to the unit)
    for line in lines:
        if line.startswith("threads_"):
            count, rest = line.split(":", 1)
            weeks = int(rest.split(" s for ")[1].split()[0])
            rate = float(rest.split(", ")[1].split()[0].replace(",", ""))
            timed[count] = (weeks, rate)
    assert set(timed) == {"threads_1", "threads_2"}
    assert {weeks for weeks, _ in timed.values()} == {26}  # every other pair of 52 weeks
    assert "same_results_at_every_thread_count: True" in lines
    name, ratio = lines[-1].split()
    wanted = timed["threads_2"][1] / timed["threads_1"][1]  # as many weeks on each count
    assert name == "thread_scaling:" and float(ratio) == pytest.approx(wanted, abs=0.006)


def test_phases_times_every_part_of_the_week_on_one_and_two_threads() -> None:
    """benchmarks/phases.py: a row for every phase and the collection, then the ratio."""
    done = _bench("phases.py", "--citizens", "2000", "--weeks", "3", "--skip", "1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()

    def ms(cell: str) -> float:
        return float(cell.removesuffix("ms"))

    rows = {line.split()[0]: [ms(cell) for cell in line.split()[1:3]] for line in lines[2:-2]}
    assert set(rows) == {phase.mechanism for phase in SCHEDULE} | {"collection"}
    week = lines[-2].split()
    assert week[0] == "week"
    one, two = ms(week[1]), ms(week[2])
    assert one > 0.0 and two > 0.0
    assert one == pytest.approx(sum(row[0] for row in rows.values()), abs=0.01 * len(rows))
    assert two == pytest.approx(sum(row[1] for row in rows.values()), abs=0.01 * len(rows))
    name, ratio = lines[-1].split()
    assert name == "step_scaling:" and float(ratio) == pytest.approx(one / two, abs=0.02)


def test_phases_bad_input_is_exit_2_and_one_line() -> None:
    """benchmarks/phases.py: a thread count numba did not start with, or no weeks."""
    for options, named in ((("--threads", "8"), "--threads"), (("--weeks", "0"), "--weeks")):
        _refused(_bench("phases.py", *options), named)
