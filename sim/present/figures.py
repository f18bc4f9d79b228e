"""Publication figures: one style, one palette, one table of units.

Every figure function returns a :class:`matplotlib.figure.Figure` drawn in the house
style (:func:`style`); :func:`save` writes it as PNG (300 dpi by default) and PDF, each
atomically (:mod:`sim.core.io`), and :func:`png_bytes` renders it in memory. Colours come
from the Okabe-Ito palette (Okabe & Ito 2008), safe for the common colour-vision
deficiencies; with more series than colours the line style changes as well.

Axis labels carry units, read from the typed records of the reporters and outcomes
(:data:`sim.model.reporters.REPORTERS`, :data:`sim.runs.outcomes.OUTCOMES`).

Figures:

* compare: :func:`timeseries_figure` (reporters over time, mean with a 95% confidence
  band over replicates), :func:`outcomes_figure` (outcome by scenario, mean with 95%
  CI, the headline outcomes and below them the harm panel) and
  :func:`differences_figure` (paired difference from the reference scenario with 95%
  CI, the same two blocks);
* run: :func:`run_figure` (reporters over time, the band spanning the neighbourhoods)
  and :func:`quintile_figure` (one line per resource quintile);
* sweep: :func:`indices_figure` (Sobol S1/ST or Morris mu* per parameter, with their
  confidence intervals as error bars).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from sim.core.io import atomic_write_bytes
from sim.core.params import WEEKS_PER_YEAR
from sim.runs.outcomes import HARM_HIGHER_IS_WORSE, HARM_PANEL

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "HARM_NOTE",
    "LINE_COLOURS",
    "OKABE_ITO",
    "QUICK_LOOK_DPI",
    "UNITS",
    "axis_label",
    "colour",
    "differences_figure",
    "indices_figure",
    "label",
    "line_style",
    "outcomes_figure",
    "png_bytes",
    "quintile_figure",
    "run_figure",
    "save",
    "style",
    "timeseries_figure",
    "unit",
]

OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
"""Colour-blind-safe palette (Okabe & Ito 2008), in its published order."""

LINE_COLOURS = ("#000000", "#E69F00", "#0072B2", "#009E73", "#D55E00", "#56B4E9", "#CC79A7")
"""The palette in the order series are drawn: yellow, too pale for lines on white, is left out."""

DPI = 300
"""Resolution of saved PNGs."""

QUICK_LOOK_DPI = 150
"""Resolution of the quick-look PNGs ``cocreate compare`` and ``sweep`` write next to
their tables (:func:`sim.present.report.quick_looks`); ``cocreate report`` uses :data:`DPI`."""

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "lines.linewidth": 1.6,
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "pdf.fonttype": 42,  # TrueType: text stays editable in the PDF
    "ps.fonttype": 42,
    # Labels are names from files (a scenario called "cost$_$", say): text is drawn as
    # written, never parsed as mathtext, which would fail or mangle them.
    "text.parse_math": False,
}
"""The house style (matplotlib rcParams), applied by :func:`style`."""

LABELS: dict[str, str] = {
    "participation_rate": "participation",
    "volunteers": "volunteers",
    "burnouts": "burnouts",
    "mean_trust": "mean trust",
    "mean_wellbeing": "mean wellbeing",
    "wellbeing_gap_q5_q1": "wellbeing gap (Q5 minus Q1)",
    "trust_gap_q5_q1": "trust gap (Q5 minus Q1)",
    "net_cost": "net cost",
    "public_value": "public value",
    "service_quality": "service quality",
    "final_participation": "final participation",
    "mean_participation": "mean participation",
    "final_volunteers_share": "final volunteers",
    "burnouts_per_1000_per_year": "burnout rate",
    "volunteer_retention": "volunteer retention",
    "final_trust": "final trust",
    "trust_change": "change in trust",
    "final_trust_gap": "final trust gap (Q5 minus Q1)",
    "final_wellbeing_gap": "final wellbeing gap (Q5 minus Q1)",
    "final_wellbeing": "final wellbeing",
    "cumulative_net_cost": "cumulative net cost",
    "mean_public_value": "mean public value",
    "final_top10_hours_share": "hours given by the top 10%",
    "final_representativeness": "representativeness of participants",
    "final_professional_strain": "professional strain",
    "final_service_demand": "service demand",
    # the harm panel (sim.runs.outcomes.HARM_PANEL) and the weekly reporters behind it;
    # "least resourced" is the bottom resource quintile (Q1)
    "q1_final_wellbeing": "least-resourced final wellbeing",
    "q1_unmet_need_share": "least-resourced unmet need",
    "services_withdrawn_share": "services withdrawn",
    "implicit_demand_hours": "implicit demands on volunteers",
    "unanswered_voice_share": "voices unanswered",
    "promises_broken_share": "promises broken",
    "volunteers_gone_share": "volunteers gone for good",
    "value_destroyed": "value destroyed",
    "wellbeing_q1": "least-resourced wellbeing",
    "unmet_need_share_q1": "least-resourced unmet need",
    "responsibility_withdrawn": "services withdrawn",
    "gone": "gone for good",
    "hours_share": "share of volunteer hours",
}
"""Short plain-language names for axes and sentences; others are the name with spaces."""

UNITS: dict[str, str] = {
    "hours_share": "share of hours",
}
"""Units of the breakdown columns that are not reporters (``model.quintile_table()``)."""


def unit(name: str) -> str:
    """The unit of a reporter or outcome, from its typed record; "" for an unknown name.

    Reporters are :data:`sim.model.reporters.REPORTERS`, outcomes
    :data:`sim.runs.outcomes.OUTCOMES`; breakdown columns that are neither are in
    :data:`UNITS`.
    """
    from sim.model.reporters import REPORTERS
    from sim.runs.outcomes import OUTCOMES

    measure = REPORTERS.get(name) or OUTCOMES.get(name)
    return measure.unit if measure is not None else UNITS.get(name, "")


def label(name: str) -> str:
    """A short plain-language name for a reporter, outcome or parameter."""
    return LABELS.get(name, name.replace("_", " "))


def axis_label(name: str) -> str:
    """An axis label: the short name with its unit in parentheses."""
    found = unit(name)
    return f"{label(name)} ({found})" if found else label(name)


def colour(k: int) -> str:
    """The colour of the ``k``-th series (cycles through :data:`LINE_COLOURS`)."""
    return LINE_COLOURS[k % len(LINE_COLOURS)]


def marker(k: int) -> str:
    """The marker of the ``k``-th series: circle, then square, triangle, diamond per cycle."""
    return ("o", "s", "^", "D")[(k // len(LINE_COLOURS)) % 4]


def scaled(name: str, values: np.ndarray | pd.Series) -> tuple[float, str]:
    """A factor to multiply money by, and the unit it gives, so ticks stay short.

    GBP of a million or more are shown in millions, of ten thousand or more in
    thousands; other units are left as they are (factor 1).
    """
    found = unit(name)
    largest = float(np.nanmax(np.abs(np.asarray(values, dtype=float)), initial=0.0))
    if "GBP" in found and largest >= 1e6:
        return 1e-6, found.replace("GBP", "million GBP")
    if "GBP" in found and largest >= 1e4:
        return 1e-3, found.replace("GBP", "thousand GBP")
    return 1.0, found


def line_style(k: int) -> str:
    """The line style of the ``k``-th series: solid, then dashed, then dotted per cycle."""
    return ("-", "--", ":", "-.")[(k // len(LINE_COLOURS)) % 4]


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Draw inside the house style (:data:`RC`).

    Figures are plain :class:`matplotlib.figure.Figure` objects, not pyplot figures, so
    drawing needs no backend and leaves the caller's backend (a notebook's inline
    backend, say) alone.
    """
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """Render ``fig`` as PNG."""
    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def save(fig: Figure, stem: str | Path, dpi: int = DPI) -> list[Path]:
    """Write ``fig`` as ``stem.png`` and ``stem.pdf`` (atomically).

    The PDF carries no creation date, so the same figure gives the same file.

    Returns:
        The two paths written.
    """
    stem = Path(stem)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".pdf")]
    with style():
        for path, metadata in zip(
            paths, ({"Software": None}, {"CreationDate": None, "Creator": "cocreate"}), strict=True
        ):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=path.suffix[1:], dpi=dpi, metadata=metadata)
            atomic_write_bytes(path, buffer.getvalue())
    return paths


