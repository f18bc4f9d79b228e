"""Sweep throughput (runs per second) on 1 and 2 workers, and the parallel efficiency.

Both measurements run the same jobs (the small-town preset under ``wigan_deal``, on
different seeds) through the results store and worker pool that ``cocreate compare``
and ``cocreate sweep`` use, in one run of this script. The numba cache is warmed first.

    python benchmarks/sweep.py [--runs 24] [--years 2]

Last line: ``parallel_efficiency: <x>`` (throughput on 2 workers / (2 x on 1)). Each
worker pays about a second to import numba and load the cache, so short sweeps are
less efficient than long ones.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sim.core.scenario import load_scenario
from sim.runs.compare import _compare_job
from sim.runs.store import RunStore, run_jobs
from sim.runs.warmup import warm


def throughput(runs: int, years: int, workers: int) -> float:
    scenario = load_scenario("wigan_deal")
    jobs = [(f"s{seed}", (scenario, seed, years)) for seed in range(runs)]
    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(Path(folder), {"name": f"bench-{workers}"})
        start = time.perf_counter()
        run_jobs(_compare_job, jobs, store, workers)
        return runs / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=24)
    parser.add_argument("--years", type=int, default=2)
    args = parser.parse_args()
    warm()
    one = throughput(args.runs, args.years, 1)
    two = throughput(args.runs, args.years, 2)
    print(f"runs: {args.runs} x small town, {args.years} years")
    print(f"runs_per_second_1_worker: {one:.3f}")
    print(f"runs_per_second_2_workers: {two:.3f}")
    print(f"parallel_efficiency: {two / (2 * one):.2f}")


if __name__ == "__main__":
    main()
