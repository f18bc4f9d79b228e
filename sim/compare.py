"""Compare strategies side by side on the same population and the same random draws.

Every scenario runs with the same seeds, so differences are paired and use common
random numbers (:mod:`sim.rng`). Writes ``runs.csv`` (one row per run),
``comparison.csv`` (mean per scenario), ``summary.csv`` (per scenario and outcome: the
mean with a 95% confidence interval, and the paired difference from the first scenario
with its interval), ``timeseries.csv`` (long format), ``comparison.png`` (means with
95% bands over seeds), ``outcomes.png`` (outcome by scenario with 95% confidence
intervals) and ``manifest.json``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.io import atomic_write_bytes, atomic_write_csv, atomic_write_json, provenance
from sim.outcomes import OUTCOMES, run_scenario
from sim.scenario import Scenario
from sim.store import RunStore, run_jobs

OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
"""Colour-blind-safe palette (Okabe & Ito 2008)."""

PANELS: tuple[tuple[str, str], ...] = (
    ("participation_rate", "participation rate (share of citizens)"),
    ("volunteers", "volunteers (persons)"),
    ("burnouts", "burnouts (per week)"),
    ("mean_trust", "mean trust (0-1)"),
    ("wellbeing_gap_q5_q1", "wellbeing gap q5 - q1 (0-1)"),
    ("net_cost", "net cost (GBP per week)"),
)


def _compare_job(job: tuple[Scenario, int, int | None]) -> tuple[dict[str, Any], pd.DataFrame]:
    scenario, seed, years = job
    result = run_scenario(scenario, seed=seed, years=years)
    return result["outcomes"], result["timeseries"].reset_index()


def compare(
    scenarios: Sequence[Scenario],
    out: Path,
    seeds: Sequence[int] = (0,),
    years: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Run every scenario on every seed and write the comparison to ``out``.

    Each run is stored as it finishes (:class:`sim.store.RunStore`), so an interrupted
    comparison started again with the same arguments resumes where it stopped.

    Args:
        scenarios: the scenarios, the first being the reference for paired differences.
        out: output folder.
        seeds: seeds every scenario runs on.
        years: run length; each scenario's own if None.
        progress: called with (runs done, runs to do) as runs finish.
        workers: local processes; results are identical whatever the number.
        scheduler: a ``dask.distributed`` scheduler address to run on instead.

    Returns:
        The per-scenario mean outcomes (also written to ``comparison.csv``) and the
        failed runs (key, job, error), which are left out of the tables.

    Raises:
        sim.store.StoreMismatch: ``out`` holds results of a different comparison.
    """
    started = time.perf_counter()
    identity = {
        "name": "compare",
        "scenarios": [s.to_dict() for s in scenarios],
        "seeds": list(seeds),
        "years": years,
    }
    store = RunStore(out, identity)
    jobs = [
        (f"{scenario.name}__seed{seed}", (scenario, seed, years))
        for scenario in scenarios
        for seed in seeds
    ]
    run_jobs(_compare_job, jobs, store, workers, progress, scheduler)
    stored = store.outcomes().set_index("key")
    rows: list[dict[str, Any]] = []
    series: list[pd.DataFrame] = []
    for key, (scenario, seed, _) in jobs:
        if key not in stored.index:
            continue
        rows.append({"scenario": scenario.name, "seed": seed, **stored.loc[key].to_dict()})
        ts = store.series(key)
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
    atomic_write_csv(out / "runs.csv", runs)
    atomic_write_csv(out / "comparison.csv", table.reset_index())
    atomic_write_csv(out / "summary.csv", summary)
    atomic_write_csv(out / "timeseries.csv", timeseries)
    atomic_write_bytes(out / "comparison.png", figure_png(timeseries, order))
    atomic_write_bytes(out / "outcomes.png", outcomes_png(summary, order))
    atomic_write_json(
        out / "manifest.json",
        {
            "scenarios": {s.name: s.to_dict() for s in scenarios},
            "seeds": list(seeds),
            "years": years,
            "outcomes": OUTCOMES,
            "failed": [f["key"] for f in failures],
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


def summarise(runs: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Per scenario and outcome: mean and 95% CI, and the paired difference from the first.

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
                    f"diff_vs_{order[0]}": d_mean,
                    "diff_ci_low": d_low,
                    "diff_ci_high": d_high,
                }
            )
    return pd.DataFrame(rows)


OUTCOME_PANELS: tuple[tuple[str, str], ...] = (
    ("mean_participation", "mean participation (share)"),
    ("burnouts_per_1000_per_year", "burnouts per 1,000 citizens a year"),
    ("volunteer_retention", "volunteer retention (share a year)"),
    ("final_trust", "final mean trust (0-1)"),
    ("final_wellbeing_gap", "final wellbeing gap q5 - q1 (0-1)"),
    ("cumulative_net_cost", "cumulative net cost (GBP)"),
)


def outcomes_png(summary: pd.DataFrame, order: Sequence[str]) -> bytes:
    """Outcome by scenario: means with 95% confidence intervals, one panel per outcome."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(13, 7), constrained_layout=True)
    for ax, (outcome, label) in zip(axes.flat, OUTCOME_PANELS, strict=True):
        rows = summary[summary.outcome == outcome].set_index("scenario").loc[list(order)]
        error = np.vstack([rows["mean"] - rows.ci_low, rows.ci_high - rows["mean"]])
        colours = [OKABE_ITO[k % len(OKABE_ITO)] for k in range(len(order))]
        ax.barh(
            range(len(order)), rows["mean"], xerr=np.nan_to_num(error), color=colours, capsize=3
        )
        ax.set_yticks(range(len(order)), list(order), fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(label)
        ax.grid(axis="x", alpha=0.3)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def figure_png(timeseries: pd.DataFrame, order: Sequence[str]) -> bytes:
    """Six panels of key reporters over time, one line per scenario.

    Lines are the mean over seeds; bands are ±1.96 standard errors of that mean.
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(13, 7), constrained_layout=True)
    grouped = timeseries.groupby(["scenario", "step"], sort=False)
    for ax, (column, label) in zip(axes.flat, PANELS, strict=True):
        mean = grouped[column].mean()
        spread = grouped[column].std(ddof=1) / np.sqrt(grouped[column].count())
        for k, name in enumerate(order):
            line = mean.loc[name]
            band = 1.96 * spread.loc[name].fillna(0.0)
            years = line.index / 52.0
            ax.fill_between(
                years,
                line.values - band.values,
                line.values + band.values,
                color=OKABE_ITO[k % len(OKABE_ITO)],
                alpha=0.2,
                linewidth=0,
            )
            style = ("-", "--", ":")[(k // len(OKABE_ITO)) % 3]  # more than 8 scenarios
            ax.plot(
                years,
                line.values,
                color=OKABE_ITO[k % len(OKABE_ITO)],
                linestyle=style,
                label=name,
                lw=1.5,
            )
        ax.set_xlabel("years")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes.flat[0].legend(frameon=False, fontsize=8)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()