def _panels(n: int, width: float = 3.3, height: float = 2.6, ncols: int = 3) -> tuple:
    from matplotlib.figure import Figure

    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _t_half_width(sd: pd.Series, count: pd.Series, level: float = 0.95) -> pd.Series:
    """Half-width of the Student-t CI of a mean; 0 where fewer than two values."""
    dof = (count - 1).clip(lower=1)
    half = stats.t.ppf(0.5 + level / 2.0, dof) * sd / np.sqrt(count)
    return half.where(count >= 2, 0.0).fillna(0.0)


def _legend_below(fig: Figure, handles: list, labels: list[str], title: str | None = None) -> None:
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=min(len(labels), 5),
        title=title,
        handlelength=2.4,
    )


# --------------------------------------------------------------------------- compare

COMPARE_PANELS = (
    "participation_rate",
    "volunteers",
    "burnouts",
    "mean_trust",
    "wellbeing_gap_q5_q1",
    "net_cost",
)
"""Reporters drawn over time for a comparison."""

OUTCOME_PANELS = (
    "mean_participation",
    "burnouts_per_1000_per_year",
    "volunteer_retention",
    "final_trust",
    "final_wellbeing_gap",
    "cumulative_net_cost",
)
"""Outcomes drawn by scenario for a comparison."""


