"""Runs on a real dask.distributed scheduler and workers give the local results bit for bit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster():
    """A scheduler and two single-threaded workers, as real processes on loopback."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "NUMBA_NUM_THREADS": "1"}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--no-dashboard"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_worker",
                address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except OSError:
                assert time.monotonic() < deadline, "the scheduler did not start"
                time.sleep(0.5)
        yield address
    finally:
        for proc in [*workers, scheduler]:
            proc.terminate()
        for proc in [*workers, scheduler]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_compare_on_a_dask_cluster_equals_the_local_run(cluster: str, tmp_path: Path) -> None:
    scenarios = []
    for name, extends in (("a_base", "baseline"), ("b_wigan", "wigan_deal")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: {name}\nextends: {extends}\nmunicipality:\n  citizens: 500\n")
        scenarios.append(str(path))
    args = ["compare", *scenarios, "--replicates", "3", "--years", "1", "-q"]
    assert main([*args, "--workers", "1", "--out", str(tmp_path / "local")]) == 0
    assert main([*args, "--scheduler", cluster, "--out", str(tmp_path / "dask")]) == 0
    for name in ("runs.csv", "summary.csv", "timeseries.csv"):
        local = (tmp_path / "local" / name).read_bytes()
        assert (tmp_path / "dask" / name).read_bytes() == local, name


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, capsys) -> None:
    port = _free_port()
    code = main(["compare", "baseline", "--years", "1", "--scheduler", f"tcp://127.0.0.1:{port}",
                 "--out", str(tmp_path / "x"), "-q", "--citizens", "300"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert f"--scheduler: cannot reach tcp://127.0.0.1:{port}" in err
    assert "Traceback" not in err
