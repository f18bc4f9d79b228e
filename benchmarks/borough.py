"""Time a Wigan-sized borough (330k citizens, 25 wards) for 10 years of weekly steps.

The first numba compile is excluded (a warm-up run on a tiny population loads or
builds the cache first); model construction is included. Single-threaded.

    python benchmarks/borough.py [--scenario wigan_deal] [--years 10]

Last line: ``borough_10y_seconds: <s>``.
"""

from __future__ import annotations

import argparse
import os
import time

# One core. No kernel runs a parallel loop yet (no prange), so this states what is
# measured rather than changing it.
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

from sim import CoCreationModel
from sim.core.scenario import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="wigan_deal")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    borough = load_scenario("municipality_borough")
    scenario = load_scenario(args.scenario).with_overrides(
        {
            "citizens": borough.municipality["citizens"],
            "neighbourhoods": borough.municipality["neighbourhoods"],
            "segregation": borough.uncertainties["segregation"],
        }
    )
    warm = CoCreationModel(scenario.with_overrides({"citizens": 500}), rng=args.seed)
    warm.run_for(2)

    weeks = 52 * args.years
    start = time.perf_counter()
    model = CoCreationModel(scenario, rng=args.seed)
    built = time.perf_counter()
    model.run_for(weeks)
    done = time.perf_counter()
    n = model.n_citizens
    print(f"scenario: {args.scenario}, citizens: {n}, weeks: {weeks}")
    print(f"construction_seconds: {built - start:.2f}")
    print(f"stepping_seconds: {done - built:.2f} ({(done - built) / weeks * 1e3:.1f} ms/week)")
    print(f"agent_steps_per_second: {n * weeks / (done - built):,.0f}")
    print(f"borough_{args.years}y_seconds: {done - start:.2f}")


if __name__ == "__main__":
    main()