def timeseries_figure(
    timeseries: pd.DataFrame,
    order: Sequence[str],
    panels: Sequence[str] = COMPARE_PANELS,
    level: float = 0.95,
) -> Figure:
    """Reporters over time, one line per scenario: mean over replicates, 95% CI band.

    Args:
        timeseries: long table with ``scenario``, ``seed``, ``step`` (weeks) and reporters.
        order: scenarios in drawing order.
        panels: reporters, one panel each (missing columns are skipped).
        level: confidence level of the bands (Student t over replicates).
    """
    panels = [p for p in panels if p in timeseries.columns]
    with style():
        fig, axes = _panels(len(panels))
        grouped = timeseries.groupby(["scenario", "step"], sort=False)
        n_seeds = timeseries.groupby("scenario")["seed"].nunique()
        handles = []
        for ax, column in zip(axes, panels, strict=True):
            factor, shown_unit = scaled(column, timeseries[column])
            mean = grouped[column].mean() * factor
            half = _t_half_width(grouped[column].std(ddof=1), grouped[column].count(), level)
            half = half * factor
            for k, name in enumerate(order):
                line = mean.loc[name]
                band = half.loc[name]
                years = line.index.to_numpy() / WEEKS_PER_YEAR
                ax.fill_between(
                    years,
                    line.to_numpy() - band.to_numpy(),
                    line.to_numpy() + band.to_numpy(),
                    color=colour(k),
                    alpha=0.18,
                    linewidth=0,
                )
                (h,) = ax.plot(
                    years, line.to_numpy(), color=colour(k), linestyle=line_style(k), label=name
                )
                if ax is axes[0]:
                    handles.append(h)
            ax.set_title(label(column))
            ax.set_xlabel("years")
            ax.set_ylabel(shown_unit)
            ax.set_xlim(left=0)
        n = int(n_seeds.min()) if len(n_seeds) else 0
        note = (
            f"lines: mean of {n} replicates; bands: {level:.0%} CI"
            if n >= 2
            else "one replicate: no confidence band"
        )
        _legend_below(fig, handles, list(order), title=note)
    return fig


def _scenario_rows(summary: pd.DataFrame, outcome: str, order: Sequence[str]) -> pd.DataFrame:
    return summary[summary.outcome == outcome].set_index("scenario").reindex(list(order))


def _point_ranges(
    ax: Axes,
    centre: pd.Series,
    low: pd.Series,
    high: pd.Series,
    factor: float,
    names: list[str],
    first: int,
) -> None:
    """Horizontal point ranges, one row per name; tick labels only in the first column."""
    c = centre.to_numpy(dtype=float) * factor
    below = np.nan_to_num(c - low.to_numpy(dtype=float) * factor)
    above = np.nan_to_num(high.to_numpy(dtype=float) * factor - c)
    for k in range(len(names)):
        ax.errorbar(
            c[k],
            k,
            xerr=[[below[k]], [above[k]]],
            fmt=marker(k + first),
            color=colour(k + first),
            ms=5,
            capsize=3,
            elinewidth=1.2,
        )
    y = np.arange(len(names))
    first_column = ax.get_subplotspec().is_first_col()
    ax.set_yticks(y, names if first_column else [])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.15)


