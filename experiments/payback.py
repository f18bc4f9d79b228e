"""Where the Wigan Deal pays back: scenario discovery over what its money depends on.

Pattern 7 (the J-curve, ``tests/patterns/test_j_curve.py``) asks the Wigan Deal to cost
more than austerity at first (the same cuts, no deal) and to pay back within ten years.
Since its side work became staff time and its different conversations take time to embed
(eighth session) it does so at the defaults, narrowly on some seeds. This script asks where
in the plausible ranges of the uncertain costs and savings it does and where it does not:

1. It samples the named parameters over their plausible ranges (registry
   :attr:`sim.core.params.Param.plausible`) on a Latin hypercube (``scipy.stats.qmc``,
   seeded, so the same call gives the same samples).
2. Under each sample it runs ``wigan_deal`` and ``austerity`` on the same seeds (common
   random numbers), both with the sample's values. These runs are real runs: the money
   lines feed back through the political leaders' review, which may pull the investment
   back (:func:`sim.phases.leadership.political_review`).
3. It reads the Deal's money against austerity's, week by week (:func:`money`), and marks
   where it pays back within the run: the extra cost peaks and then falls below zero.
4. It finds, with PRIM (Friedman & Fisher 1999, the EMA Workbench's
   ``ema_workbench.analysis.prim``), the box of the parameter space where it pays back,
   with the box's coverage and density.

    python experiments/payback.py [--samples 32] [--seeds 1] [--seed 0] [--years 10]
        [--citizens 3000]
        [--params support_cost,coordination_share,acute_cost_factor,prevention_effect,
                  assessment_embedding]
        [--workers 2] [--out results/payback]

It writes ``samples.csv`` (one row a sample and seed: the values and the money),
``box.md`` (PRIM's box, or a line saying that no sample or every sample paid back) and
``manifest.json`` (the call, the ranges sampled and where the code came from) under
``--out``, each atomically. Bad input exits with 2 and one line naming the option.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.core.io import atomic_write_csv, atomic_write_json, atomic_write_text, provenance
from sim.core.params import WEEKS_PER_YEAR, checked_bounds
from sim.runs.store import WorkerPool

DEAL = "wigan_deal"
COUNTERFACTUAL = "austerity"  # the status quo under the Deal's cuts (pattern 7's)

PARAMS = (
    "support_cost",
    "coordination_share",
    "acute_cost_factor",
    "prevention_effect",
    "assessment_embedding",
)
"""What the Deal's money depends on and the sources leave open: the two programme costs
that are assumptions (volunteer support, coordination across silos, both staff time), the
two savings (acute care bought for unmet need; prevention) and how long the different
conversations take to embed."""

SAMPLE_SEED = 20261202
"""Seed of the Latin hypercube (fixed, so a call is repeatable)."""

PRIM_DENSITY = 0.8
"""The box read off PRIM's peeling trajectory is the one with the most coverage among those
where at least this share of the samples in it pay back."""


def money(deal: np.ndarray, base: np.ndarray) -> dict[str, float]:
    """The Deal's money against the counterfactual, from their weekly net costs (GBP).

    Returns the extra cost of the first year and of the whole run, the last year's mean
    weekly extra cost, the week the cumulative extra cost peaks, and the first week after
    the peak at which it is below zero (NaN if it never is): the J's payback.
    """
    weekly = np.asarray(deal, dtype=float) - np.asarray(base, dtype=float)
    cumulative = np.cumsum(weekly)
    peak = int(np.argmax(cumulative))
    below = np.flatnonzero(cumulative[peak:] < 0.0)
    return {
        "extra_first_year": float(cumulative[min(WEEKS_PER_YEAR, len(weekly)) - 1]),
        "extra_total": float(cumulative[-1]),
        "last_year_weekly": float(weekly[-WEEKS_PER_YEAR:].mean()),
        "peak_week": float(peak),
        "payback_week": float(peak + below[0]) if below.size else float("nan"),
    }


def pays_back(row: dict[str, float] | pd.Series) -> bool:
    """Pattern 7's reading: dearer in the first year, cheaper in the last, and in all."""
    return bool(
        row["extra_first_year"] > 0.0 and row["last_year_weekly"] < 0.0 and row["extra_total"] < 0.0
    )


def pair(sample: dict[str, float], seed: int, years: int, citizens: int) -> dict[str, Any]:
    """One sample on one seed: the Deal and austerity run, and their money compared.

    The model is imported here, in the worker, not when the script starts: a spawned
    worker imports this script first, and numba must not be imported before the worker
    has set its thread count (:func:`sim.runs.store._init_worker`).
    """
    from sim.runs.outcomes import run_scenario

    params = {**sample, "citizens": citizens}
    runs = [
        run_scenario(name, params=params, rng=seed, years=years)["timeseries"]
        for name in (DEAL, COUNTERFACTUAL)
    ]
    deal, base = runs
    row: dict[str, Any] = {**sample, "seed": seed, **money(deal.net_cost, base.net_cost)}
    row["pays_back"] = pays_back(row)
    row["deal_pullbacks"] = int(deal.pullbacks.iloc[-1])
    return row


