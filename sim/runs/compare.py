"""Compare strategies side by side on the same population and the same random draws.

Every scenario runs with the same seeds, so differences are paired and use common
random numbers (:mod:`sim.core.rng`). Writes ``runs.csv`` (one row per run),
``comparison.csv`` (mean per scenario), ``summary.csv`` (per scenario and outcome: the
mean with a 95% confidence interval, and the paired difference from the first scenario,
named in its ``reference`` column, as ``diff`` with its interval; the harm panel's
outcomes are flagged in its ``harm`` column),
``timeseries.csv`` (long format) and ``manifest.json`` (last).

Each run is stored under what it is, the scenario's content hash and the seed
(:meth:`sim.core.scenario.Scenario.content_hash`), with its name beside it. So two
scenarios with one name but different content are refused before anything runs
(:class:`ScenarioConflict`); a scenario listed twice (the same name and content) is run
once; two names for the same content share their runs, and each name gets its rows.

The quick-look figures ``cocreate compare`` adds to the folder (``comparison.png``,
``outcomes.png``) are drawn from these tables by :func:`sim.present.report.quick_looks`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.core.footprint import footprint
from sim.core.io import atomic_write_json, printable, provenance
from sim.core.params import DEFAULT_SEED, WEEKS_PER_YEAR
from sim.core.scenario import Scenario
from sim.runs.dictionary import write_table
from sim.runs.folders import claim_folder
from sim.runs.outcomes import HARM_PANEL, HIGHER_IS_BETTER, OUTCOMES, run_scenario
from sim.runs.store import RunStore, run_stored

LABELS: tuple[str, ...] = ("scenario", "seed")
"""The columns that say which run a row is: stored with each run, first in ``runs.csv``."""


class ScenarioConflict(ValueError):
    """Two different scenarios share a name; ``str()`` is one line naming both files."""


def _where(scenario: Scenario) -> str:
    return printable(str(scenario.path)) if scenario.path else "(given as data)"


def distinct(scenarios: Sequence[Scenario], years: int | None = None) -> list[Scenario]:
    """The scenarios each once, in order: a scenario listed again is dropped.

    A scenario is listed again when its name and content (:meth:`Scenario.content_hash`)
    are those of one before it, whatever file it came from.

    Raises:
        ScenarioConflict: two scenarios have one name but different content (an edited
            copy that kept its name, or two files of one stem in different folders).
    """
    first: dict[str, Scenario] = {}
    out = []
    for scenario in scenarios:
        seen = first.get(scenario.name)
        if seen is None:
            first[scenario.name] = scenario
            out.append(scenario)
        elif seen.content_hash(years) != scenario.content_hash(years):
            raise ScenarioConflict(
                f"two different scenarios are named '{scenario.name}': {_where(seen)} and "
                f"{_where(scenario)}; give one another name (name: in the file)"
            )
    return out


def run_key(scenario: Scenario, seed: int, years: int | None = None) -> str:
    """The store key of one run: the scenario's content hash (shortened) and the seed."""
    return f"{scenario.content_hash(years)[:20]}__seed{seed}"


def _estimated_seconds(job: tuple[Scenario, int, int | None]) -> float:
    """A run's estimated time (:func:`sim.core.footprint.footprint`), to start the longest first."""
    scenario, _, years = job
    weeks = years * WEEKS_PER_YEAR if years else scenario.weeks
    return footprint(scenario.flat_params(), weeks).seconds


def _compare_job(job: tuple[Scenario, int, int | None]) -> tuple[dict[str, Any], pd.DataFrame]:
    scenario, seed, years = job
    result = run_scenario(scenario, rng=seed, years=years)
    ts = result["timeseries"].reset_index()
    ts.insert(0, "seed", ts.pop("seed"))
    ts.insert(0, "scenario", scenario.name)  # stored series say which run they are
    return result["outcomes"], ts


