"""``cocreate report DIR``: publication figures and one self-contained HTML report.

The folder may be the output of ``cocreate run``, ``cocreate compare`` or ``cocreate
sweep``; which one is read from its ``manifest.json`` (:func:`load`):

======== ==================================== ==========================================
kind     manifest keys                        tables read
======== ==================================== ==========================================
run      ``scenario``, ``seed``               timeseries, neighbourhoods, quintiles
compare  ``scenarios``, ``seeds``             summary, runs, timeseries
sweep    ``experiment``                       indices, samples
======== ==================================== ==========================================

:func:`build_report` draws the figures (:mod:`sim.present.figures`), saves each as PNG and PDF,
and writes ``report.html``: the figures embedded as base64 data URIs, inline CSS, the
summary tables, the manifest (scenarios, seeds, version, git commit) and a short
plain-language reading generated from the numbers (:func:`compare_reading`,
:func:`sweep_reading`, :func:`run_reading`). Every file is written atomically and
nothing already in the folder is deleted.

:func:`quick_looks` draws the quick-look PNGs that ``cocreate compare`` and ``cocreate
sweep`` leave next to their tables (``comparison.png`` and ``outcomes.png``;
``indices.png``), at :data:`sim.present.figures.QUICK_LOOK_DPI`.

A folder that is not a complete cocreate output raises :class:`ReportError` with one
line naming the file and what was expected.
"""

from __future__ import annotations

import base64
import html
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.core.io import atomic_write_bytes, atomic_write_text
from sim.core.params import WEEKS_PER_YEAR
from sim.present import figures
from sim.runs.folders import FolderError, check_folder, mark_folder
from sim.runs.outcomes import HARM_HIGHER_IS_WORSE, HARM_PANEL, HIGHER_IS_BETTER

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "KINDS",
    "Output",
    "ReportError",
    "build_report",
    "compare_findings",
    "compare_reading",
    "fmt",
    "harm_findings",
    "harm_legend",
    "harm_table",
    "load",
    "quick_looks",
    "run_reading",
    "sweep_reading",
]

KINDS = ("run", "compare", "sweep")

REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    "run": {
        "timeseries.csv": ("step",),
        "neighbourhoods.csv": ("step", "neighbourhood"),
        "quintiles.csv": ("step", "quintile"),
    },
    "compare": {
        "summary.csv": (
            "scenario",
            "outcome",
            "n",
            "mean",
            "ci_low",
            "ci_high",
            "diff_ci_low",
            "diff_ci_high",
        ),
        "runs.csv": ("scenario", "seed"),
        "timeseries.csv": ("scenario", "seed", "step"),
    },
    "sweep": {
        "indices.csv": ("outcome", "parameter", "index", "value", "conf"),
        "samples.csv": (),
    },
}
"""Files each kind of output must hold, with the columns each must have."""

WRITTEN_BY = {"run": "cocreate run", "compare": "cocreate compare", "sweep": "cocreate sweep"}


class ReportError(ValueError):
    """The folder is not a complete cocreate output; ``str()`` is one line."""


@dataclass
class Output:
    """A loaded output folder: its kind, manifest and tables (by file name)."""

    kind: str
    folder: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def order(self) -> list[str]:
        """Compare: the scenarios present in the summary, reference first."""
        present = set(self.tables["summary.csv"].scenario)
        return [name for name in self.manifest["scenarios"] if name in present]


# --------------------------------------------------------------------------- loading


def _kind(manifest: Any, path: Path) -> str:
    if not isinstance(manifest, dict):
        raise ReportError(f"{path}: expected a JSON object (the manifest of a cocreate output)")
    if isinstance(manifest.get("experiment"), dict):
        return "sweep"
    if isinstance(manifest.get("scenarios"), dict) and isinstance(manifest.get("seeds"), list):
        return "compare"
    if isinstance(manifest.get("scenario"), dict) and "seed" in manifest:
        return "run"
    raise ReportError(
        f"{path}: not a cocreate manifest; expected the keys of a run (scenario, seed), "
        "a compare (scenarios, seeds) or a sweep (experiment)"
    )


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not folder.exists():
        raise ReportError(
            f"{folder}: no such folder; expected the output folder of cocreate run, "
            "compare or sweep"
        )
    if not folder.is_dir():
        raise ReportError(f"{folder}: not a folder; expected the output folder of a cocreate run")
    if not path.exists():
        if (folder / "store.json").exists():
            try:
                what = json.loads((folder / "store.json").read_text()).get("name") or "batch"
            except (OSError, ValueError, AttributeError):
                what = "batch"
            raise ReportError(
                f"{path}: missing; the {what} in this folder did not finish (store.json is "
                "there): run the same command again to complete it"
            )
        raise ReportError(
            f"{path}: missing; expected the manifest.json written by cocreate run, compare or sweep"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ReportError(f"{path}: not UTF-8 text; expected a JSON manifest") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"{path}: not valid JSON (line {exc.lineno}: {exc.msg}); expected the manifest "
            "of a cocreate output"
        ) from None


def _read_csv(path: Path, kind: str, columns: Sequence[str]) -> pd.DataFrame:
    files = ", ".join(REQUIRED[kind])
    if not path.exists():
        raise ReportError(
            f"{path}: missing; expected a complete {WRITTEN_BY[kind]} folder, with {files} "
            "and manifest.json"
        )
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise ReportError(f"{path}: cannot read as CSV ({reason})") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ReportError(
            f"{path}: missing column(s) {', '.join(missing)}; expected the table "
            f"{WRITTEN_BY[kind]} writes"
        )
    if table.empty:
        raise ReportError(f"{path}: has no rows; expected the table {WRITTEN_BY[kind]} writes")
    return _renamed_difference(table)


def _renamed_difference(table: pd.DataFrame) -> pd.DataFrame:
    """A summary written before issue 14 (``diff_vs_<reference>``) in today's columns.

    The difference column is ``diff`` now, with the reference named in ``reference``.
    """
    old = [c for c in table.columns if str(c).startswith("diff_vs_")]
    if len(old) != 1 or "diff" in table.columns:
        return table
    table = table.rename(columns={old[0]: "diff"})
    table.insert(table.columns.get_loc("diff"), "reference", old[0].removeprefix("diff_vs_"))
    return table


