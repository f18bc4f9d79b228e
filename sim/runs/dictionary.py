"""Self-describing outputs: every table a command writes gets a data dictionary beside it.

:func:`write_table` writes ``NAME.csv`` and, next to it, ``NAME.columns.json``: one entry
per column with its ``name``, ``unit``, ``description`` and ``range`` (``[low, high]``,
``null`` for an open end), taken from the registries the model already keeps: the
reporters (:data:`sim.model.reporters.REPORTERS`), the outcomes
(:data:`sim.runs.outcomes.OUTCOMES`), the parameters (:data:`sim.core.params.PARAMS`)
and the labels and statistics below. A column no registry knows is an error, so that a
new column cannot be written undescribed (``tests/test_outputs.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim.core.io import atomic_write_csv, atomic_write_json
from sim.core.params import PARAM_BY_NAME, Measure
from sim.core.rng import SEED_MAX
from sim.model.reporters import GROUP_MEASURES, REPORTERS
from sim.runs.outcomes import OUTCOMES

__all__ = ["SUFFIX", "columns", "describe", "write_table"]

SUFFIX = ".columns.json"
"""A table's data dictionary is its file name with ``.csv`` replaced by this."""

_INDEX = (0.0, None)
_SHARE = (0.0, 1.0)

# fmt: off
_LABELS: tuple[Measure, ...] = (
    Measure("step", "weeks", *_INDEX,
            "week of the run: 0 is the start, before any week has run; week w is after w "
            "weekly steps"),
    Measure("scenario", "-", None, None, "the scenario's name"),
    Measure("seed", "-", 0.0, float(SEED_MAX), "the run's random seed"),
    Measure("neighbourhood", "index", *_INDEX, "the neighbourhood (ward), from 0"),
    Measure("quintile", "index", 0.0, 4.0, "the resource quintile, 0 the least resourced"),
    # summary.csv
    Measure("outcome", "-", None, None, "the outcome's name (the outcomes' dictionary in "
            "manifest.json and docs/odd.md)"),
    Measure("n", "runs", 1.0, None, "runs (seeds) behind the statistics"),
    Measure("mean", "the outcome's unit", None, None, "mean over the runs"),
    Measure("ci_low", "the outcome's unit", None, None,
            "lower end of the mean's 95% confidence interval (Student t)"),
    Measure("ci_high", "the outcome's unit", None, None,
            "upper end of the mean's 95% confidence interval (Student t)"),
    Measure("reference", "-", None, None,
            "the scenario the differences are taken from (the first compared)"),
    Measure("diff", "the outcome's unit", None, None,
            "mean paired difference from the reference, seed by seed (common random "
            "numbers)"),
    Measure("diff_ci_low", "the outcome's unit", None, None,
            "lower end of the difference's 95% confidence interval"),
    Measure("diff_ci_high", "the outcome's unit", None, None,
            "upper end of the difference's 95% confidence interval"),
    Measure("unit", "-", None, None, "the outcome's unit"),
    Measure("harm", "true/false", None, None, "whether the outcome is in the harm panel"),
    Measure("better", "-", None, None,
            "which way the outcome reads as a gain: higher, lower or neither"),
    # indices.csv (cocreate sweep)
    Measure("parameter", "-", None, None,
            "the parameter's name (two joined by ':' for a second-order index)"),
    Measure("index", "-", None, None,
            "the sensitivity index: S1, ST, S2 (Sobol') or mu_star, sigma, mu (Morris)"),
    Measure("value", "-", None, None, "the index's value"),
    Measure("conf", "-", None, None,
            "half-width of the index's 95% confidence interval (empty where SALib gives "
            "none)"),
    # discover_*.csv (cocreate discover)
    Measure("box", "index", 1.0, None, "the PRIM box, from 1"),
    Measure("low", "the parameter's unit", None, None, "the box's lower limit"),
    Measure("high", "the parameter's unit", None, None, "the box's upper limit"),
    Measure("coverage", "share of failing runs", *_SHARE,
            "share of all failing runs inside the box"),
    Measure("density", "share of runs", *_SHARE, "share of the runs in the box that fail"),
    Measure("mass", "share of runs", *_SHARE, "share of all runs inside the box"),
    Measure("failing_runs", "runs", *_INDEX, "runs that fail, in all"),
)
# fmt: on

LABELS: dict[str, Measure] = {m.name: m for m in _LABELS}
"""The columns that say which row is which, and the statistics' columns."""


def describe(name: str, table: str = "") -> dict[str, Any]:
    """The dictionary entry of one column: name, unit, description and range.

    Args:
        name: the column's name.
        table: the table's file stem (``neighbourhoods``, ``quintiles``...), for the
            columns whose meaning is per group.

    Raises:
        KeyError: no registry knows the column.
    """
    group = table in ("neighbourhoods", "quintiles")
    measure: Measure | None = None
    if group and name in GROUP_MEASURES:
        measure = GROUP_MEASURES[name]
    else:
        measure = LABELS.get(name) or OUTCOMES.get(name) or REPORTERS.get(name)
    if measure is not None:
        doc = measure.doc
        if group and name not in LABELS and name not in GROUP_MEASURES:
            doc = f"{doc} (in the {table[:-1]})"
        return {
            "name": name,
            "unit": measure.unit,
            "description": doc,
            "range": [measure.low, measure.high],
        }
    p = PARAM_BY_NAME.get(name)
    if p is not None:
        return {
            "name": name,
            "unit": p.unit,
            "description": f"the parameter {name}: {p.doc}",
            "range": [p.low, p.high],
        }
    raise KeyError(f"{table or 'table'}: column '{name}' is in no registry of cocreate")


def columns(frame: pd.DataFrame, table: str = "") -> list[dict[str, Any]]:
    """The data dictionary of a table: one :func:`describe` entry per column, in order."""
    return [describe(str(c), table) for c in frame.columns]


def write_table(
    path: str | os.PathLike[str], frame: pd.DataFrame, extra: Mapping[str, Any] | None = None
) -> Path:
    """Write ``frame`` as CSV and its data dictionary beside it (both atomically).

    Args:
        path: the CSV file.
        frame: the table.
        extra: more keys for the dictionary's document (what the table is, say).

    Returns:
        The dictionary's path, ``NAME.columns.json``.
    """
    path = Path(path)
    table = path.stem.split("_")[0] if path.stem.startswith("discover_") else path.stem
    document = {"table": path.name, **(extra or {}), "columns": columns(frame, table)}
    atomic_write_csv(path, frame)
    target = path.with_name(path.stem + SUFFIX)
    atomic_write_json(target, document)
    return target
