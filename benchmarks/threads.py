"""Thread scaling of one large run: the borough stepped on 1 and on 2 numba threads.

The per-citizen loops run under ``numba.prange`` (:data:`sim.core.jit.jit_parallel`), so a
single large run (the borough, the dashboard) uses every core numba is given, with results
that are the same to the bit at any thread count (``tests/test_determinism.py``). This
builds the Wigan-sized borough (330,000 citizens, 25 wards) once per thread count, in this
process, and times its weeks (construction excluded, the first compile excluded by a tiny
warm-up run); both thread counts step the same model from the same seed, and their
reporters are checked to agree to the last bit.

Speed on a shared 2-core machine is noisy: ``--rounds R`` times each thread count R times,
in turn, and compares the best of each. Each run also reports its CPU seconds: on 2
threads they are about twice the wall time when both cores were free.

    python benchmarks/threads.py [--scenario wigan_deal] [--years 2] [--citizens N]
                                 [--threads 2] [--rounds 1]

Last line: ``thread_scaling: <x>`` (seconds on 1 thread / seconds on ``--threads``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

# Start numba with as many threads as will be asked for; each run then sets its own count.
# (A --threads that is not a whole number is refused by argparse below.)
if "--threads" not in sys.argv[:-1]:
    os.environ.setdefault("NUMBA_NUM_THREADS", "2")
elif sys.argv[sys.argv.index("--threads") + 1].isdigit():
    os.environ.setdefault(
        "NUMBA_NUM_THREADS", str(max(1, int(sys.argv[sys.argv.index("--threads") + 1])))
    )

import numba

from sim import CoCreationModel
from sim.core.scenario import Scenario, load_scenario


def borough(name: str, citizens: int | None) -> Scenario:
    """``name`` run on the Wigan-sized borough (or a smaller one of ``citizens``)."""
    municipality = load_scenario("municipality_borough")
    return load_scenario(name).with_overrides(
        {
            "citizens": citizens or municipality.municipality["citizens"],
            "neighbourhoods": municipality.municipality["neighbourhoods"],
            "segregation": municipality.uncertainties["segregation"],
        }
    )


def thread_count_error(threads: int) -> str | None:
    """Why ``--threads`` cannot be compared with one thread, or None if it can."""
    if 2 <= threads <= numba.config.NUMBA_NUM_THREADS:
        return None
    return (
        f"--threads {threads} is not allowed: a count from 2 to the "
        f"{numba.config.NUMBA_NUM_THREADS} numba started with (NUMBA_NUM_THREADS)"
    )


def too_small(**counts: tuple[int, int]) -> str | None:
    """Which counting options are below their least value (``name=(value, least)``), in
    one line, or None if none is."""
    low = [f"--{name} {value}" for name, (value, least) in counts.items() if value < least]
    if not low:
        return None
    least = ", ".join(f"--{name} {least}" for name, (_, least) in counts.items())
    verb = "is" if len(low) == 1 else "are"
    return f"{' and '.join(low)} {verb} not allowed: the least values are {least}"


def timed(scenario: Scenario, weeks: int, seed: int, threads: int) -> tuple[float, float, str]:
    """Wall and CPU seconds to step ``weeks`` on ``threads`` numba threads, and the run's
    reporters as CSV (to check that the thread count changed nothing)."""
    numba.set_num_threads(threads)
    model = CoCreationModel(scenario, rng=seed)
    cpu = time.process_time()
    start = time.perf_counter()
    model.run_for(weeks)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return wall, cpu, model.datacollector.get_model_vars_dataframe().to_csv()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="wigan_deal")
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--citizens", type=int, default=None, help="default: the borough's")
    parser.add_argument("--threads", type=int, default=2, help="the count compared with 1")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    error = thread_count_error(args.threads) or too_small(
        years=(args.years, 1), citizens=(args.citizens or 1, 1), rounds=(args.rounds, 1)
    )
    if error:
        print(f"threads: {error}", file=sys.stderr)
        return 2
    scenario = borough(args.scenario, args.citizens)
    timed(scenario.with_overrides({"citizens": 500}), 2, args.seed, args.threads)  # compile
    weeks = 52 * args.years
    runs: dict[int, list[tuple[float, float, str]]] = {1: [], args.threads: []}
    for _ in range(args.rounds):
        for threads in runs:
            runs[threads].append(timed(scenario, weeks, args.seed, threads))
    best = {threads: min(found) for threads, found in runs.items()}
    same = len({csv for found in runs.values() for _, _, csv in found}) == 1
    n = scenario.municipality["citizens"]
    print(f"scenario: {args.scenario}, citizens: {n}, weeks: {weeks}, rounds: {args.rounds}")
    print(f"cores: {os.cpu_count()}, numba threading layer: {numba.threading_layer()}")
    for threads, (wall, cpu, _) in best.items():
        rate = n * weeks / wall
        print(
            f"threads_{threads}: {wall:.2f} s ({wall / weeks * 1e3:.1f} ms/week, "
            f"{rate:,.0f} agent-steps/s; CPU {cpu:.2f} s)"
        )
    print(f"same_results_at_every_thread_count: {same}")
    print(f"thread_scaling: {best[1][0] / best[args.threads][0]:.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