def _check_sweep(output: Output) -> None:
    experiment = output.manifest["experiment"]
    indices = output.tables["indices.csv"]
    samples = output.tables["samples.csv"]
    path = output.folder / "indices.csv"
    expected = [str(o) for o in experiment.get("outcomes") or []]
    missing = [o for o in expected if o not in set(indices.outcome)]
    if missing:
        raise ReportError(
            f"{path}: incomplete sweep, no indices for {', '.join(missing)}; expected every "
            "outcome of the experiment (run the same cocreate sweep again)"
        )
    parameters = [str(p) for p in experiment.get("parameters") or {}]
    missing = [p for p in parameters if p not in set(indices.parameter)]
    if missing:
        raise ReportError(
            f"{path}: incomplete sweep, no indices for parameter(s) {', '.join(missing)}; "
            "expected every parameter of the experiment"
        )
    lost = [o for o in expected if o not in samples.columns or samples[o].isna().any()]
    if lost:
        raise ReportError(
            f"{output.folder / 'samples.csv'}: incomplete sweep, results missing for "
            f"{', '.join(lost)}; expected one value per sample point"
        )


def load(folder: str | Path) -> Output:
    """Read an output folder of ``cocreate run``, ``compare`` or ``sweep``.

    Raises:
        ReportError: the folder is missing, not a cocreate output, or incomplete.
    """
    folder = Path(folder)
    manifest = _read_manifest(folder)
    kind = _kind(manifest, folder / "manifest.json")
    output = Output(kind, folder, manifest)
    for name, columns in REQUIRED[kind].items():
        output.tables[name] = _read_csv(folder / name, kind, columns)
    if kind == "sweep":
        _check_sweep(output)
    if kind == "compare" and not output.order:
        raise ReportError(
            f"{folder / 'summary.csv'}: names none of the manifest's scenarios "
            f"({', '.join(manifest['scenarios'])}); expected the summary of this comparison"
        )
    return output


# --------------------------------------------------------------------------- numbers in words


FLOAT_NOISE = 1e-12
"""Numbers smaller than this are shown as 0: sums of shares that should cancel leave
about 1e-17, which no outcome or reporter means."""


def fmt(value: float, digits: int = 3) -> str:
    """A number for prose and tables: ``digits`` significant figures, thousands separated.

    Float noise (below :data:`FLOAT_NOISE` in size) is shown as 0.
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if abs(value) < FLOAT_NOISE:
        return "0"
    if abs(value) >= 10 ** (digits - 1):
        return f"{value:,.0f}"
    decimals = digits - 1 - math.floor(math.log10(abs(value)))
    text = f"{value:.{max(decimals, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _amount(name: str, values: Sequence[float]) -> tuple[list[str], str]:
    """Numbers in the unit they read best in, and that unit as a suffix for prose."""
    found = figures.unit(name)
    if found.startswith("share"):
        return [fmt(v * 100.0, 2) for v in values], " percentage points"
    if "GBP" in found:
        factor, scaled_unit = figures.scaled(name, np.abs(values))
        return [fmt(v * factor, 2) for v in values], f" {scaled_unit}"
    if found.startswith(("score", "difference in score", "change in score", "index")):
        return [fmt(v, 2) for v in values], " on the 0-1 scale" if "0-1" in found else ""
    return [fmt(v, 2) for v in values], f" {found}" if found else ""


def _level(name: str, value: float) -> str:
    """A level (not a change) in words: shares as percentages."""
    found = figures.unit(name)
    if found.startswith("share"):
        return f"{fmt(value * 100.0)}%"
    if "GBP" in found:
        factor, scaled_unit = figures.scaled(name, [value])
        return f"{fmt(value * factor)} {scaled_unit}"
    return fmt(value)


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


# --------------------------------------------------------------------------- readings


def compare_findings(
    summary: pd.DataFrame, runs: pd.DataFrame, order: Sequence[str]
) -> pd.DataFrame:
    """Paired differences from the reference, with whether their 95% CI excludes zero.

    ``size`` ranks differences across outcomes in different units: the absolute paired
    difference divided by the outcome's standard deviation over all runs of the
    comparison (every scenario and seed). Rows are sorted by scenario (in ``order``),
    then significant first, then by ``size``, largest first.
    """
    column = "diff"
    rows = []
    for name in order[1:]:
        part = summary[summary.scenario == name]
        for row in part.itertuples(index=False):
            diff = float(getattr(row, column))
            low, high = float(row.diff_ci_low), float(row.diff_ci_high)
            spread = float(runs[row.outcome].std(ddof=1)) if row.outcome in runs else math.nan
            size = abs(diff) / spread if spread > 0 else abs(diff)
            rows.append(
                {
                    "scenario": name,
                    "outcome": row.outcome,
                    "n": int(row.n),
                    "diff": diff,
                    "diff_ci_low": low,
                    "diff_ci_high": high,
                    "significant": bool(
                        math.isfinite(low) and math.isfinite(high) and (low > 0 or high < 0)
                    ),
                    "size": size,
                }
            )
    found = pd.DataFrame(rows)
    if found.empty:
        return found
    found["rank"] = found.scenario.map({n: k for k, n in enumerate(order)})
    found = found.sort_values(["rank", "significant", "size"], ascending=[True, False, False])
    return found.drop(columns="rank").reset_index(drop=True)


HARM_ZERO = 1e-9
"""A harm's level within this of zero is rounding, not harm: the unmet share of a quintile
whose need is all met sums to about 1e-17. Every harm's unit (shares, hours per week,
model units per week) makes 1e-9 negligible."""


def harm_findings(summary: pd.DataFrame, runs: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Each scenario's harm panel, its clear harms first, the largest first.

    For every scenario (the reference included) and every harm of
    :data:`sim.runs.outcomes.HARM_PANEL` in ``summary``: its level (``mean``, ``ci_low``,
    ``ci_high``), its paired difference from the reference (``diff``, ``diff_ci_low``,
    ``diff_ci_high``), and:

    * ``clear``: a harm beyond chance. For a harm where more is worse, its 95% CI lies
      above zero (beyond :data:`HARM_ZERO`) or its paired difference from the reference
      does; for one where less is worse (the least-resourced quintile's wellbeing, whose
      zero is no reference), its paired difference from the reference lies below zero.
      Never true without intervals (a single seed).
    * ``present``: the harm is there at all, interval or not: a level above zero, or for
      a harm where less is worse, a level below the reference's.
    * ``worse``: the paired difference from the reference in the harm's worse direction,
      divided by the outcome's spread over all runs (as :func:`compare_findings`'s
      ``size``), so harms in different units are ranked on one scale; 0 for the
      reference.
    * ``level``: for a harm where more is worse, its level over that spread; otherwise
      ``worse``.

    Rows are sorted by scenario (in ``order``), then clear first, then by ``worse`` and
    ``level``, largest first.
    """
    reference = order[0]
    column = "diff"
    rows = []
    for name in order:
        part = summary[(summary.scenario == name) & summary.outcome.isin(HARM_PANEL)]
        for row in part.itertuples(index=False):
            higher_is_worse = HARM_HIGHER_IS_WORSE[row.outcome]
            sign = 1.0 if higher_is_worse else -1.0
            spread = float(runs[row.outcome].std(ddof=1)) if row.outcome in runs else math.nan
            spread = spread if spread > 0 else 1.0
            mean, low, high = (float(v) for v in (row.mean, row.ci_low, row.ci_high))
            diff = float(getattr(row, column)) if column in summary.columns else 0.0
            d_low, d_high = float(row.diff_ci_low), float(row.diff_ci_high)
            worse_than_reference = sign * d_low > HARM_ZERO if higher_is_worse else d_high < 0
            if name == reference:
                worse_than_reference = False
            above_zero = higher_is_worse and low > HARM_ZERO
            worse = sign * diff / spread if name != reference else 0.0
            rows.append(
                {
                    "scenario": name,
                    "outcome": row.outcome,
                    "n": int(row.n),
                    "higher_is_worse": higher_is_worse,
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "diff": diff,
                    "diff_ci_low": d_low,
                    "diff_ci_high": d_high,
                    "clear": bool(above_zero or worse_than_reference),
                    "present": bool(
                        mean > HARM_ZERO if higher_is_worse else name != reference and diff < 0
                    ),
                    "worse": worse,
                    "level": mean / spread if higher_is_worse else worse,
                }
            )
    found = pd.DataFrame(rows)
    if found.empty:
        return found
    found["rank"] = found.scenario.map({n: k for k, n in enumerate(order)})
    found = found.sort_values(
        ["rank", "clear", "worse", "level"], ascending=[True, False, False, False]
    )
    return found.drop(columns="rank").reset_index(drop=True)


