"""Scenario discovery: under what conditions does a strategy fail?

Takes a completed sweep (``samples.csv``: one row per sample point with its parameter
values and outcomes) and uses PRIM (Friedman & Fisher 1999, as implemented in the EMA
Workbench, Kwakkel 2017) to find boxes in parameter space where an outcome crosses a
threshold: burnouts above a level, say, or trust falling below one. Each box is reported
with its limits, its coverage (the share of all failing runs inside it) and its density
(the share of runs inside it that fail), as planners use it to ask "under what
conditions does the Wigan Deal fail?" (Bryant & Lempert 2010).
"""

from __future__ import annotations

import json
import logging
import warnings
from pathlib import Path

import numpy as np
import pandas as pd


class DiscoveryError(ValueError):
    """The folder or the request cannot be used; the message says why."""


def discover(
    folder: Path,
    outcome: str,
    threshold: float,
    above: bool = True,
    boxes: int = 3,
    min_density: float = 0.8,
) -> pd.DataFrame:
    """Find up to ``boxes`` PRIM boxes where ``outcome`` is beyond ``threshold``.

    Args:
        folder: a completed ``cocreate sweep`` output folder.
        outcome: the outcome column that defines failure.
        threshold: the failure threshold.
        above: failure is ``outcome > threshold``; otherwise ``outcome < threshold``.
        boxes: most boxes to find (PRIM covers the remaining failures each time).
        min_density: on each box's peeling trajectory, take the point of largest
            coverage whose density is at least this.

    Returns:
        One row per (box, restricted parameter) with low, high, coverage, density, mass
        and the number of failing runs.
    """
    samples_path, manifest_path = folder / "samples.csv", folder / "manifest.json"
    if not samples_path.exists() or not manifest_path.exists():
        raise DiscoveryError(f"{folder}: not a completed sweep (samples.csv and manifest.json)")
    samples = pd.read_csv(samples_path)
    parameters = list(json.loads(manifest_path.read_text())["experiment"]["parameters"])
    outcomes = [c for c in samples.columns if c not in parameters]
    if outcome not in outcomes:
        raise DiscoveryError(
            f"--outcome: {outcome!r} is not in {folder}; allowed: {', '.join(outcomes)}"
        )
    failing = (samples[outcome] > threshold) if above else (samples[outcome] < threshold)
    if not failing.any() or failing.all():
        side = "above" if above else "below"
        raise DiscoveryError(
            f"--threshold: {failing.sum()} of {len(samples)} runs have {outcome} {side} "
            f"{threshold}; choose a threshold that splits the runs"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench warns about optional extras
        from ema_workbench.analysis import prim

    logging.getLogger("EMA").setLevel(logging.WARNING)
    x = samples[parameters].astype(float)
    finder = prim.Prim(x, failing.to_numpy(), peel_alpha=0.05, mass_min=0.05)
    rows = []
    for number in range(1, boxes + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box = finder.find_box()
        if box is None:
            break
        trajectory = box.peeling_trajectory
        dense = trajectory[trajectory.density >= min_density]
        choice = int(dense.coverage.idxmax()) if len(dense) else int(trajectory.density.idxmax())
        box.select(choice)
        limits = box.box_lim
        stats = trajectory.loc[choice]
        for name in parameters:
            low, high = float(limits.loc[0, name]), float(limits.loc[1, name])
            if np.isclose(low, x[name].min()) and np.isclose(high, x[name].max()):
                continue  # not restricted
            rows.append(
                {
                    "box": number,
                    "parameter": name,
                    "low": low,
                    "high": high,
                    "coverage": float(stats.coverage),
                    "density": float(stats.density),
                    "mass": float(stats.mass),
                    "failing_runs": int(failing.sum()),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["box", "parameter", "low", "high", "coverage", "density", "mass", "failing_runs"],
    )
