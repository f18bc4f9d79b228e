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
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from sim.core.io import InputError, excerpt, read_input_text
from sim.core.scenario import NAME_PATTERN
from sim.runs.folders import COMMANDS, FolderError, made_by

MAX_TABLE_BYTES = 10_000_000
"""Largest manifest read, in bytes (a sweep's manifest is a few kilobytes)."""


class DiscoveryError(ValueError):
    """The folder or the request cannot be used; the message says why."""


def read_sweep(folder: Path) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Read a completed sweep: its samples, its parameters and its outcomes.

    Raises:
        DiscoveryError: the folder is not a completed ``cocreate sweep`` folder, or its
            ``manifest.json`` or ``samples.csv`` cannot be read or do not agree.
    """
    folder = Path(folder)
    samples_path, manifest_path = folder / "samples.csv", folder / "manifest.json"
    try:
        owner = made_by(folder)
    except FolderError as exc:
        raise DiscoveryError(f"{exc}; expected the folder of a completed cocreate sweep") from None
    if owner != "sweep":
        what = f"made by cocreate {owner}" if owner in COMMANDS else "no cocreate sweep in it"
        raise DiscoveryError(
            f"{folder}: not a completed sweep ({what}); expected the folder of cocreate sweep"
        )
    if not samples_path.is_file() or not manifest_path.is_file():
        raise DiscoveryError(
            f"{folder}: not a completed sweep (samples.csv and manifest.json are missing); "
            "run the same cocreate sweep again to finish it"
        )
    try:
        manifest = json.loads(read_input_text(manifest_path, MAX_TABLE_BYTES))
        parameters = [str(p) for p in manifest["experiment"]["parameters"]]
        declared = manifest["experiment"].get("outcomes")
    except InputError as exc:
        raise DiscoveryError(f"{manifest_path}: {exc}") from None
    except (ValueError, KeyError, TypeError):
        raise DiscoveryError(
            f"{manifest_path}: not the manifest of a cocreate sweep "
            "(expected experiment.parameters)"
        ) from None
    try:
        samples = pd.read_csv(samples_path)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        reason = excerpt(str(exc).strip().splitlines()[0] if str(exc).strip() else "empty", 80)
        raise DiscoveryError(f"{samples_path}: cannot be read as CSV ({reason})") from None
    outcomes = (
        [str(o) for o in declared]
        if isinstance(declared, list)
        else [str(c) for c in samples.columns if c not in parameters]
    )
    missing = [c for c in parameters if c not in samples.columns]
    if missing:
        raise DiscoveryError(
            f"{samples_path}: has no column {', '.join(excerpt(m) for m in missing[:3])}; "
            "expected a column for every parameter of its manifest"
        )
    return samples, parameters, [o for o in outcomes if o in samples.columns]


def _numbers(samples: pd.DataFrame, columns: list[str], path: Path) -> pd.DataFrame:
    """The columns as finite numbers, or a :class:`DiscoveryError` naming the first that is not."""
    numbers = samples[columns].apply(pd.to_numeric, errors="coerce")
    for column in columns:
        if not np.isfinite(numbers[column].to_numpy(dtype=float)).all():
            raise DiscoveryError(
                f"{path}: column {excerpt(column)} holds values that are not finite numbers"
            )
    if len(numbers) < 2:
        raise DiscoveryError(f"{path}: has {len(numbers)} row(s); PRIM needs at least 2")
    return numbers


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

    Raises:
        DiscoveryError: the folder is not a completed sweep, its files cannot be read,
            or the outcome, threshold or number of boxes is not allowed.
    """
    samples, parameters, outcomes = read_sweep(folder)
    if outcome not in outcomes or not re.fullmatch(NAME_PATTERN, outcome):
        raise DiscoveryError(
            f"--outcome: '{excerpt(outcome)}' is not in {folder}; allowed: {', '.join(outcomes)}"
        )
    if not math.isfinite(threshold):
        raise DiscoveryError(f"--threshold: {threshold} is not allowed; allowed a finite number")
    if boxes < 1:
        raise DiscoveryError(f"--boxes: {boxes} is out of range; allowed 1 or more")
    samples = _numbers(samples, [*parameters, outcome], Path(folder) / "samples.csv")
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