def harm_legend(reference: str, names: bool = True) -> str:
    """How to read a harm panel's direction and its ``!`` marks, for captions and headings.

    Args:
        reference: the reference scenario.
        names: outcome names (for tables) rather than plain-language labels (for prose).
    """
    lower = [o if names else figures.label(o) for o, w in HARM_HIGHER_IS_WORSE.items() if not w]
    exception = f" ({_join(lower)}: below {reference}'s)" if lower else ""
    return (
        "higher is worse"
        + (f", except {_join(lower)}" if lower else "")
        + f"; ! marks a clear harm, whose 95% CI lies above zero or above {reference}'s"
        + exception
    )


def harm_table(
    summary: pd.DataFrame, runs: pd.DataFrame, order: Sequence[str], digits: int = 3
) -> pd.DataFrame:
    """The harm panel as a printed table: one row per scenario, one column per harm.

    Columns are (harm, unit) pairs, the unit from :data:`sim.runs.outcomes.OUTCOMES`;
    cells are the mean over replicates rounded to ``digits`` decimals, with `` !`` after a
    clear harm (:func:`harm_findings`).
    """
    harms = harm_findings(summary, runs, order)
    names = [o for o in HARM_PANEL if o in set(summary.outcome)]
    columns = pd.MultiIndex.from_tuples(
        [(o, figures.unit(o)) for o in names], names=["harm", "unit"]
    )
    table = pd.DataFrame(index=pd.Index(list(order), name="scenario"), columns=columns)
    for row in harms.itertuples(index=False):
        value = f"{round(_tidy(row.mean), digits) + 0.0:.{digits}f}"  # no "-0.000"
        table.loc[row.scenario, (row.outcome, figures.unit(row.outcome))] = value + (
            " !" if row.clear else ""
        )
    return table


def _tidy(value: float) -> float:
    """A harm's number with rounding noise (within :data:`HARM_ZERO` of zero) set to zero."""
    return 0.0 if abs(value) <= HARM_ZERO else value


def _levels(name: str, values: Sequence[float]) -> tuple[list[str], str]:
    """Levels (not changes) as numbers, and the unit phrase that follows them in prose."""
    found = figures.unit(name)
    values = [_tidy(v) for v in values]
    if found.startswith("share of "):
        return [f"{fmt(v * 100.0, 2)}%" for v in values], f" of {found[len('share of ') :]}"
    if "GBP" in found:
        factor, scaled_unit = figures.scaled(name, np.abs(values))
        return [fmt(v * factor, 2) for v in values], f" {scaled_unit}"
    if found.startswith(("score", "index")):
        return [fmt(v, 2) for v in values], " on the 0-1 scale" if "0-1" in found else ""
    return [fmt(v, 2) for v in values], f" {found}" if found else ""


def _difference_words(row: Any) -> str:
    verb = "raised" if row.diff > 0 else "lowered"
    sign = 1.0 if row.diff > 0 else -1.0
    low, high = sorted((sign * row.diff_ci_low, sign * row.diff_ci_high))
    (size, low_text, high_text), suffix = _amount(row.outcome, [sign * row.diff, low, high])
    return (
        f"{verb} {figures.label(row.outcome)} by {size}{suffix} (95% CI {low_text} to {high_text})"
    )


