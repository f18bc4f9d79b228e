"""Calibrate the default parameters to published figures, and report what the model gives.

England's targets, which the defaults are calibrated to (see docs/calibration.md for each
figure and its source):

* civic core: ~31% of adults supply ~87-90% of volunteer hours (Mohan & Bulloch 2012);
* formal volunteering: ~22% at least monthly, ~36% at least yearly (Community Life
  Survey 2018/19);
* volunteer turnover: ~0.30-0.36 of volunteers stop within a year (CNCS 2006-09);
* trust in local government: 34% answer 6-10 of 0-10 in the United Kingdom (OECD Trust
  Survey, 2024 results).

Norway's targets, which the Norwegian context (``scenarios/municipality_norway.yaml``) is
calibrated to, moving only the context it sets (:data:`FREE_NORWAY`): volunteering in
the last 12 months, about 52% (Statistics Norway), and trust in local government, 51%
(OECD). The English figures stand in where a Norwegian one is missing.

The model runs the baseline strategy (classical bureaucracy) on the small-town preset (or
the Norwegian context on the small town's size), so that a search is affordable; the
figures are per capita, and ``measure --preset borough`` (or ``stange``, ``asker``)
re-measures the chosen values on another place. After a burn-in the last year is
measured. Trust, monthly and yearly volunteering go through the survey observation model:
surveys count occasions and answers on a 0-10 scale, the model gives expected hours and
trust in [0, 1]. The search is Nelder-Mead (scipy) on a scaled squared error, averaged over
seeds with common random numbers; seeds run in parallel processes.

    python experiments/calibrate.py search  [--evals 80] [--seeds 2] [--burn-in 10]
                                            [--country england|norway] [--citizens N]
    python experiments/calibrate.py measure [--seeds 10] [--preset small_town|borough|norway|
                                            stange|asker] [--burn-in 10] [--session-hours 2]

``--burn-in`` is in years. Besides the figures, the search fits the baseline's drift
(in mean trust and in the share of adults volunteering, from the first year to the
measured one) to zero, so that the defaults describe a status quo at rest.

The targets, the observation model and the measurement of one run are in
:mod:`sim.runs.calibration`; this script is the search and the report.

``search`` prints the best parameter values (to copy into sim/core/params.py, or for
Norway into scenarios/municipality_norway.yaml, with the achieved figures); ``measure``
reports mean and spread of the figures under the current defaults, as a markdown table
for docs/calibration.md.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from functools import partial

import numpy as np
from scipy.optimize import minimize

from sim.runs.calibration import (
    BURN_IN_YEARS,
    CHECKS,
    COUNTRIES,
    PRESETS,
    SESSION_HOURS,
    STAND_INS,
    STEADY,
    loss,
    measure,
)
from sim.runs.store import WorkerPool

FREE: dict[str, tuple[float, float]] = {
    # parameter: (low, high) searched
    "tie_ask_rate": (0.005, 0.3),
    "acceptance_base": (-4.0, 2.0),
    "volunteer_exit_base": (0.0001, 0.03),
    "hours_per_member": (0.2, 4.0),
    "initial_trust": (0.2, 0.8),
    "trust_disposition": (0.05, 0.8),
    "trust_gain": (0.1, 1.5),
    "load_concentration": (0.0, 3.0),
    "initial_volunteer_share": (0.05, 0.5),
}
"""Parameters the search moves for England's calibration (the defaults), within these bounds."""

FREE_NORWAY: dict[str, tuple[float, float]] = {
    "initial_trust": (0.2, 0.8),
    "trust_disposition": (0.05, 0.95),
    "citizens_per_arena": (100.0, 250.0),
    "initial_volunteer_share": (0.05, 0.5),
}
"""Parameters the search moves for Norway's: only the context ``municipality_norway`` sets
(the trust disposition and the start at rest, and the density of associations: Norway's
volunteering is fitted through more arenas per citizen, since a greater willingness to
accept an ask, ``acceptance_base``, barely moves it: the arenas' need for hands binds);
every behavioural parameter keeps England's calibration."""

FREE_BY_COUNTRY = {"england": FREE, "norway": FREE_NORWAY}

NORWEGIAN_PLACES = ("norway", "stange", "asker")
"""Places of :data:`sim.runs.calibration.PRESETS` in the Norwegian context."""


def _pool(seeds: int) -> WorkerPool:
    """Worker processes for the seeds of one measurement (at most one per core).

    The pool ``cocreate compare`` and ``sweep`` use (:class:`sim.runs.store.WorkerPool`):
    started once, numba on one thread in each, so that the workers do not oversubscribe
    the cores once the kernels run parallel loops.
    """
    return WorkerPool(min(seeds, os.cpu_count() or 1))