HARM_NOTE = "harms: higher is worse" + "".join(
    f", except {label(name)}, lower is worse"
    for name, worse in HARM_HIGHER_IS_WORSE.items()
    if not worse
)
"""How to read the harm panel's direction, from :data:`sim.runs.outcomes.HARM_HIGHER_IS_WORSE`."""


def _blocks(
    blocks: Sequence[tuple[str, Sequence[str], int]], rows_height: float
) -> tuple[Figure, list[list[Axes]]]:
    """A figure of titled blocks of panels, one block under another.

    Args:
        blocks: (title, names, columns) of each block; a block without names is left out.
        rows_height: height of one row of panels, in inches.

    Returns:
        The figure and, per block given, its axes (empty for a left-out block).
    """
    from matplotlib.figure import Figure

    shown = [(k, b) for k, b in enumerate(blocks) if b[1]]
    rows = [int(np.ceil(len(names) / ncols)) for _, (_, names, ncols) in shown]
    width = 3.3 * max((min(ncols, len(names)) for _, (_, names, ncols) in shown), default=1)
    fig = Figure(
        figsize=(width, rows_height * max(sum(rows), 1) + 0.35 * len(shown)), layout="constrained"
    )
    found: list[list[Axes]] = [[] for _ in blocks]
    if not shown:
        return fig, found
    subfigs = fig.subfigures(len(shown), 1, height_ratios=rows, squeeze=False)[:, 0]
    for sub, (k, (title, names, ncols)), nrows in zip(subfigs, shown, rows, strict=True):
        ncols = min(ncols, len(names))
        axes = sub.subplots(nrows, ncols, squeeze=False)
        for ax in axes.flat[len(names) :]:
            ax.set_visible(False)
        sub.suptitle(title, fontsize=9)
        found[k] = list(axes.flat[: len(names)])
    return fig, found


def _harm_guide(ax: Axes, name: str, reference: float, factor: float) -> None:
    """Draw the line a harm is read against.

    Zero (no harm), or for a harm where lower is worse, the reference scenario's level
    (dashed).
    """
    if HARM_HIGHER_IS_WORSE[name]:
        ax.axvline(0.0, color="#555555", lw=0.9)
    elif np.isfinite(reference):
        ax.axvline(reference * factor, color="#555555", lw=0.9, ls="--")


def outcomes_figure(
    summary: pd.DataFrame,
    order: Sequence[str],
    panels: Sequence[str] = OUTCOME_PANELS,
    harms: Sequence[str] = HARM_PANEL,
) -> Figure:
    """Outcome by scenario: the mean over replicates with its 95% CI, one panel each.

    The headline outcomes come first; below them, the harm panel (the dark side's costs,
    :data:`sim.runs.outcomes.HARM_PANEL`), each harm drawn against zero (no harm) or, for
    a harm where lower is worse, against the reference scenario's level (dashed).

    Args:
        summary: ``summary.csv`` of a comparison (``scenario``, ``outcome``, ``mean``,
            ``ci_low``, ``ci_high``).
        order: scenarios, top to bottom; the first is the reference.
        panels: headline outcomes, one panel each (missing ones are skipped).
        harms: harms, one panel each (missing ones are skipped).
    """
    present = set(summary.outcome)
    panels = [p for p in panels if p in present]
    harms = [h for h in harms if h in present]
    with style():
        fig, (top, bottom) = _blocks(
            [
                ("Outcomes by scenario: mean and 95% CI over replicates", panels, 3),
                (
                    f"Harm panel by scenario: mean and 95% CI ({HARM_NOTE}; dashed: {order[0]})",
                    harms,
                    4,
                ),
            ],
            rows_height=max(2.0, 0.9 + 0.3 * len(order)),
        )
        for ax, outcome in [*zip(top, panels, strict=True), *zip(bottom, harms, strict=True)]:
            rows = _scenario_rows(summary, outcome, order)
            factor, shown_unit = scaled(outcome, rows[["ci_low", "mean", "ci_high"]])
            if outcome in HARM_HIGHER_IS_WORSE:
                _harm_guide(ax, outcome, float(rows["mean"].iloc[0]), factor)
            _point_ranges(ax, rows["mean"], rows.ci_low, rows.ci_high, factor, list(order), 0)
            ax.set_title(label(outcome))
            ax.set_xlabel(shown_unit)
    return fig


