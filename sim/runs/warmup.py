"""Load or build the numba cache once, before parallel workers start.

Several processes compiling the same cached function at once can race, so test runs
and sweeps call this first: ``python -m sim.runs.warmup``.
"""

from __future__ import annotations

import time


def warm() -> float:
    """Run a tiny model through every kernel; return the seconds it took."""
    from sim.core.scenario import load_scenario
    from sim.model import CoCreationModel

    start = time.perf_counter()
    scenario = load_scenario("wigan_deal").with_overrides({"citizens": 200, "neighbourhoods": 2})
    CoCreationModel(scenario, rng=0).run_for(2)
    return time.perf_counter() - start


if __name__ == "__main__":
    print(f"numba kernels ready in {warm():.1f} s")
