"""Sweep throughput (runs per second) on 1 and 2 workers, and the parallel efficiency.

Both measurements run the same jobs (the small-town preset under ``wigan_deal``, on
different seeds) through the results store and worker pool that ``cocreate compare``
and ``cocreate sweep`` use (:func:`sim.runs.store.run_jobs`), in one run of this script.
The numba cache is warmed first.

    python benchmarks/sweep.py [--runs 24] [--years 2] [--workers 2] [--rounds 1]

One worker runs in this process, as ``--workers 1`` does, with its imports done. The
workers of a :class:`sim.runs.store.WorkerPool` start once and are kept for a whole sweep
or comparison, so their throughput is measured once they have started, like the one
worker's, and their start (spawn, imports) and stop are timed apart:

* ``worker_start_seconds`` and ``worker_stop_seconds``: paid once per sweep;
* ``parallel_efficiency_this_sweep``: counting them, for a sweep of ``--runs`` runs
  (a long sweep tends to the last line);
* last line, ``parallel_efficiency: <x>``: throughput on the started workers / (workers
  x throughput on 1). The machine's other load lowers it: ``--rounds R`` measures 1 and
  then 2 workers R times, in turn, and keeps the best of each.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

# The one worker in this process runs on one thread, as each pool worker does: the
# efficiency compares workers, each a core (set before numba is imported).
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

from sim.core.scenario import load_scenario
from sim.runs.compare import _compare_job
from sim.runs.store import RunStore, WorkerPool, run_jobs
from sim.runs.warmup import warm


def _jobs(runs: int, years: int) -> list[tuple[str, tuple]]:
    scenario = load_scenario("wigan_deal")
    return [(f"s{seed}", (scenario, seed, years)) for seed in range(runs)]


def seconds_in_process(runs: int, years: int) -> float:
    """Seconds to run the jobs one after the other in this process."""
    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(Path(folder), {"name": "bench-1"})
        start = time.perf_counter()
        run_jobs(_compare_job, _jobs(runs, years), store, 1)
        return time.perf_counter() - start


def seconds_on_pool(runs: int, years: int, workers: int) -> tuple[float, float, float, set[int]]:
    """Seconds to start a pool of ``workers``, to run the jobs on it, and to stop it, and
    the numba threads its workers have."""
    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(Path(folder), {"name": f"bench-{workers}"})
        start = time.perf_counter()
        pool = WorkerPool(workers)
        try:
            threads = {n for _, n in pool.ready()}
            started = time.perf_counter()
            run_jobs(_compare_job, _jobs(runs, years), store, workers, pool=pool)
            ran = time.perf_counter()
        finally:
            pool.close()
        return started - start, ran - started, time.perf_counter() - ran, threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=24)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    warm()
    alone, pooled = [], []
    for _ in range(args.rounds):
        alone.append(seconds_in_process(args.runs, args.years))
        pooled.append(seconds_on_pool(args.runs, args.years, args.workers))
    one = args.runs / min(alone)
    start, run, stop, threads = min(pooled, key=lambda p: p[1])
    many = args.runs / run
    this_sweep = args.runs / (start + run + stop)
    w = args.workers
    print(f"runs: {args.runs} x small town, {args.years} years")
    print(f"runs_per_second_1_worker: {one:.3f}")
    print(f"numba_threads_per_worker: {', '.join(map(str, sorted(threads)))}")
    print(f"worker_start_seconds: {start:.2f}")
    print(f"worker_stop_seconds: {stop:.2f}")
    print(f"runs_per_second_{w}_workers: {many:.3f}")
    print(f"parallel_efficiency_this_sweep: {this_sweep / (w * one):.2f}")
    print(f"parallel_efficiency: {many / (w * one):.2f}")


if __name__ == "__main__":
    main()