def samples(bounds: dict[str, tuple[float, float]], n: int) -> list[dict[str, float]]:
    """``n`` points of a Latin hypercube over ``bounds`` (seeded: :data:`SAMPLE_SEED`)."""
    unit = qmc.LatinHypercube(d=len(bounds), seed=SAMPLE_SEED).random(n)
    low = np.array([b[0] for b in bounds.values()])
    high = np.array([b[1] for b in bounds.values()])
    points = qmc.scale(unit, low, high)
    return [dict(zip(bounds, map(float, point), strict=True)) for point in points]


def box(table: pd.DataFrame, names: list[str]) -> str:
    """PRIM's box (markdown) where the Deal pays back, over the means of the seeds."""
    import warnings

    with warnings.catch_warnings():  # its optional cluster back end is not used here
        warnings.simplefilter("ignore", UserWarning)
        from ema_workbench.analysis import prim

    means = table.groupby(names, sort=False).mean(numeric_only=True).reset_index()
    y = means.apply(pays_back, axis=1).to_numpy(dtype=bool)
    share = float(y.mean())
    head = f"{int(y.sum())} of {len(y)} samples pay back within the run ({share:.0%})."
    if y.all() or not y.any():
        return head + " PRIM needs both outcomes; no box is drawn.\n"
    found = prim.Prim(means[names], y).find_box()
    trajectory = found.peeling_trajectory
    dense = trajectory.index[trajectory["density"] >= PRIM_DENSITY]
    chosen = (
        int(trajectory.loc[dense, "coverage"].idxmax())
        if len(dense)
        else int(trajectory["density"].idxmax())
    )
    stats = trajectory.loc[chosen]
    limits = found.box_lims[chosen]
    lines = [
        head,
        "",
        f"PRIM box (the widest on the peeling trajectory with density >= {PRIM_DENSITY}, "
        f"or the densest): coverage {stats['coverage']:.2f}, density {stats['density']:.2f}, "
        f"{round(stats['mass'] * len(y))} samples.",
        "",
        "| parameter | box low | box high | sampled low | sampled high |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in names:
        lines.append(
            f"| {name} | {limits[name].iloc[0]:.4g} | {limits[name].iloc[1]:.4g} "
            f"| {means[name].min():.4g} | {means[name].max():.4g} |"
        )
    return "\n".join(lines) + "\n"


def _at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``, or one line saying so."""

    def whole(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"{text} is not allowed; allowed: a whole number >= {minimum}"
            )
        return value

    return whole


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    positive = _at_least(1)
    parser.add_argument("--samples", type=positive, default=32)
    parser.add_argument("--seeds", type=positive, default=1, help="how many seeds")
    parser.add_argument("--seed", type=_at_least(0), default=0, help="the first seed")
    parser.add_argument("--years", type=positive, default=10)
    parser.add_argument("--citizens", type=positive, default=3000)
    parser.add_argument("--params", default=",".join(PARAMS))
    parser.add_argument("--workers", type=positive, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=Path("results/payback"))
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.params.split(",") if name.strip()]
    try:
        bounds = checked_bounds(names, "--params")
    except ValueError as error:
        print(f"payback.py: {error}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    seeds = list(range(args.seed, args.seed + args.seeds))
    jobs = [(s, seed) for s in samples(bounds, args.samples) for seed in seeds]
    run = partial(pair, years=args.years, citizens=args.citizens)
    rows = []
    with WorkerPool(min(args.workers, len(jobs))) as pool:
        for done, row in enumerate(pool.executor.map(run, *zip(*jobs, strict=True)), start=1):
            rows.append(row)
            print(
                f"[{done}/{len(jobs)}] "
                + " ".join(f"{k}={row[k]:.3g}" for k in names)
                + f" seed={row['seed']} extra={row['extra_total'] / 1e6:.3f}m "
                f"payback_week={row['payback_week']:g}",
                flush=True,
            )
    table = pd.DataFrame(rows)
    atomic_write_csv(args.out / "samples.csv", table)
    summary = box(table, names)
    atomic_write_text(args.out / "box.md", summary)
    atomic_write_json(
        args.out / "manifest.json",
        {
            "deal": DEAL,
            "counterfactual": COUNTERFACTUAL,
            "bounds": {name: list(span) for name, span in bounds.items()},
            "samples": args.samples,
            "sample_seed": SAMPLE_SEED,
            "seeds": seeds,
            "years": args.years,
            "citizens": args.citizens,
            **provenance(),
        },
    )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
