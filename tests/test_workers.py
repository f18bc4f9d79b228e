"""Local workers (issue 15): started once per sweep or comparison, numba on one thread in
each, the longest runs first, and the stored results the same whatever the number of
workers."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from sim.cli import main
from sim.runs.store import RunStore, WorkerPool, run_jobs


def _pid(x: int) -> tuple[dict, None]:
    import numba

    return {"x": x, "pid": os.getpid(), "threads": numba.get_num_threads()}, None


def test_a_pool_keeps_its_workers_and_runs_numba_on_one_thread_in_each(tmp_path: Path) -> None:
    with WorkerPool(2) as pool:
        started = pool.ready()
        pids = {pid for pid, _ in started}
        assert len(pids) == 2 and os.getpid() not in pids
        assert {threads for _, threads in started} == {1}
        for batch in ("a", "b"):  # two calls on one pool: the same two processes
            store = RunStore(tmp_path / batch, {"name": batch})
            assert run_jobs(_pid, [(f"k{x}", x) for x in range(6)], store, 2, pool=pool) == 6
            stored = store.outcomes()
            assert set(stored.pid) <= pids
            assert set(stored.threads) == {1}
            assert sorted(stored.x) == list(range(6))


def test_the_longest_runs_start_first(tmp_path: Path) -> None:
    order: list[int] = []

    def job(x: int) -> tuple[dict, None]:
        order.append(x)
        return {"x": x}, None

    store = RunStore(tmp_path, {"name": "order"})
    costs = {0: 1.0, 1: 5.0, 2: 1.0, 3: 9.0, 4: 5.0}
    run_jobs(job, [(f"k{x}", x) for x in costs], store, cost=costs.__getitem__)
    assert order == [3, 1, 4, 0, 2]  # equal costs keep the order they were given in


def _scenario(tmp_path: Path, name: str, extends: str, citizens: int) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\nextends: {extends}\nmunicipality:\n  citizens: {citizens}\n")
    return str(path)


def _tables(folder: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in names}


def _read_runs(folder: Path) -> pd.DataFrame:
    parts = [pd.read_parquet(p) for p in sorted((folder / "runs").glob("*.parquet"))]
    return pd.concat(parts, ignore_index=True)


def test_a_comparison_is_the_same_on_1_and_2_workers(tmp_path: Path) -> None:
    # Two sizes, so that the runs start in another order than they are listed in.
    small = _scenario(tmp_path, "small", "baseline", 300)
    large = _scenario(tmp_path, "large", "wigan_deal", 900)
    args = ["compare", small, large, "--replicates", "3", "--years", "1", "-q"]
    names = ("runs.csv", "summary.csv", "timeseries.csv", "comparison.csv")
    found = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        assert main([*args, "--workers", str(workers), "--out", str(out)]) == 0
        found[workers] = (_tables(out, names), _read_runs(out))
    assert found[1][0] == found[2][0]
    pd.testing.assert_frame_equal(found[1][1], found[2][1])


def test_a_sweep_is_the_same_on_1_and_2_workers(tmp_path: Path) -> None:
    exp = tmp_path / "sized.yaml"
    exp.write_text(
        "method: morris\nbase: wigan_deal\nparameters:\n  citizens: [200, 800]\n"
        "  trust_gain: [0.3, 0.9]\nN: 2\nreplicates: 1\nyears: 1\n"
        "outcomes: [burnouts_per_1000_per_year, final_trust]\n"
    )
    found = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        assert main(["sweep", str(exp), "--out", str(out), "--workers", str(workers)]) == 0
        found[workers] = (_tables(out, ("indices.csv", "samples.csv")), _read_runs(out))
    assert found[1][0] == found[2][0]
    pd.testing.assert_frame_equal(found[1][1], found[2][1])