def _harm_words(row: Any, reference: str) -> str:
    """One harm in words: its level with its interval, then how it stands to the reference."""
    (level, low, high), unit = _levels(row.outcome, [row.mean, row.ci_low, row.ci_high])
    interval = f"95% CI {low} to {high}" if row.n >= 2 else "one seed, no interval"
    text = f"{figures.label(row.outcome)} {level}{unit} ({interval}"
    if row.scenario == reference:
        return text + ")"
    significant = row.diff_ci_low > HARM_ZERO or row.diff_ci_high < -HARM_ZERO
    if not significant:
        return text + f"; not distinguishable from {reference}'s)"
    sign = 1.0 if row.diff > 0 else -1.0
    d_low, d_high = sorted((sign * row.diff_ci_low, sign * row.diff_ci_high))
    (size, d_low_text, d_high_text), suffix = _amount(
        row.outcome, [_tidy(sign * row.diff), _tidy(d_low), _tidy(d_high)]
    )
    side = "above" if row.diff > 0 else "below"
    where = (
        f"{size} {side} {reference}{suffix}"
        if suffix.startswith(" on the")
        else f"{size}{suffix} {side} {reference}"
    )
    return text + f"; {where}, 95% CI {d_low_text} to {d_high_text})"


def _harms_sentence(harms: pd.DataFrame, reference: str, top: int, who: str, whose: str) -> str:
    """The sentence that names a scenario's largest harms, or says it has none.

    Args:
        harms: the scenario's rows of :func:`harm_findings`, in their order.
        reference: the reference scenario.
        top: most harms named in full; the further clear ones are named by label.
        who: the scenario as a subject ("It").
        whose: the scenario as a possessive ("Its").
    """
    if harms.empty:
        return ""
    with_intervals = int(harms.n.min()) >= 2
    named = harms[harms.clear] if with_intervals else harms[harms.present]
    if named.empty:
        if not with_intervals:
            return f"{who} shows none of the harms in the panel on this seed."
        lower = [figures.label(o) for o, worse in HARM_HIGHER_IS_WORSE.items() if not worse]
        text = f"{who} has no clear harm: the 95% CI of every harm in the panel includes zero"
        if lower and harms.scenario.iloc[0] != reference:
            text += f", and {_join(lower)} is not below {reference}'s"
        return text + "."
    words = [_harm_words(r, reference) for r in named.head(top).itertuples()]
    which = "largest harms" if len(named) > 1 else "harm"
    if not with_intervals:
        which += " (one seed: no intervals, so none can be told apart from chance)"
    text = f"{whose} {which}: {_join(words)}."
    more = [figures.label(o) for o in named.outcome.iloc[top:]]
    if more:
        text += f" Also clearly harmful: {_join(more)}."
    return text


