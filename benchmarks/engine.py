"""Agent-steps per second of the numba and the reference engine, measured in one run.

Both engines run the same scenario on the same population from the same seed; the
numba engine is warmed up first so its compile is not counted. The per-step cost of
data collection, which both engines share, is included in both.

    python benchmarks/engine.py [--scenario wigan_deal] [--citizens 20000]

Last line: ``speedup: <ratio>x``.
"""

from __future__ import annotations

import argparse
import os
import time

# One thread: the speed-up per core. The per-citizen loops run under prange, and
# benchmarks/threads.py measures what a second core adds. Set before numba is imported.
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

from sim import CoCreationModel
from sim.core.scenario import load_scenario


def rate(scenario, engine: str, weeks: int, seed: int) -> float:
    """Agent-steps per second for ``weeks`` steps (construction excluded)."""
    model = CoCreationModel(scenario, rng=seed, engine=engine)
    start = time.perf_counter()
    model.run_for(weeks)
    elapsed = time.perf_counter() - start
    return model.n_citizens * weeks / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="wigan_deal")
    parser.add_argument("--citizens", type=int, default=20000)
    parser.add_argument("--weeks", type=int, default=5, help="weeks for the reference engine")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    scenario = load_scenario(args.scenario).with_overrides({"citizens": args.citizens})
    CoCreationModel(scenario, rng=args.seed).run_for(2)  # load or build the numba cache

    reference = rate(scenario, "reference", args.weeks, args.seed)
    fast = rate(scenario, "numba", args.weeks * 20, args.seed)
    print(f"scenario: {args.scenario}, citizens: {args.citizens}")
    print(f"reference_agent_steps_per_second: {reference:,.0f}")
    print(f"numba_agent_steps_per_second: {fast:,.0f}")
    print(f"speedup: {fast / reference:.0f}x")


if __name__ == "__main__":
    main()
