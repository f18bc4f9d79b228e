"""Run one scenario and write its tables: the library side of ``cocreate run``.

:func:`run` builds the model, steps it through the scenario's weeks and writes, to its
output folder:

* ``timeseries.csv``: the model reporters, one row per week, ``step`` first;
* ``neighbourhoods.csv``: the reporters per neighbourhood and week;
* ``quintiles.csv``: the reporters per resource quintile and week;
* ``outcomes.json``: the scalar outcomes, each with its unit, meaning and range;
* ``manifest.json``: the scenario, seed, engine, run length, timing and
  :func:`sim.core.io.provenance`, listing the files.

The tables start at week 0, the start, and each has its data dictionary beside it
(``NAME.columns.json``: every column's unit, meaning and range;
:mod:`sim.runs.dictionary`). Every file is written atomically (:mod:`sim.core.io`).
A stale manifest is removed before the tables are written and the new one is written
last, so a manifest in the folder always vouches for a complete set of tables from one
run.

The folder is checked before the model is built (:func:`sim.runs.folders.check_folder`):
a folder another command made, or one that cannot be written, is refused then, not
after the whole run; the folder records that ``run`` made it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.io import atomic_write_json, provenance
from sim.core.params import DEFAULT_ENGINE, DEFAULT_SEED
from sim.core.scenario import Scenario
from sim.runs.dictionary import write_table
from sim.runs.folders import check_folder, mark_folder
from sim.runs.outcomes import outcomes, outcomes_document

__all__ = ["RUN_FILES", "RunResult", "run", "table_for_csv", "timeseries_for_csv"]

RUN_FILES: tuple[str, ...] = ("timeseries.csv", "neighbourhoods.csv", "quintiles.csv")
"""The tables :func:`run` writes, listed in its manifest (``files``)."""


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` wrote: the tables as written, the manifest and where.

    Attributes:
        scenario: the scenario that ran.
        out: the output folder.
        timeseries: ``timeseries.csv``, one row per week with ``step`` first.
        neighbourhoods: ``neighbourhoods.csv``.
        quintiles: ``quintiles.csv``.
        manifest: ``manifest.json``.
        seconds: time spent building and running the model, in seconds (unrounded).
        outcomes: the scalar outcomes (``outcomes.json``).
    """

    scenario: Scenario
    out: Path
    timeseries: pd.DataFrame
    neighbourhoods: pd.DataFrame
    quintiles: pd.DataFrame
    manifest: dict[str, Any]
    seconds: float
    outcomes: dict[str, float]


def table_for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn a meaningful index (named or multi-level) into columns."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
        return frame
    return frame.reset_index()


def timeseries_for_csv(frame: pd.DataFrame, steps_done: int | None) -> pd.DataFrame:
    """Put a ``step`` column first.

    Taken from a ``step`` column or index level if the model has one; otherwise derived
    from the number of steps run: as many rows as steps means one collection after each
    step (steps 1..n), one more row means an extra collection at the start (0..n).
    """
    frame = frame.copy()
    if "step" not in frame.columns:
        if frame.index.name == "step" or (
            isinstance(frame.index, pd.MultiIndex) and "step" in frame.index.names
        ):
            frame = frame.reset_index()
        else:
            if steps_done is not None and len(frame) == steps_done:
                steps = np.arange(1, steps_done + 1)
            elif steps_done is not None and len(frame) == steps_done + 1:
                steps = np.arange(0, steps_done + 1)
            else:
                steps = frame.index.to_numpy()
            frame.insert(0, "step", steps)
            frame = frame.reset_index(drop=True)
    return frame[["step", *[c for c in frame.columns if c != "step"]]]


def _step(model: Any, weeks: int, progress: Callable[[int, int], None] | None) -> None:
    """Run ``weeks`` weeks; with ``progress``, week by week, reporting (done, total)."""
    if progress is None:
        model.run_for(weeks)
        return
    progress(0, weeks)
    for week in range(weeks):
        model.run_for(1)
        progress(week + 1, weeks)


def run(
    scenario: Scenario,
    out: Path,
    *,
    seed: int = DEFAULT_SEED,
    engine: str = DEFAULT_ENGINE,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Run ``scenario`` for its weeks on ``seed`` and write its tables and manifest.

    Args:
        scenario: the scenario, with any overrides (such as ``years``) already applied.
        out: output folder; created if missing. Files of an earlier run are replaced.
        seed: random seed of the model.
        engine: step engine, one of :data:`sim.core.params.ENGINES`.
        progress: called with (weeks done, weeks) before the first week and after each
            one; without it the model runs all its weeks in one call.

    Returns:
        The tables and manifest as written (:class:`RunResult`).

    Raises:
        sim.runs.folders.FolderError: ``out`` is another command's folder, holds files
            cocreate did not write, or cannot be written (found before the run).
    """
    from sim.model import CoCreationModel  # at call time, so that a stand-in can be used

    out = Path(out)
    check_folder(out, "run")
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    model = CoCreationModel(scenario, rng=seed, engine=engine)
    _step(model, scenario.weeks, progress)
    elapsed = time.perf_counter() - t0

    ts = timeseries_for_csv(
        model.datacollector.get_model_vars_dataframe(),
        getattr(model, "week", getattr(model, "steps", None)),
    )
    result_outcomes = outcomes(ts, model.n_citizens)
    hoods = table_for_csv(model.neighbourhood_table())
    quint = table_for_csv(model.quintile_table())
    manifest = {
        "scenario": scenario.to_dict(),
        "scenario_file": str(scenario.path) if scenario.path else None,
        "seed": seed,
        "engine": engine,
        "years": scenario.years,
        "weeks": scenario.weeks,
        **provenance(),
        "run_seconds": round(elapsed, 3),
        "started_utc": started.isoformat(timespec="seconds"),
        "files": [*RUN_FILES, "outcomes.json"],
    }
    # A stale manifest would vouch for a mix of old and new tables: remove it first and
    # write it last, so its presence means the set is complete.
    mark_folder(out, "run")
    with contextlib.suppress(FileNotFoundError):
        (out / "manifest.json").unlink()
    for name, table in zip(RUN_FILES, (ts, hoods, quint), strict=True):
        write_table(out / name, table)
    atomic_write_json(
        out / "outcomes.json",
        {"scenario": scenario.name, "seed": seed, **outcomes_document(result_outcomes)},
    )
    atomic_write_json(out / "manifest.json", manifest)
    return RunResult(scenario, out, ts, hoods, quint, manifest, elapsed, result_outcomes)