def _direction(part: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Which differences are better and which worse (:data:`HIGHER_IS_BETTER`)."""
    better = [HIGHER_IS_BETTER.get(o) for o in part.outcome]
    up = list(part["diff"] > 0)
    good = [b is not None and b == u for b, u in zip(better, up, strict=True)]
    bad = [b is not None and b != u for b, u in zip(better, up, strict=True)]
    return pd.Series(good, index=part.index), pd.Series(bad, index=part.index)


def compare_reading(
    summary: pd.DataFrame, runs: pd.DataFrame, order: Sequence[str], top: int = 3
) -> list[str]:
    """Plain-language paragraphs: each scenario's gains next to its harms.

    The reference's own harms come first. Then, for each other scenario, from its paired
    differences from the reference (:func:`compare_findings`) and its harm panel
    (:func:`harm_findings`):

    * its largest gains: differences whose 95% CI excludes zero in the direction
      :data:`sim.runs.outcomes.HIGHER_IS_BETTER` calls better, largest first;
    * its largest harms, each with its level, its interval and how it stands to the
      reference, and the further clear harms by name. A scenario with a clear harm is
      never described by its gains alone;
    * where it did worse than the reference on the other outcomes, and differences on
      outcomes that are neither better nor worse;
    * the outcomes whose difference from the reference is not distinguishable from zero.

    Args:
        summary: ``summary.csv`` of the comparison.
        runs: ``runs.csv`` (used to put differences in different units on one scale).
        order: scenarios, the reference first.
        top: most gains, harms and losses named in full per scenario.
    """
    reference = order[0]
    harms = harm_findings(summary, runs, order)
    own = harms[harms.scenario == reference] if len(harms) else harms
    own_text = _harms_sentence(
        own, reference, top, f"{reference}, the reference,", f"{reference}'s own"
    )
    if len(order) < 2:
        text = f"Only {reference} is in this comparison, so there is nothing to compare with."
        return [text, *([own_text] if own_text else [])]
    found = compare_findings(summary, runs, order)
    paragraphs = []
    if int(found.n.min()) < 2:
        paragraphs.append(
            "Each scenario ran on a single seed, so there are no confidence intervals and no "
            "difference can be told apart from chance; run cocreate compare with "
            "--replicates 2 or more."
        )
    if own_text:
        paragraphs.append(own_text)
    for name in order[1:]:
        part = found[found.scenario == name]
        good, bad = _direction(part)
        significant = part[part.significant]
        gains = part[part.significant & good]
        losses = part[part.significant & bad & ~part.outcome.isin(HARM_PANEL)]
        others = part[part.significant & ~good & ~bad]
        rest = part[~part.significant]
        if significant.empty:
            text = (
                f"Compared with {reference}, {name} made no difference distinguishable from "
                "zero: the 95% CI of every paired difference includes zero."
            )
        elif gains.empty:
            text = f"Compared with {reference}, {name} has no gain distinguishable from zero."
        else:
            named = [_difference_words(r) for r in gains.head(top).itertuples()]
            which = "largest gains" if len(gains) > 1 else "gain"
            text = f"Compared with {reference}, {name}'s {which}: it {_join(named)}."
            more = len(gains) - top
            if more > 0:
                text += f" It gained on {more} further outcome{'s' if more > 1 else ''}."
        mine = harms[harms.scenario == name] if len(harms) else harms
        harm_text = _harms_sentence(mine, reference, top, "It", "Its")
        if harm_text:
            text += " " + harm_text
        if not losses.empty:
            named = [_difference_words(r) for r in losses.head(top).itertuples()]
            text += f" It did worse than {reference}: it {_join(named)}."
            more = len(losses) - top
            if more > 0:
                text += f" It did worse on {more} further outcome{'s' if more > 1 else ''}."
        if not others.empty:
            named = [_difference_words(r) for r in others.itertuples()]
            text += f" It also {_join(named)}."
        if not significant.empty and not rest.empty:
            labels = [figures.label(o) for o in rest.outcome]
            text += (
                f" No difference from {reference} distinguishable from zero (95% CI includes "
                f"zero): {_join(labels)}."
            )
        paragraphs.append(text)
    closing = (
        "Differences are paired: every scenario ran on the same seeds (common random "
        "numbers). Gains, harms and losses are listed by the size of the difference from "
        f"{reference} relative to the outcome's spread over all runs."
    )
    if len(harms):
        lower = [figures.label(o) for o, worse in HARM_HIGHER_IS_WORSE.items() if not worse]
        closing += f" A harm is clear when its 95% CI lies above zero or above {reference}'s"
        closing += f"; for {_join(lower)}, below {reference}'s." if lower else "."
    paragraphs.append(closing)
    return paragraphs


def sweep_importance(indices: pd.DataFrame, method: str) -> pd.DataFrame:
    """Per outcome, the parameters by the main index (ST or mu*), most important first.

    ``matters`` is true where the index's 95% CI lies above zero (value - conf > 0).
    """
    key = "ST" if method == "sobol" else "mu_star"
    main = indices[indices["index"] == key].copy()
    main["conf"] = main["conf"].fillna(0.0)
    main["matters"] = (main.value - main.conf) > 0
    outcomes = list(dict.fromkeys(indices.outcome))
    main["rank"] = main.outcome.map({o: k for k, o in enumerate(outcomes)})
    main = main.sort_values(["rank", "value"], ascending=[True, False])
    return main.drop(columns="rank").reset_index(drop=True)


def sweep_reading(indices: pd.DataFrame, method: str, top: int = 3) -> list[str]:
    """Plain-language paragraphs: which inputs matter most for each outcome.

    Sobol: ranked by the total index ST (the share of the outcome's variance that the
    input causes, alone or with others); Morris: by mu* (the mean absolute elementary
    effect, in the outcome's units). An input "matters" if its index's 95% CI lies
    above zero.
    """
    key, name = ("ST", "total-effect index ST") if method == "sobol" else ("μ*", "μ*")
    ranked = sweep_importance(indices, method)
    paragraphs = []
    for outcome, part in ranked.groupby("outcome", sort=False):
        matters = part[part.matters]
        title = figures.label(str(outcome))
        if matters.empty:
            paragraphs.append(
                f"For {title}, no input has an {name} distinguishable from zero at this sample "
                "size; a larger N would narrow the intervals."
            )
            continue
        named = [
            f"{r.parameter} ({key} {fmt(r.value)} ± {fmt(r.conf)})"
            for r in matters.head(top).itertuples()
        ]
        text = f"For {title}, the inputs that matter most are {_join(named)}."
        if len(matters) == 1:
            text = f"For {title}, the input that matters most is {named[0]}."
        small = part[~part.matters].parameter.tolist()
        if small:
            text += f" Indistinguishable from no effect: {_join(small)}."
        if method == "sobol":
            first = indices[(indices.outcome == outcome) & (indices["index"] == "S1")]
            share = float(first.value.clip(lower=0).sum())
            text += (
                f" First-order effects add up to {fmt(min(share, 1.0) * 100)}% of the variance"
                + ("; the rest comes from interactions." if share < 0.9 else ".")
            )
        paragraphs.append(text)
    return paragraphs


RUN_READING = (
    "participation_rate",
    "volunteers",
    "mean_trust",
    "mean_wellbeing",
    "wellbeing_gap_q5_q1",
    "public_value",
    "service_quality",
)
"""Reporters whose start and end a run's reading compares."""


def run_reading(
    timeseries: pd.DataFrame, quintiles: pd.DataFrame, neighbourhoods: pd.DataFrame
) -> list[str]:
    """Plain-language paragraphs: how the main outcomes moved from start to end of a run."""
    first, last = timeseries.iloc[0], timeseries.iloc[-1]
    years = (int(last["step"]) - int(first["step"]) + 1) / WEEKS_PER_YEAR
    moves = []
    for column in RUN_READING:
        if column not in timeseries.columns:
            continue
        a, b = float(first[column]), float(last[column])
        if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            moves.append(f"{figures.label(column)} stayed at {_level(column, a)}")
            continue
        verb = "rose" if b > a else "fell"
        moves.append(
            f"{figures.label(column)} {verb} from {_level(column, a)} to {_level(column, b)}"
        )
    paragraphs = [
        f"Over {fmt(years)} year{'s' if years != 1 else ''} (week {int(first['step'])} to "
        f"week {int(last['step'])}), {_join(moves)}."
    ]
    extra = []
    if "burnouts" in timeseries.columns:
        extra.append(f"{fmt(float(timeseries['burnouts'].sum()))} volunteers burnt out")
    if "net_cost" in timeseries.columns:
        total = float(timeseries["net_cost"].sum())
        extra.append(
            f"the cumulative net cost was {_level('cumulative_net_cost', total)}"
            + (" (a surplus)" if total < 0 else "")
        )
    if extra:
        paragraphs.append(f"In all, {_join(extra)}.")
    if "participation_rate" in quintiles.columns:
        wide = quintiles.pivot(index="step", columns="quintile", values="participation_rate")
        gap0 = float(wide.iloc[0].iloc[-1] - wide.iloc[0].iloc[0])
        gap1 = float(wide.iloc[-1].iloc[-1] - wide.iloc[-1].iloc[0])
        trend = "widened" if abs(gap1) > abs(gap0) else "narrowed"
        paragraphs.append(
            "The participation gap between the highest and the lowest resource quintile "
            f"{trend} from {fmt(gap0 * 100)} to {fmt(gap1 * 100)} percentage points."
        )
    if "participation_rate" in neighbourhoods.columns:
        end = neighbourhoods[neighbourhoods.step == neighbourhoods.step.max()]
        low, high = end.participation_rate.min(), end.participation_rate.max()
        paragraphs.append(
            f"At the end, participation ranged from {fmt(low * 100)}% to {fmt(high * 100)}% "
            f"across the {len(end)} neighbourhoods."
        )
    return paragraphs


# --------------------------------------------------------------------------- tables


def _compare_tables(output: Output) -> list[tuple[str, pd.DataFrame]]:
    """The means and the paired differences, each as a headline table and a harm panel.

    In the harm panel's table of means, ``!`` marks a clear harm (:func:`harm_findings`).
    """
    summary, order = output.tables["summary.csv"], output.order
    reference = order[0]
    column = "diff"
    outcomes = list(dict.fromkeys(summary.outcome))
    means = pd.DataFrame(index=outcomes, columns=order, dtype=object)
    diffs = pd.DataFrame(index=outcomes, columns=order[1:], dtype=object)
    harms = harm_findings(summary, output.tables["runs.csv"], order)
    clear = (
        set(zip(harms.scenario[harms.clear], harms.outcome[harms.clear], strict=True))
        if len(harms)
        else set()
    )
    for row in summary.itertuples(index=False):
        if row.scenario not in order:
            continue
        marker = " !" if (row.scenario, row.outcome) in clear else ""
        means.loc[row.outcome, row.scenario] = (
            f"{fmt(row.mean)} [{fmt(row.ci_low)}, {fmt(row.ci_high)}]{marker}"
        )
        if row.scenario != reference and column in summary.columns:
            marker = " *" if row.diff_ci_low > 0 or row.diff_ci_high < 0 else ""
            diffs.loc[row.outcome, row.scenario] = (
                f"{fmt(getattr(row, column))} [{fmt(row.diff_ci_low)}, "
                f"{fmt(row.diff_ci_high)}]{marker}"
            )
    headline = [o for o in outcomes if o not in HARM_PANEL]
    harm_rows = [o for o in HARM_PANEL if o in outcomes]

    def rows(table: pd.DataFrame, names: list[str]) -> pd.DataFrame:
        part = table.loc[names].copy()
        part.index = [f"{o} ({figures.unit(o)})" if figures.unit(o) else o for o in names]
        part.index.name = "outcome (unit)"
        return part

    def worse(table: pd.DataFrame) -> pd.DataFrame:
        part = rows(table, harm_rows)
        part.insert(
            0, "worse when", ["higher" if HARM_HIGHER_IS_WORSE[o] else "lower" for o in harm_rows]
        )
        return part

    rule = harm_legend(reference)
    tables = [("Outcomes by scenario: mean [95% CI] over replicates", rows(means, headline))]
    if harm_rows:
        tables.append(
            (f"Harm panel by scenario: mean [95% CI] over replicates; {rule}", worse(means))
        )
    if len(order) > 1:
        caption = f"Paired difference from {reference}: mean [95% CI]; * where the CI excludes zero"
        tables.append((caption, rows(diffs, headline)))
        if harm_rows:
            tables.append(
                (
                    f"Harm panel, paired difference from {reference}: mean [95% CI]; "
                    "* where the CI excludes zero",
                    worse(diffs),
                )
            )
    return tables


def _sweep_tables(output: Output) -> list[tuple[str, pd.DataFrame]]:
    indices = output.tables["indices.csv"]
    method = str(output.manifest["experiment"].get("method"))
    tables = []
    for index in ("S1", "ST") if method == "sobol" else ("mu_star", "sigma"):
        part = indices[indices["index"] == index]
        if part.empty:
            continue
        cells = part.assign(
            cell=[
                fmt(v) + (f" ± {fmt(c)}" if math.isfinite(c) else "")
                for v, c in zip(part.value, part.conf, strict=True)
            ]
        )
        wide = cells.pivot(index="parameter", columns="outcome", values="cell")
        wide = wide.reindex(index=list(dict.fromkeys(part.parameter)))
        wide = wide[list(dict.fromkeys(part.outcome))]
        tables.append((f"{index} by parameter and outcome (± 95% CI)", wide))
    return tables


def _run_tables(output: Output) -> list[tuple[str, pd.DataFrame]]:
    ts = output.tables["timeseries.csv"]
    columns = [c for c in figures.RUN_PANELS if c in ts.columns]
    table = pd.DataFrame(
        {
            "unit": [figures.unit(c) for c in columns],
            f"week {int(ts.step.iloc[0])}": [fmt(float(ts[c].iloc[0])) for c in columns],
            f"week {int(ts.step.iloc[-1])}": [fmt(float(ts[c].iloc[-1])) for c in columns],
            "mean over the run": [fmt(float(ts[c].mean())) for c in columns],
        },
        index=pd.Index(columns, name="reporter"),
    )
    quint = output.tables["quintiles.csv"]
    end = quint[quint.step == quint.step.max()].set_index("quintile")
    shown = [c for c in (*figures.QUINTILE_PANELS, "volunteers") if c in end.columns]
    by_quintile = end[shown].map(fmt)
    by_quintile.index = [f"Q{int(q) + 1}" for q in by_quintile.index]
    by_quintile.index.name = "quintile (Q1 lowest resources)"
    return [
        ("Reporters at the start and end of the run", table),
        (f"By resource quintile, week {int(quint.step.max())}", by_quintile),
    ]


# --------------------------------------------------------------------------- figures


FigureSpec = tuple[str, str, Callable[[], "Figure"]]


def _figure_specs(output: Output) -> list[FigureSpec]:
    t = output.tables
    if output.kind == "compare":
        order = output.order
        summary = t["summary.csv"]
        specs: list[FigureSpec] = [
            (
                "timeseries",
                "Key reporters over time, one line per scenario: the mean over replicates "
                "with its 95% confidence band.",
                lambda: figures.timeseries_figure(t["timeseries.csv"], order),
            ),
            (
                "outcomes",
                "Outcomes by scenario: the mean over replicates with its 95% confidence interval.",
                lambda: figures.outcomes_figure(summary, order),
            ),
        ]
        if len(order) > 1:
            specs.append(
                (
                    "differences",
                    f"Paired difference of each scenario from {order[0]} (same seeds) with its "
                    "95% confidence interval; an interval that does not cross the dashed line "
                    "is a difference distinguishable from zero.",
                    lambda: figures.differences_figure(summary, order),
                )
            )
        return specs
    if output.kind == "sweep":
        method = str(output.manifest["experiment"].get("method"))
        what = (
            "first-order (S1) and total (ST) Sobol indices"
            if method == "sobol"
            else "Morris μ* (mean absolute elementary effect)"
        )
        return [
            (
                "indices",
                f"Sensitivity of each outcome to each input: {what}, with 95% confidence "
                "intervals as error bars; inputs sorted by importance.",
                lambda: figures.indices_figure(t["indices.csv"], method),
            )
        ]
    return [
        (
            "run",
            "Reporters over time for the whole municipality; the band spans the "
            "neighbourhoods (lowest to highest) where the reporter has a neighbourhood value.",
            lambda: figures.run_figure(t["timeseries.csv"], t["neighbourhoods.csv"]),
        ),
        (
            "quintiles",
            "Reporters by resource quintile over time; the grey band spans the quintiles.",
            lambda: figures.quintile_figure(t["quintiles.csv"]),
        ),
    ]


# --------------------------------------------------------------------------- manifest


def _experiment_name(output: Output) -> str:
    """The experiment's name: declared, else its file's stem (as :mod:`sim.runs.sweep` does)."""
    name = output.manifest["experiment"].get("name")
    source = output.manifest.get("source")
    return str(name or (Path(source).stem if source else output.folder.name))


def _manifest_rows(output: Output) -> list[tuple[str, str]]:
    m = output.manifest
    rows: list[tuple[str, str]] = [("kind", f"{output.kind} ({WRITTEN_BY[output.kind]})")]
    if output.kind == "compare":
        rows.append(("scenarios", ", ".join(m["scenarios"])))
        rows.append(("reference scenario", output.order[0]))
        rows.append(("seeds", ", ".join(str(s) for s in m["seeds"])))
        rows.append(("years", str(m.get("years") or "each scenario's own")))
        if m.get("failed"):
            rows.append(("failed runs (left out)", ", ".join(m["failed"])))
    elif output.kind == "sweep":
        e = m["experiment"]
        seed, replicates = int(e.get("seed", 0)), int(e.get("replicates", 1))
        rows += [
            ("experiment", _experiment_name(output)),
            ("method", str(e.get("method"))),
            ("base scenario", str(e.get("base", "baseline"))),
            ("parameters", ", ".join(e.get("parameters") or {})),
            ("outcomes", ", ".join(e.get("outcomes") or [])),
            ("N", str(e.get("N", ""))),
            ("seeds", ", ".join(str(seed + r) for r in range(replicates))),
            ("years", str(e.get("years") or "the base scenario's own")),
            ("runs", str(m.get("runs", ""))),
        ]
    else:
        scenario = m["scenario"]
        rows += [
            ("scenario", str(scenario.get("name", ""))),
            ("description", str(scenario.get("description", ""))),
            ("seeds", str(m["seed"])),
            ("engine", str(m.get("engine", ""))),
            ("years", str(m.get("years", ""))),
        ]
    rows += [
        ("package version", str(m.get("package_version") or "unknown")),
        ("git commit", str(m.get("git_commit") or "unknown")),
    ]
    if m.get("git_dirty"):
        rows.append(("uncommitted changes", "yes"))
    if m.get("run_seconds") is not None:
        rows.append(("run time", f"{m['run_seconds']} s"))
    return rows


# --------------------------------------------------------------------------- HTML

CSS = """
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; color: #222;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; }
p.meta { color: #666; margin-top: 0; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.9em; color: #444; margin-top: 0.4em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1.5em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e3e3; text-align: right; }
th { background: #f3f3f3; }
th:first-child, td:first-child { text-align: left; }
table.manifest td, table.manifest th { text-align: left; }
.reading p { margin: 0.6em 0; }
.note { color: #8a4b00; }
details pre { background: #f7f7f7; padding: 1em; overflow: auto; font-size: 0.8em; }
code { font-size: 0.95em; }
"""

TITLES = {
    "run": "Run report",
    "compare": "Comparison report",
    "sweep": "Sensitivity analysis report",
}


def _table_html(frame: pd.DataFrame) -> str:
    frame = frame.copy()
    frame.columns.name = None
    return frame.reset_index().to_html(border=0, escape=True, na_rep="", index=False)


def _css_width(png: bytes) -> int:
    """Display width in CSS pixels: 100 per inch of figure, so text looks the same size."""
    pixels = int.from_bytes(png[16:20], "big")  # IHDR width
    return round(pixels / figures.DPI * 100)


def render_html(
    output: Output,
    reading: list[str],
    tables: list[tuple[str, pd.DataFrame]],
    images: list[tuple[str, str, bytes]],
) -> str:
    """The report as one self-contained HTML document.

    Args:
        output: the loaded folder.
        reading: plain-language paragraphs.
        tables: (caption, table) pairs.
        images: (file stem, caption, PNG bytes), embedded as base64 data URIs.
    """
    e = html.escape
    if output.kind == "compare":
        subject = ", ".join(output.order)
    elif output.kind == "sweep":
        subject = _experiment_name(output)
    else:
        subject = str(output.manifest["scenario"].get("name", output.folder.name))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(TITLES[output.kind])}: {e(subject)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(TITLES[output.kind])}: {e(subject)}</h1>",
        f'<p class="meta">From <code>{e(str(output.folder))}</code>; generated '
        f"{datetime.now(UTC).isoformat(timespec='seconds')} by cocreate report.</p>",
        '<h2>Reading</h2><div class="reading">',
        *[f"<p>{e(p)}</p>" for p in reading],
        "</div>",
    ]
    if output.kind == "compare" and output.manifest.get("failed"):
        failed = ", ".join(output.manifest["failed"])
        parts.append(f'<p class="note">Failed runs left out of every table: {e(failed)}.</p>')
    parts.append("<h2>Figures</h2>")
    for number, (stem, caption, png) in enumerate(images, start=1):
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure id="{e(stem)}"><img alt="{e(caption)}" width="{_css_width(png)}" '
            f'src="data:image/png;base64,{data}">'
            f"<figcaption><b>Figure {number}.</b> {e(caption)} "
            f"Files: <code>{e(stem)}.png</code>, <code>{e(stem)}.pdf</code>.</figcaption></figure>"
        )
    parts.append("<h2>Summary tables</h2>")
    for caption, frame in tables:
        parts.append(f"<h3>{e(caption)}</h3>{_table_html(frame)}")
    parts.append('<h2>Manifest</h2><table class="manifest"><tbody>')
    for key, value in _manifest_rows(output):
        parts.append(f"<tr><th>{e(key)}</th><td>{e(value)}</td></tr>")
    parts.append("</tbody></table>")
    raw = json.dumps(output.manifest, indent=2, ensure_ascii=False)
    parts.append(f"<details><summary>manifest.json</summary><pre>{e(raw)}</pre></details>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def reading_for(output: Output) -> list[str]:
    """The plain-language reading of a loaded folder."""
    t = output.tables
    if output.kind == "compare":
        return compare_reading(t["summary.csv"], t["runs.csv"], output.order)
    if output.kind == "sweep":
        return sweep_reading(t["indices.csv"], str(output.manifest["experiment"].get("method")))
    return run_reading(t["timeseries.csv"], t["quintiles.csv"], t["neighbourhoods.csv"])


def build_report(folder: str | Path, out: str | Path | None = None, progress: bool = False) -> Path:
    """Write the figures (PNG and PDF) and ``report.html`` for an output folder.

    Args:
        folder: the output folder of ``cocreate run``, ``compare`` or ``sweep``.
        out: where to write; ``folder/report`` if None.
        progress: show a progress bar over the figures (on a terminal only).

    Returns:
        The path of ``report.html``.

    Raises:
        ReportError: the folder is not a complete cocreate output, or ``out`` cannot be
            written.
    """
    from tqdm import tqdm

    output = load(folder)
    target = Path(out) if out is not None else output.folder / "report"
    try:
        check_folder(target, "report")  # not into another command's folder
    except FolderError as exc:
        raise ReportError(str(exc)) from None
    reading = reading_for(output)
    tables = {
        "compare": _compare_tables,
        "sweep": _sweep_tables,
        "run": _run_tables,
    }[output.kind](output)
    images = []
    specs = _figure_specs(output)
    bar = tqdm(
        specs,
        unit="figure",
        file=sys.stderr,
        leave=False,
        disable=not (progress and sys.stderr.isatty()),
    )
    try:
        mark_folder(target, "report")
        for stem, caption, draw in bar:
            bar.set_postfix_str(stem)
            png, _pdf = figures.save(draw(), target / stem)
            images.append((stem, caption, png.read_bytes()))
        path = target / "report.html"
        atomic_write_text(path, render_html(output, reading, tables, images))
    except OSError as exc:
        where = exc.filename or target
        raise ReportError(f"{where}: cannot write: {exc.strerror or exc}") from None
    finally:
        bar.close()
    return path


# --------------------------------------------------------------------------- quick looks

QUICK_LOOKS: dict[str, tuple[str, ...]] = {
    "run": (),
    "compare": ("comparison.png", "outcomes.png"),
    "sweep": ("indices.png",),
}
"""The quick-look PNGs :func:`quick_looks` writes, by kind of output folder."""


def _quick_look_figures(output: Output) -> list[tuple[str, Callable[[], Figure]]]:
    t = output.tables
    if output.kind == "compare":
        order = output.order
        return [
            ("comparison.png", lambda: figures.timeseries_figure(t["timeseries.csv"], order)),
            ("outcomes.png", lambda: figures.outcomes_figure(t["summary.csv"], order)),
        ]
    if output.kind == "sweep":
        method = str(output.manifest["experiment"].get("method"))
        return [("indices.png", lambda: figures.indices_figure(t["indices.csv"], method))]
    return []


def quick_looks(folder: str | Path) -> list[Path]:
    """Write the quick-look PNGs of a compare or sweep folder, drawn from its tables.

    A comparison gets ``comparison.png`` (key reporters over time, one line per
    scenario: the mean over seeds with its 95% confidence band;
    :func:`~sim.present.figures.timeseries_figure`) and ``outcomes.png`` (outcome by
    scenario with 95% confidence intervals; :func:`~sim.present.figures.outcomes_figure`);
    a sweep gets ``indices.png`` (S1 and ST, or mu*, per parameter with their confidence
    intervals; :func:`~sim.present.figures.indices_figure`); a run folder gets none (see
    :data:`QUICK_LOOKS`). Each is a PNG at :data:`~sim.present.figures.QUICK_LOOK_DPI`,
    written atomically into ``folder``.

    Args:
        folder: the output folder of ``cocreate compare`` or ``cocreate sweep``.

    Returns:
        The paths written.

    Raises:
        ReportError: the folder is not a complete cocreate output (:func:`load`).
    """
    output = load(folder)
    written = []
    for name, draw in _quick_look_figures(output):
        path = output.folder / name
        atomic_write_bytes(path, figures.png_bytes(draw(), dpi=figures.QUICK_LOOK_DPI))
        written.append(path)
    return written