def differences_figure(
    summary: pd.DataFrame,
    order: Sequence[str],
    panels: Sequence[str] = OUTCOME_PANELS,
    harms: Sequence[str] = HARM_PANEL,
) -> Figure:
    """Paired difference of each scenario from the reference (the first), with 95% CI.

    Differences are taken seed by seed (common random numbers); a CI that does not
    cross the dashed zero line is a difference distinguishable from chance. The harm
    panel (:data:`sim.runs.outcomes.HARM_PANEL`) follows the headline outcomes.
    """
    reference = order[0]
    column = "diff"
    others = list(order[1:])
    present = set(summary.outcome)
    panels = [p for p in panels if p in present]
    harms = [h for h in harms if h in present]
    with style():
        fig, (top, bottom) = _blocks(
            [
                (f"Paired difference from {reference} (same seeds): mean and 95% CI", panels, 3),
                (f"Harm panel: paired difference from {reference} ({HARM_NOTE})", harms, 4),
            ],
            rows_height=max(2.0, 0.9 + 0.3 * len(others)),
        )
        for ax, outcome in [*zip(top, panels, strict=True), *zip(bottom, harms, strict=True)]:
            rows = _scenario_rows(summary, outcome, others)
            factor, shown_unit = scaled(outcome, rows[[column, "diff_ci_low", "diff_ci_high"]])
            ax.axvline(0.0, color="#555555", lw=0.9, ls="--")
            _point_ranges(ax, rows[column], rows.diff_ci_low, rows.diff_ci_high, factor, others, 1)
            ax.set_title(label(outcome))
            ax.set_xlabel(shown_unit)
    return fig


# --------------------------------------------------------------------------- run

RUN_PANELS = (
    "participation_rate",
    "volunteers",
    "burnouts",
    "mean_trust",
    "mean_wellbeing",
    "wellbeing_gap_q5_q1",
    "public_value",
    "service_quality",
    "net_cost",
)
"""Reporters drawn over time for a single run."""

HOOD_SPREAD = {
    "participation_rate": "participation_rate",
    "mean_trust": "mean_trust",
    "mean_wellbeing": "mean_wellbeing",
    "service_quality": "service_quality",
}
"""Run reporters with a neighbourhood counterpart (reporter: neighbourhood column)."""


def run_figure(
    timeseries: pd.DataFrame,
    neighbourhoods: pd.DataFrame | None = None,
    panels: Sequence[str] = RUN_PANELS,
) -> Figure:
    """One run's reporters over time; where there is one, a band spans the neighbourhoods.

    Args:
        timeseries: ``timeseries.csv`` of a run (``step`` in weeks, one column a reporter).
        neighbourhoods: ``neighbourhoods.csv`` (``step``, ``neighbourhood`` and columns).
        panels: reporters, one panel each (missing columns are skipped).
    """
    panels = [p for p in panels if p in timeseries.columns]
    with style():
        fig, axes = _panels(len(panels))
        years = timeseries["step"].to_numpy() / WEEKS_PER_YEAR
        band_handle = line_handle = None
        for ax, column in zip(axes, panels, strict=True):
            factor, shown_unit = scaled(column, timeseries[column])
            hood_column = HOOD_SPREAD.get(column)
            if (
                neighbourhoods is not None
                and hood_column is not None
                and hood_column in neighbourhoods.columns
            ):
                by_step = neighbourhoods.groupby("step")[hood_column]
                low, high = by_step.min(), by_step.max()
                band_handle = ax.fill_between(
                    low.index.to_numpy() / WEEKS_PER_YEAR,
                    low.to_numpy() * factor,
                    high.to_numpy() * factor,
                    color=colour(2),
                    alpha=0.22,
                    linewidth=0,
                )
            values = timeseries[column].to_numpy(dtype=float) * factor
            (line_handle,) = ax.plot(years, values, color=colour(0))
            ax.set_title(label(column))
            ax.set_xlabel("years")
            ax.set_ylabel(shown_unit)
            ax.set_xlim(left=0)
        handles, names = [line_handle], ["whole municipality"]
        if band_handle is not None:
            handles.append(band_handle)
            names.append("range across neighbourhoods")
        _legend_below(fig, handles, names)
    return fig