def search(
    evals: int,
    seeds: int,
    burn_in: int = BURN_IN_YEARS,
    country: str = "england",
    citizens: int | None = None,
) -> dict[str, float]:
    """Nelder-Mead over a country's free parameters in a unit box; the best values found.

    It starts from the values the country's preset runs with (the defaults, for England).
    ``citizens`` runs the search on a smaller population (the figures are per capita), to
    be checked with ``measure`` at the preset's own size.
    """
    from sim.core.catalogue import PRESET_PREFIX, in_context
    from sim.core.scenario import load_scenario

    free = FREE_BY_COUNTRY[country]
    preset = COUNTRIES[country][0]
    here = in_context(load_scenario("baseline"), preset).flat_params()
    names = list(free)
    lo = np.array([free[k][0] for k in names])
    hi = np.array([free[k][1] for k in names])
    place = preset.removeprefix(PRESET_PREFIX)

    def unpack(x: np.ndarray) -> dict[str, float]:
        return dict(zip(names, (lo + np.clip(x, 0.0, 1.0) * (hi - lo)).tolist(), strict=True))

    def objective(x: np.ndarray) -> float:
        params = unpack(x)
        size = {} if citizens is None else {"citizens": citizens}
        run = partial(measure, {**params, **size}, preset=place, burn_in=burn_in)
        figures = list(pool.executor.map(run, range(seeds)))
        mean = {k: float(np.mean([f[k] for f in figures])) for k in figures[0]}
        value = loss(mean, country)
        print(f"loss {value:8.3f}  " + "  ".join(f"{k}={v:.4g}" for k, v in params.items()))
        return value

    start = np.array([(here[k] - free[k][0]) / (hi - lo)[i] for i, k in enumerate(names)])
    x0 = np.clip(start, 0.05, 0.95)
    simplex = np.vstack([x0, x0 + 0.15 * np.eye(len(names)) * np.where(x0 > 0.5, -1, 1)])
    with _pool(seeds) as pool:  # one set of workers for the whole search
        result = minimize(
            objective,
            x0,
            method="Nelder-Mead",
            options={"maxfev": evals, "xatol": 1e-3, "fatol": 1e-3, "initial_simplex": simplex},
        )
    return unpack(result.x)


def report(
    seeds: int, preset: str, burn_in: int = BURN_IN_YEARS, session_hours: float = SESSION_HOURS
) -> str:
    """Mean and spread of every figure over ``seeds`` seeds under the current defaults.

    A Norwegian place is compared with Norway's targets, the others with England's.
    """
    country = "norway" if preset in NORWEGIAN_PLACES else "england"
    run = partial(measure, {}, preset=preset, burn_in=burn_in, session_hours=session_hours)
    with _pool(seeds) as pool:
        figures = list(pool.executor.map(run, range(seeds)))
    lines = [
        f"Measured on the `{preset}` preset under `baseline`, after a {burn_in}-year "
        f"burn-in, over the following year; {seeds} seeds; occasions of {session_hours:g} h.",
        "",
        "| figure | target | model mean | model sd | source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key in figures[0]:
        values = np.array([f[key] for f in figures])
        if key in STEADY:
            target, source = 0.0, "at rest: fitted to zero"
        else:
            known = {**(STAND_INS if country == "norway" else {}), **COUNTRIES[country][1]}
            target, _, source = known.get(key, (float("nan"), 0.0, "(reported, not fitted)"))
            if key in CHECKS[country]:
                target, reference = CHECKS[country][key]
                source = f"{reference} (a check, not fitted)"
        shown = "-" if np.isnan(target) else f"{target:.2f}"
        lines.append(
            f"| {key} | {shown} | {values.mean():.3f} | {values.std(ddof=1):.3f} | {source} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("search")
    s.add_argument("--evals", type=int, default=80)
    s.add_argument("--seeds", type=int, default=2)
    s.add_argument("--country", choices=tuple(COUNTRIES), default="england")
    s.add_argument("--citizens", type=int, default=None, help="search on this population")
    m = sub.add_parser("measure")
    m.add_argument("--seeds", type=int, default=10)
    m.add_argument("--preset", choices=PRESETS, default="small_town")
    for command in (s, m):
        command.add_argument("--burn-in", type=int, default=BURN_IN_YEARS, help="years")
    m.add_argument("--session-hours", type=float, default=SESSION_HOURS, help="hours")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.command == "search":
        best = search(args.evals, args.seeds, args.burn_in, args.country, args.citizens)
        print(json.dumps(best, indent=2))
    else:
        print(report(args.seeds, args.preset, args.burn_in, args.session_hours))
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
