"""Thread scaling of one large run: the borough stepped on 1 and on 2 numba threads.

The per-citizen loops run under ``numba.prange`` (:data:`sim.core.jit.jit_parallel`), so a
single large run (the borough, the dashboard) uses every core numba is given, with results
that are the same to the bit at any thread count (``tests/test_determinism.py``). This
builds the Wigan-sized borough (330,000 citizens, 25 wards) in this process and times its
weeks (construction excluded, the first compile excluded by a tiny warm-up run).

Speed on a shared 2-core machine drifts: for seconds at a time the host gives a core less
time, and two runs one after the other can differ by a quarter (measured here: a loop of
pure arithmetic scaled 1.2 to 1.9 on 2 threads from one run to the next). So the thread
counts take turns within one run: a single model steps its weeks on 1, 2, 2, 1, 1, 2, ...
threads (each pair in both orders, so a trend in the weeks' cost falls on both), and each
count's weeks are timed, data collection included. A drift then slows both counts alike.
A second model then steps the same weeks on ``--threads`` alone, and the two runs'
reporters are checked to agree to the last bit. ``--rounds R`` repeats the interleaved run
R times and reports the best round. Each count also reports its CPU seconds: on 2 threads
about twice the wall time when both cores were free.

    python benchmarks/threads.py [--scenario wigan_deal] [--years 2] [--citizens N]
                                 [--threads 2] [--rounds 1]

Last line: ``thread_scaling: <x>`` (seconds of the weeks on 1 thread / seconds of the
weeks on ``--threads``).
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


def turn(week: int, threads: int) -> int:
    """The thread count that steps ``week`` (from 0) when 1 and ``threads`` take turns:
    1, ``threads``, ``threads``, 1, ..., each pair in both orders, so that a trend in the
    weeks' cost falls on both counts."""
    return (1, threads, threads, 1)[week % 4]


def interleaved(
    scenario: Scenario, weeks: int, seed: int, threads: int
) -> tuple[dict[int, tuple[float, float, int]], str]:
    """Wall and CPU seconds of each thread count's weeks and their number, the counts
    taking turns in one run (1, ``threads``, ``threads``, 1, ...), and the run's reporters
    as CSV."""
    model = CoCreationModel(scenario, rng=seed)
    seconds = {1: [0.0, 0.0, 0], threads: [0.0, 0.0, 0]}
    for week in range(weeks):
        count = turn(week, threads)
        numba.set_num_threads(count)
        cpu = time.process_time()
        start = time.perf_counter()
        model.step()
        seconds[count][0] += time.perf_counter() - start
        seconds[count][1] += time.process_time() - cpu
        seconds[count][2] += 1
    csv = model.datacollector.get_model_vars_dataframe().to_csv()
    return {count: tuple(found) for count, found in seconds.items()}, csv


def reporters_on(scenario: Scenario, weeks: int, seed: int, threads: int) -> str:
    """The reporters of a run stepped on ``threads`` threads throughout, as CSV."""
    numba.set_num_threads(threads)
    model = CoCreationModel(scenario, rng=seed)
    model.run_for(weeks)
    return model.datacollector.get_model_vars_dataframe().to_csv()


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
    reporters_on(scenario.with_overrides({"citizens": 500}), 2, args.seed, args.threads)  # compile
    weeks = 52 * args.years
    rounds = [interleaved(scenario, weeks, args.seed, args.threads) for _ in range(args.rounds)]
    seconds = {  # every round's weeks added up: no round is picked for its luck
        count: tuple(sum(found[count][k] for found, _ in rounds) for k in range(3))
        for count in (1, args.threads)
    }
    same = {found for _, found in rounds} == {
        reporters_on(scenario, weeks, args.seed, args.threads)
    }
    n = scenario.municipality["citizens"]
    print(f"scenario: {args.scenario}, citizens: {n}, weeks: {weeks}, rounds: {args.rounds}")
    print(f"cores: {os.cpu_count()}, numba threading layer: {numba.threading_layer()}")
    for threads, (wall, cpu, stepped) in seconds.items():
        print(
            f"threads_{threads}: {wall:.2f} s for {stepped} weeks ({wall / stepped * 1e3:.1f} "
            f"ms/week, {n * stepped / wall:,.0f} agent-steps/s; CPU {cpu:.2f} s)"
        )
    print(f"same_results_at_every_thread_count: {same}")
    print(f"thread_scaling: {seconds[1][0] / seconds[args.threads][0]:.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
