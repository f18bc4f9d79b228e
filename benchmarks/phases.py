"""Time per phase of the week, on 1 and on 2 numba threads, measured in one run.

Where a week's time goes, and which parts gain least from a second thread: the serial
remainders that bound ``benchmarks/threads.py``'s ``thread_scaling``. Each phase's
compiled kernel is timed as it runs in the model's own schedule, and the week's data
collection (census and reporters) as one more part. One model of the borough (by default
100,000 citizens in the Wigan-sized borough's 25 wards) steps ``--skip`` weeks untimed,
then ``--weeks`` weeks on each thread count, the counts taking turns week by week (1, 2,
2, 1, ...) as in ``benchmarks/threads.py``, so that the host's drift on a shared machine
slows both alike. ``--rounds R`` repeats that R times and adds the rounds up.

    python benchmarks/phases.py [--scenario wigan_deal] [--citizens 100000] [--weeks 52]
                                [--skip 4] [--threads 2] [--rounds 1]

Last line: ``step_scaling: <x>`` (a week on 1 thread / a week on ``--threads``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

# isort: off
# Importing threads.py starts numba with as many threads as --threads asks for (it reads
# this script's command line), so it comes before numba is imported.
from threads import borough, thread_count_error, too_small, turn

import numba

from sim import CoCreationModel, phases
from sim.core.scenario import Scenario

# isort: on

COLLECTION = "collection"
PARTS = (*(phase.mechanism for phase in phases.SCHEDULE), COLLECTION)


def _timed(seconds: dict[str, float], part: str, kernel: Callable[..., Any]) -> Callable:
    def run(*args: Any) -> Any:
        start = time.perf_counter()
        tally = kernel(*args)
        seconds[part] += time.perf_counter() - start
        return tally

    return run


class TimedModel(CoCreationModel):
    """The model with each phase of its schedule, and its data collection, timed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.seconds = dict.fromkeys(PARTS, 0.0)
        super().__init__(*args, **kwargs)

    def _functions(self, ctx: phases.Context) -> list[Any]:
        kernels = super()._functions(ctx)
        return [
            _timed(self.seconds, phase.mechanism, kernel)
            for phase, kernel in zip(phases.SCHEDULE, kernels, strict=True)
        ]

    def _collect(self, tallies: phases.Tallies) -> None:
        start = time.perf_counter()
        super()._collect(tallies)
        self.seconds[COLLECTION] += time.perf_counter() - start


def per_week(scenario: Scenario, skip: int, weeks: int, seed: int, threads: int) -> dict:
    """Milliseconds a week of each part on 1 and on ``threads`` numba threads, each count
    stepping ``weeks`` weeks of one run in turns (1, ``threads``, ``threads``, 1, ...)."""
    model = TimedModel(scenario, rng=seed)
    model.run_for(skip)
    taken = {count: dict.fromkeys(PARTS, 0.0) for count in (1, threads)}
    for week in range(2 * weeks):
        count = turn(week, threads)
        numba.set_num_threads(count)
        model.seconds.update(dict.fromkeys(PARTS, 0.0))  # the timed kernels hold this dict
        model.step()
        for part, seconds in model.seconds.items():
            taken[count][part] += seconds
    return {
        count: {part: seconds / weeks * 1e3 for part, seconds in parts.items()}
        for count, parts in taken.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="wigan_deal")
    parser.add_argument("--citizens", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--skip", type=int, default=4, help="weeks stepped before timing")
    parser.add_argument("--threads", type=int, default=2, help="the count compared with 1")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    error = thread_count_error(args.threads) or too_small(
        citizens=(args.citizens, 1),
        weeks=(args.weeks, 1),
        skip=(args.skip, 0),
        rounds=(args.rounds, 1),
    )
    if error:
        print(f"phases: {error}", file=sys.stderr)
        return 2
    scenario = borough(args.scenario, args.citizens)
    per_week(scenario.with_overrides({"citizens": 500}), 1, 1, args.seed, args.threads)
    rounds = [
        per_week(scenario, args.skip, args.weeks, args.seed, args.threads)
        for _ in range(args.rounds)
    ]
    one, many = (
        {part: sum(found[count][part] for found in rounds) / args.rounds for part in PARTS}
        for count in (1, args.threads)
    )
    print(
        f"scenario: {args.scenario}, citizens: {args.citizens}, weeks {args.skip + 1}-"
        f"{args.skip + 2 * args.weeks} in turns, rounds: {args.rounds}, threading layer: "
        f"{numba.threading_layer()}"
    )
    print(f"{'part':16s} {'1 thread':>10s} {f'{args.threads} threads':>10s} {'scaling':>8s}")
    for part in sorted(PARTS, key=lambda name: -one[name]):
        scaling = one[part] / many[part] if many[part] > 0.0 else float("nan")
        print(f"{part:16s} {one[part]:8.2f}ms {many[part]:8.2f}ms {scaling:8.2f}")
    total_one, total_many = sum(one.values()), sum(many.values())
    print(f"{'week':16s} {total_one:8.2f}ms {total_many:8.2f}ms")
    print(f"step_scaling: {total_one / total_many:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