QUINTILE_PANELS = ("participation_rate", "mean_trust", "mean_wellbeing", "hours_share")
"""Quintile columns drawn over time for a single run."""


def quintile_figure(quintiles: pd.DataFrame, panels: Sequence[str] = QUINTILE_PANELS) -> Figure:
    """One run by resource quintile over time: one line per quintile, Q1 (lowest) to Q5.

    The shaded band spans the five quintiles, so its width is the inequality.
    """
    panels = [p for p in panels if p in quintiles.columns]
    with style():
        fig, axes = _panels(len(panels), ncols=2, width=3.6)
        handles = []
        for ax, column in zip(axes, panels, strict=True):
            wide = quintiles.pivot(index="step", columns="quintile", values=column)
            years = wide.index.to_numpy() / WEEKS_PER_YEAR
            ax.fill_between(
                years, wide.min(axis=1), wide.max(axis=1), color="#bbbbbb", alpha=0.3, lw=0
            )
            for k, q in enumerate(wide.columns):
                (h,) = ax.plot(years, wide[q].to_numpy(), color=colour(k), linestyle=line_style(k))
                if ax is axes[0]:
                    handles.append(h)
            ax.set_title(label(column))
            ax.set_xlabel("years")
            ax.set_ylabel(unit(column))
            ax.set_xlim(left=0)
        names = [f"Q{int(q) + 1}" for q in sorted(quintiles["quintile"].unique())]
        if names:
            names[0] += " (lowest resources)"
            names[-1] += " (highest)"
        _legend_below(fig, handles, names, title="resource quintile; band: range across quintiles")
    return fig


# --------------------------------------------------------------------------- sweep


def indices_figure(table: pd.DataFrame, method: str) -> Figure:
    """Sensitivity indices per parameter, one panel per outcome, sorted by importance.

    Sobol: first-order (S1) and total (ST) indices; Morris: mu* (in the outcome's
    units). Error bars are SALib's 95% confidence intervals (``conf``).

    Args:
        table: ``indices.csv`` of a sweep (``outcome``, ``parameter``, ``index``,
            ``value``, ``conf``).
        method: ``"sobol"`` or ``"morris"``.
    """
    outcomes = list(dict.fromkeys(table.outcome))
    shown = ("S1", "ST") if method == "sobol" else ("mu_star",)
    key = "ST" if method == "sobol" else "mu_star"
    names = {"S1": "first order (S1)", "ST": "total (ST)", "mu_star": "μ* (Morris)"}
    n_params = table[table["index"] == key].groupby("outcome").size().max()
    with style():
        fig, axes = _panels(len(outcomes), width=3.6, height=max(2.4, 1.0 + 0.3 * n_params))
        handles: list = []
        for ax, outcome in zip(axes, outcomes, strict=True):
            part = table[(table.outcome == outcome) & table["index"].isin(shown)]
            order = (
                part[part["index"] == key].sort_values("value", ascending=False).parameter.tolist()
            )
            y = np.arange(len(order))
            height = 0.8 / len(shown)
            for k, index in enumerate(shown):
                rows = part[part["index"] == index].set_index("parameter").reindex(order)
                bars = ax.barh(
                    y + (k - (len(shown) - 1) / 2) * height,
                    rows.value.to_numpy(dtype=float),
                    height,
                    xerr=np.nan_to_num(rows.conf.to_numpy(dtype=float)),
                    color=colour(k + 2),
                    error_kw={"elinewidth": 0.9, "capsize": 2, "ecolor": "#333333"},
                    label=names[index],
                )
                if ax is axes[0]:
                    handles.append(bars)
            ax.set_yticks(y, order)
            ax.set_ylim(len(order) - 0.5, -0.5)
            ax.grid(axis="y", visible=False)
            ax.axvline(0.0, color="#555555", lw=0.8)
            ax.set_title(label(outcome))
            if method == "sobol":
                ax.set_xlabel("share of output variance")
            else:
                found = unit(outcome)
                ax.set_xlabel(f"μ* ({found})" if found else "μ*")
        _legend_below(fig, handles, [names[i] for i in shown], title="error bars: 95% CI")
    return fig