def compare(
    scenarios: Sequence[Scenario],
    out: Path,
    seeds: Sequence[int] = (DEFAULT_SEED,),
    years: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    notify: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Run every scenario on every seed and write the comparison to ``out``.

    Each run is stored as it finishes (:class:`sim.runs.store.RunStore`), so an interrupted
    comparison started again with the same arguments resumes where it stopped. A stored
    run that cannot be read is moved aside, reported through ``notify`` and run again.
    A scenario listed twice is run once (:func:`distinct`).

    Args:
        scenarios: the scenarios, the first being the reference for paired differences.
        out: output folder.
        seeds: seeds every scenario runs on.
        years: run length; each scenario's own if None.
        progress: called with (runs done, runs to do) as runs finish.
        workers: local processes; results are identical whatever the number.
        scheduler: a ``dask.distributed`` scheduler address to run on instead.
        notify: called with a line for each stored run that was moved aside.

    Returns:
        The per-scenario mean outcomes (also written to ``comparison.csv``) and the
        failed runs (key, job, error), which are left out of the tables.

    Raises:
        ScenarioConflict: two different scenarios share a name (nothing is run).
        sim.runs.folders.FolderError: ``out`` is another command's folder, or cannot be
            written (nothing is run).
        sim.runs.store.StoreMismatch: ``out`` holds results of a different comparison.
    """
    started = time.perf_counter()
    scenarios = distinct(scenarios, years)
    seeds = list(seeds)
    claim_folder(out, "compare")
    identity = {
        "name": "compare",
        "scenarios": [s.to_dict() for s in scenarios],
        "seeds": seeds,
        "years": years,
    }
    store = RunStore(out, identity)
    keys = {(s.name, seed): run_key(s, seed, years) for s in scenarios for seed in seeds}
    jobs = [(keys[s.name, seed], (s, seed, years)) for s in scenarios for seed in seeds]
    labels: dict[str, dict[str, Any]] = {}
    for (name, seed), key in keys.items():
        labels.setdefault(key, {"scenario": name, "seed": seed})
    found = run_stored(
        _compare_job,
        jobs,
        store,
        workers,
        progress,
        scheduler,
        labels=labels,
        series=True,
        notify=notify,
        cost=_estimated_seconds,
    )
    stored = found.outcomes
    outcome_columns = [c for c in stored.columns if c not in LABELS]
    rows: list[dict[str, Any]] = []
    series: list[pd.DataFrame] = []
    for scenario in scenarios:
        for seed in seeds:
            key = keys[scenario.name, seed]
            if key not in stored.index:
                continue
            rows.append(
                {
                    "scenario": scenario.name,
                    "seed": seed,
                    **stored.loc[key, outcome_columns].to_dict(),
                }
            )
            ts = found.series[key].copy()
            ts = ts.drop(columns=[c for c in LABELS if c in ts.columns])
            ts.insert(0, "seed", seed)
            ts.insert(0, "scenario", scenario.name)
            series.append(ts)
    failures = store.failures()
    order = [s.name for s in scenarios if any(r["scenario"] == s.name for r in rows)]
    if not rows:
        return pd.DataFrame(), failures
    runs = pd.DataFrame(rows)
    table = runs.drop(columns="seed").groupby("scenario", sort=False).mean().reindex(order)
    timeseries = pd.concat(series, ignore_index=True)

    summary = summarise(runs, order)
    write_table(out / "runs.csv", runs)
    write_table(out / "comparison.csv", table.reset_index())
    write_table(out / "summary.csv", summary)
    write_table(out / "timeseries.csv", timeseries)
    atomic_write_json(
        out / "manifest.json",
        {
            "scenarios": {s.name: s.to_dict() for s in scenarios},
            "seeds": list(seeds),
            "years": years,
            "outcomes": {m.name: {"unit": m.unit, "meaning": m.doc} for m in OUTCOMES.values()},
            "failed": [f.get("label", f["key"]) for f in failures],
            **provenance(),
            "run_seconds": round(time.perf_counter() - started, 3),
        },
    )
    return table, failures


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and a Student-t confidence interval; NaN bounds for fewer than two values."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if len(values) < 2:
        return mean, float("nan"), float("nan")
    half = (
        stats.t.ppf(0.5 + level / 2.0, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    )
    return mean, mean - half, mean + half


def _better(outcome: str) -> str:
    """Which way an outcome is better, in words for the summary table."""
    return {True: "higher", False: "lower"}.get(HIGHER_IS_BETTER.get(outcome), "neither")


def summarise(runs: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Per scenario and outcome: mean and 95% CI, and the paired difference from the first.

    Each row also carries the outcome's ``unit`` (from :data:`~sim.runs.outcomes.OUTCOMES`),
    whether it is in the ``harm`` panel (:data:`~sim.runs.outcomes.HARM_PANEL`), and which
    way it is ``better`` (``higher``, ``lower`` or ``neither``;
    :data:`~sim.runs.outcomes.HIGHER_IS_BETTER`).

    Differences are taken seed by seed against the first scenario in ``order`` (common
    random numbers), so their intervals are usually much narrower than the means'.
    """
    reference = runs[runs.scenario == order[0]].set_index("seed")
    rows = []
    for name in order:
        own = runs[runs.scenario == name].set_index("seed")
        seeds = own.index.intersection(reference.index)
        for outcome in OUTCOMES:
            mean, low, high = mean_ci(own[outcome].to_numpy())
            diff = own.loc[seeds, outcome] - reference.loc[seeds, outcome]
            d_mean, d_low, d_high = mean_ci(diff.to_numpy())
            rows.append(
                {
                    "scenario": name,
                    "outcome": outcome,
                    "n": len(own),
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "reference": order[0],
                    "diff": d_mean,
                    "diff_ci_low": d_low,
                    "diff_ci_high": d_high,
                    "unit": OUTCOMES[outcome].unit,
                    "harm": outcome in HARM_PANEL,
                    "better": _better(outcome),
                }
            )
    return pd.DataFrame(rows)
