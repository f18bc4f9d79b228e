"""The ``cocreate`` command line.

Subcommands:

* ``cocreate validate FILE [FILE...]`` – check scenario files, one line per problem;
* ``cocreate run SCENARIO [--seed N] [--years Y] [--context PRESET] [--engine E] [--out DIR]``
  – run one scenario and write ``timeseries.csv``, ``neighbourhoods.csv``,
  ``quintiles.csv`` and ``manifest.json`` (:func:`sim.runs.run.run`);
* ``cocreate compare [SCENARIO...] [--replicates R] [--seed N] [--years Y] [--citizens C]
  [--context PRESET] [--workers W] [--out DIR]`` – run scenarios on the same seeds and
  compare them (default: every bundled strategy; :func:`sim.runs.compare.compare`), with the
  quick-look ``comparison.png`` and ``outcomes.png``;
* ``cocreate list`` – the bundled scenarios with their descriptions, grouped as
  context presets, strategies and shared bases (:mod:`sim.core.catalogue`);
* ``cocreate sweep EXPERIMENT --out DIR [--workers W]`` – global sensitivity analysis
  (SALib Sobol or Morris) declared in an experiment file (:func:`sim.runs.sweep.sweep`),
  with the quick-look ``indices.png``;
* ``cocreate discover DIR --outcome O --threshold T [--below] [--boxes K]`` – scenario
  discovery (PRIM) on a completed sweep: where an outcome fails;
* ``cocreate dashboard [SCENARIO] [--host H] [--port P] [--citizens C]`` – an
  interactive dashboard in the browser (Mesa SolaraViz);
* ``cocreate report DIR [--out OUT]`` – publication figures (PNG and PDF) and one
  self-contained ``report.html`` for the output folder of run, compare or sweep.

Before a model is built, its memory and time are estimated
(:mod:`sim.core.footprint`): a run is announced above the warning thresholds and refused
when it needs more memory than the machine has free (``--force`` runs it anyway), and
``--workers`` is cut to what the memory allows.

* ``cocreate params [--section S]`` – every parameter with its unit, default, allowed
  and plausible ranges, and source.

One grammar: every command takes ``-q`` (no progress, no notes) and ``-v`` (notes on what
is read and written); every command that runs a scenario takes ``--citizens``,
``--years`` and ``--set KEY=VALUE`` (repeatable, validated like a scenario file); the
commands that print a summary print it as JSON with ``--json``.

Exit codes (:data:`EXIT_CODES`, listed in ``--help``): 0 success, 1 failure while
running (a disk that fills up or goes away included, in one line), 2 invalid input (bad
scenario or usage), 130 interrupted.

Adding a subcommand (``compare``, ``sweep``, ``discover``, ``list``, ``report``,
``dashboard``...): write ``_add_<name>(subparsers)`` that creates its parser and calls
``parser.set_defaults(func=<handler>)`` with a handler ``(args) -> int``, and append it
to :data:`SUBCOMMANDS`. Handlers load scenarios with :func:`load_scenario_or_report`
so that every command refuses invalid files the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.core import footprint
from sim.core.catalogue import bundled_strategies, in_context, scenario_kind, strategy_sort_key
from sim.core.io import package_version
from sim.core.params import DEFAULT_ENGINE, DEFAULT_SEED, ENGINES, WEEKS_PER_YEAR
from sim.core.rng import SEED_MAX
from sim.core.scenario import Scenario, ScenarioError, bundled_scenarios, load_scenario
from sim.runs.store import MAX_RUNS

__all__ = ["EXIT_FAILURE", "EXIT_INTERRUPTED", "EXIT_INVALID", "SUBCOMMANDS", "main"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130

EXIT_CODES = """exit codes:
  0    success
  1    failure while running (a disk that fills up or goes away, a failed run)
  2    invalid input: a bad scenario, experiment, option or --set (one line each)
  130  interrupted (Ctrl+C)"""
"""The exit codes, as ``--help`` lists them under every command."""

RESULTS_DIR = Path("results")

SUMMARY_REPORTERS: tuple[tuple[str, str], ...] = (
    ("participation_rate", "participation rate"),
    ("volunteers", "volunteers"),
    ("burnouts", "burnouts (total)"),
    ("mean_trust", "mean trust"),
    ("public_value", "public value"),
    ("net_cost", "net cost"),
)
"""Reporters shown after a run: (column, label). Missing columns are skipped."""


# --------------------------------------------------------------------------- helpers


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _note(args: argparse.Namespace, message: str) -> None:
    """A note on what is read or written, shown with ``-v``."""
    if getattr(args, "verbose", False):
        print(f"note: {message}", file=sys.stderr)


def _print_json(data: Any) -> None:
    """Print a summary as JSON (``--json``): plain numbers, NaN as null."""
    import json

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if hasattr(value, "item"):  # numpy scalars
            value = value.item()
        if isinstance(value, float) and value != value:
            return None
        return value

    print(json.dumps(plain(data), indent=2))


def _add_common(p: argparse.ArgumentParser, json_summary: bool = False) -> None:
    """The options every command takes: -q/-v, and --json where it prints a summary."""
    loud = p.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="no progress bars or notes")
    loud.add_argument(
        "-v", "--verbose", action="store_true", help="notes on what is read and written"
    )
    if json_summary:
        p.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")


def _subparser(
    subparsers: argparse._SubParsersAction, name: str, **kwargs: Any
) -> argparse.ArgumentParser:
    """A subcommand's parser, its help ending with the exit codes."""
    return subparsers.add_parser(
        name, epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs
    )


def _add_scenario_options(p: argparse.ArgumentParser) -> None:
    """The options of every command that runs a scenario: --citizens, --years, --set."""
    p.add_argument("--citizens", type=int, default=None, help="override the population size")
    p.add_argument("--years", type=int, default=None, help="override the scenario's years")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="settings",
        help="set a parameter (outreach=0.5, levers.outreach=0.5, mechanisms.trust=false); "
        "repeatable; validated like a scenario file",
    )


def parse_settings(settings: Sequence[str]) -> dict[str, Any] | None:
    """``--set KEY=VALUE`` options as ``{key: value}``; None, reported, if one is malformed.

    A value is read as YAML (``0.5``, ``12``, ``true``), as in a scenario file.
    """
    import yaml

    found: dict[str, Any] = {}
    for setting in settings:
        key, sep, text = setting.partition("=")
        if not sep or not key.strip():
            _err(f"--set {setting}: expected KEY=VALUE, as in --set outreach=0.5")
            return None
        try:
            value = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError:
            value = text
        found[key.strip()] = value
    return found


def with_options(
    scenario: Scenario, args: argparse.Namespace, years: bool = True
) -> Scenario | None:
    """``scenario`` with ``--citizens``, ``--years`` and ``--set``; None, reported, if invalid.

    Each problem is one line naming the option, what was given and what is allowed.
    """
    options: list[tuple[str, dict[str, Any]]] = []
    if getattr(args, "citizens", None) is not None:
        options.append(("--citizens", {"citizens": args.citizens}))
    if years and getattr(args, "years", None) is not None:
        options.append(("--years", {"years": args.years}))
    for setting in getattr(args, "settings", []) or []:
        parsed = parse_settings([setting])
        if parsed is None:
            return None
        options.append((f"--set {setting}", parsed))
    if not options:
        return scenario
    combined = {key: value for _, change in options for key, value in change.items()}
    try:
        changed = scenario.with_overrides(combined)
    except ScenarioError as exc:
        # Name the options that are wrong on their own; if none is, they clash together.
        lines = []
        for label, change in options:
            try:
                scenario.with_overrides(change)
            except ScenarioError as own:
                lines.append(_option_problem(label, own.problems[0]))
        if not lines:
            labels = " with ".join(label for label, _ in options)
            lines.append(_option_problem(labels, exc.problems[0]))
        for line in lines:
            _err(line)
        return None
    _note(args, f"{scenario.name}: " + ", ".join(label for label, _ in options))
    return changed


def _option_problem(label: str, problem: Any) -> str:
    """One line: the option, the key a --set names, and what is allowed."""
    key = problem.key_path
    named = label.startswith("--set") and key and not problem.message.startswith("unknown")
    return f"{label}: {key}: {problem.message}" if named else f"{label}: {problem.message}"


def load_scenario_or_report(ref: str) -> Scenario | None:
    """Load a scenario; on failure print one line per problem to stderr.

    Args:
        ref: a path or a bundled scenario name.

    Returns:
        The scenario, or ``None`` if it is invalid (the problems have been printed).
    """
    try:
        return load_scenario(ref)
    except ScenarioError as exc:
        for problem in exc.problems:
            _err(str(problem))
    except OSError as exc:
        _err(f"{ref}: cannot read: {exc.strerror or exc}")
    return None


def _where(scenario: Scenario) -> str:
    """The file a scenario came from, as messages name it (its name if it has none)."""
    if scenario.path is None:
        return scenario.name
    try:
        relative = os.path.relpath(scenario.path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(scenario.path)
    return str(scenario.path) if relative.startswith("..") else relative


Run = tuple[Scenario, dict[str, Any], int]
"""A run to be made, for :func:`_fits`: its scenario, its parameter values and weeks."""


def _fits(runs: Sequence[Run], workers: int, force: bool, where: str | None = None) -> int | None:
    """Check that the runs fit in memory before any is built.

    The largest run's estimate (:func:`sim.core.footprint.footprint`) is announced above
    the warning thresholds, and refused above the memory available unless ``force``;
    ``workers`` is cut to what the memory allows, each worker taking
    :data:`sim.core.footprint.WORKER_BYTES` and one run (not with ``force``). A refusal
    names ``where`` (a file and key), or the largest run's file and its citizens.

    Returns:
        The number of workers to use, or None if refused (the reason is printed).
    """
    if not runs:
        return workers
    estimates = [(footprint.footprint(v, weeks), s, v) for s, v, weeks in runs]
    biggest, scenario, values = max(estimates, key=lambda e: e[0].bytes)
    where = where or f"{_where(scenario)}: municipality.citizens"
    size = f"{int(values['citizens']):,} citizens with network_degree {values['network_degree']:g}"
    available = footprint.available_memory()
    if available is not None and biggest.bytes > available:
        if not force:
            _err(
                f"{where}: {size} need {biggest.describe()} a run; "
                f"{footprint.format_bytes(available)} of memory is available. Use fewer "
                "citizens or ties, or --force to try anyway"
            )
            return None
        _err(f"note: {size} need {biggest.describe()} a run, more than the memory available")
    elif (
        biggest.bytes > footprint.MEMORY_WARN_BYTES or biggest.seconds > footprint.TIME_WARN_SECONDS
    ):
        _err(f"note: {size} take {biggest.describe()} a run")
    if workers > 1 and available is not None and not force:
        each = footprint.WORKER_BYTES + biggest.bytes
        allowed = max(1, int(available // each))
        if workers > allowed:
            _err(
                f"--workers: {workers} workers would need about "
                f"{footprint.format_bytes(workers * each)} "
                f"({footprint.format_bytes(footprint.WORKER_BYTES)} each and "
                f"{footprint.format_bytes(biggest.bytes)} a run); "
                f"{footprint.format_bytes(available)} is available, so {allowed} "
                f"{'is' if allowed == 1 else 'are'} used"
            )
            return allowed
    return workers


def _final_values(ts: pd.DataFrame) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    if ts.empty:
        return out
    last = ts.iloc[-1]
    for column, label in SUMMARY_REPORTERS:
        if column == "burnouts":
            if "burnouts_total" in ts.columns:
                out.append((label, last["burnouts_total"]))
            elif "burnouts" in ts.columns:
                out.append((label, ts["burnouts"].sum()))  # a weekly count
        elif column in ts.columns:
            out.append((label, last[column]))
    return out


def _fmt_value(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.4g}" if abs(number) < 1e4 else f"{number:,.0f}"


# --------------------------------------------------------------------------- validate


def _cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    checked = []
    for ref in args.files:
        scenario = load_scenario_or_report(ref)
        if scenario is None:
            status = EXIT_INVALID
        elif not args.json:
            print(f"{ref}: ok")
        if scenario is not None:
            _note(args, f"{ref}: {_where(scenario)}, {scenario.years} years")
        checked.append({"file": ref, "ok": scenario is not None})
    if args.json:
        _print_json(checked)
    return status


def _add_validate(subparsers: argparse._SubParsersAction) -> None:
    p = _subparser(
        subparsers,
        "validate",
        help="check scenario files",
        description="Check scenario files; print 'FILE: ok' or one line per problem.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario file or bundled name")
    _add_common(p, json_summary=True)
    p.set_defaults(func=_cmd_validate)


# --------------------------------------------------------------------------- run


def _seed_ok(seed: int, count: int = 1) -> bool:
    """The seeds ``seed`` to ``seed + count - 1`` are allowed (0 to 2**64 - 1)."""
    if seed < 0 or seed > SEED_MAX:
        _err(f"--seed: {seed} is out of range; allowed a non-negative integer up to {SEED_MAX}")
        return False
    if seed + count - 1 > SEED_MAX:
        _err(
            f"--seed: {seed} with {count} replicates reaches seed {seed + count - 1}; "
            f"allowed seeds up to {SEED_MAX}"
        )
        return False
    return True


def in_context_or_report(scenarios: list[Scenario], preset: str | None) -> list[Scenario] | None:
    """The scenarios in the place ``preset`` describes (``--context``); None, reported, if not.

    A bundled name must be a context preset (``municipality_*``); a file is read for its
    ``municipality`` and ``uncertainties`` settings (:func:`sim.core.catalogue.in_context`).
    """
    if preset is None:
        return scenarios
    bundled = bundled_scenarios()
    if preset in bundled and scenario_kind(preset) != "preset":
        presets = ", ".join(n for n in bundled if scenario_kind(n) == "preset")
        _err(
            f"--context: '{preset}' is a {scenario_kind(preset)}; "
            f"allowed a context preset ({presets})"
        )
        return None
    try:
        return [in_context(s, preset) for s in scenarios]
    except ScenarioError as exc:
        for problem in exc.problems:
            _err(f"--context: {problem}")
        return None


def _cmd_run(args: argparse.Namespace) -> int:
    if not _seed_ok(args.seed):
        return EXIT_INVALID
    scenario = load_scenario_or_report(args.scenario)
    if scenario is None:
        return EXIT_INVALID
    placed = in_context_or_report([scenario], args.context)
    if placed is None:
        return EXIT_INVALID
    scenario = with_options(placed[0], args)
    if scenario is None:
        return EXIT_INVALID
    seed: int = args.seed
    if _fits([(scenario, scenario.flat_params(), scenario.weeks)], 1, args.force) is None:
        return EXIT_INVALID
    out = Path(args.out) if args.out else RESULTS_DIR / f"{scenario.name}-seed{seed}"
    try:
        importlib.import_module("sim.model")
    except ImportError as exc:
        _err(f"cocreate run: the model (sim.model) cannot be imported: {exc}")
        return EXIT_FAILURE
    from sim.runs.folders import FolderError
    from sim.runs.run import run

    try:
        with _progress_bar(sys.stderr.isatty() and not args.quiet, "week") as progress:
            result = run(scenario, out, seed=seed, engine=args.engine, progress=progress)
    except FolderError as exc:  # found before the model is built
        _err(f"--out: {exc}")
        return EXIT_INVALID
    elapsed = result.seconds
    _note(args, f"wrote {', '.join(result.manifest['files'])} and manifest.json to {out}")
    values = _final_values(result.timeseries)
    if args.json:
        _print_json(
            {
                "scenario": scenario.name,
                "seed": seed,
                "years": scenario.years,
                "engine": args.engine,
                "seconds": round(elapsed, 3),
                "final": dict(values),
                "outcomes": result.outcomes,
                "out": str(out),
            }
        )
        return EXIT_OK
    print(
        f"{scenario.name}: seed {seed}, {scenario.years} year{'s' if scenario.years != 1 else ''} "
        f"({scenario.weeks} weeks), "
        f"engine {args.engine}, {elapsed:.1f} s"
    )
    width = max((len(label) for label, _ in values), default=0)
    for label, value in values:
        print(f"  {label:<{width}}  {_fmt_value(value)}")
    print(f"results in {out} (outcomes.json; each table's columns in NAME.columns.json)")
    return EXIT_OK


def _add_run(subparsers: argparse._SubParsersAction) -> None:
    p = _subparser(
        subparsers,
        "run",
        help="run one scenario",
        description="Run one scenario and write its tables (from week 0), their data "
        "dictionaries, outcomes.json and a manifest.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file or bundled name")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 0)")
    _add_scenario_options(p)
    p.add_argument(
        "--context",
        default=None,
        metavar="PRESET",
        help="run in another place: a context preset (e.g. municipality_stange) whose "
        "municipality and uncertainties replace the scenario's, but for the cuts a strategy "
        "answered (budget_pressure); the run is named SCENARIO.PLACE",
    )
    p.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE, help="step engine")
    p.add_argument("--out", default=None, help="output folder (default results/NAME-seedN)")
    _add_common(p, json_summary=True)
    _add_force(p)
    p.set_defaults(func=_cmd_run)


# --------------------------------------------------------------------------- compare


def _cmd_compare(args: argparse.Namespace) -> int:
    if args.replicates < 1 or args.replicates > MAX_RUNS:
        _err(f"--replicates: {args.replicates} is out of range; allowed 1 to {MAX_RUNS:,}")
        return EXIT_INVALID
    if not _seed_ok(args.seed, args.replicates):
        return EXIT_INVALID
    refs = args.scenarios or bundled_strategies()
    loaded = [load_scenario_or_report(ref) for ref in refs]
    if any(s is None for s in loaded):
        return EXIT_INVALID
    scenarios = in_context_or_report([s for s in loaded if s is not None], args.context)
    if scenarios is None:
        return EXIT_INVALID
    placed: list[Scenario] = []
    for s in scenarios:  # the first scenario an option does not fit is reported, once
        fitted = with_options(s, args, years=False)
        if fitted is None:
            return EXIT_INVALID
        placed.append(fitted)
    scenarios = placed
    if args.years is not None and not 1 <= args.years <= 100:
        _err(f"--years: {args.years} is out of range; allowed 1 to 100")
        return EXIT_INVALID
    from sim.runs.compare import ScenarioConflict, compare, distinct

    try:
        once = distinct(scenarios, args.years)
    except ScenarioConflict as exc:
        _err(str(exc))
        return EXIT_INVALID
    for name in dict.fromkeys(s.name for s in scenarios):
        listed = sum(s.name == name for s in scenarios)
        if listed > 1:
            _err(f"{name}: listed {listed} times; run once")
    scenarios = once
    if len(scenarios) * args.replicates > MAX_RUNS:
        _err(
            f"--replicates: {len(scenarios)} scenarios times {args.replicates} replicates is "
            f"more than {MAX_RUNS:,} runs; allowed up to {MAX_RUNS:,}"
        )
        return EXIT_INVALID

    out = Path(args.out)
    seeds = [args.seed + k for k in range(args.replicates)]
    if not _workers_ok(args.workers):
        return EXIT_INVALID
    weeks = (args.years or 0) * WEEKS_PER_YEAR
    runs = [(s, s.flat_params(), weeks or s.weeks) for s in scenarios]
    workers = _fits(runs, args.workers, args.force)
    if workers is None:
        return EXIT_INVALID
    code, result = _run_batch(
        args,
        lambda show: compare(
            scenarios,
            out,
            seeds=seeds,
            years=args.years,
            progress=show,
            workers=workers,
            scheduler=args.scheduler,
            notify=_err,
        ),
        show_progress=not args.quiet,
    )
    if code is not None:
        return code
    table, failures = result
    _report_failures(failures)
    if table.empty:
        return EXIT_FAILURE
    if not _quick_looks(out):
        return EXIT_FAILURE
    from sim.present.figures import OUTCOME_PANELS
    from sim.present.report import harm_legend, harm_table, load

    # The outcomes the comparison draws, and the public value it does not.
    columns = [*OUTCOME_PANELS, "mean_public_value"]
    done = load(out)
    if args.json:
        summary = done.tables["summary.csv"]
        _print_json(
            {
                "scenarios": done.order,
                "reference": done.order[0],
                "seeds": seeds,
                "outcomes": table.reset_index().to_dict(orient="records"),
                "summary": summary.to_dict(orient="records"),
                "failed": [f.get("label", f["key"]) for f in failures],
                "out": str(out),
            }
        )
        return EXIT_OK
    harms = harm_table(done.tables["summary.csv"], done.tables["runs.csv"], done.order)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print("headline outcomes: mean over replicates")
        print(table[columns].round(3).to_string())
        print(f"\nharms: mean over replicates; {harm_legend(done.order[0])}")
        print(harms.to_string())
    print(
        f"results in {out} (comparison.csv, summary.csv, runs.csv, timeseries.csv, "
        "comparison.png, outcomes.png; each table's columns in NAME.columns.json)"
    )
    return EXIT_OK


def _quick_looks(folder: Path) -> bool:
    """Draw the quick-look PNGs of a finished compare or sweep; False (reported) if not."""
    from sim.present.report import ReportError, quick_looks

    try:
        quick_looks(folder)
    except ReportError as exc:
        _err(f"cannot draw the quick-look figures: {exc}")
        return False
    return True


@contextlib.contextmanager
def _progress_bar(show: bool, unit: str) -> Iterator[Callable[[int, int], None] | None]:
    """A tqdm bar (done, time remaining) fed by (done, total) calls; None if not shown."""
    if not show:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(unit=unit, file=sys.stderr, leave=False, disable=not sys.stderr.isatty())

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()


def _run_batch(
    args: argparse.Namespace,
    work: Callable[[Callable[[int, int], None] | None], Any],
    show_progress: bool = True,
) -> tuple[int | None, Any]:
    """Run a batch of runs with a progress bar; turn the store's refusals into exit codes.

    Returns:
        (None, what ``work`` returned), or (exit code, None) after printing why.
    """
    from sim.runs.folders import FolderError
    from sim.runs.store import StoreCorrupt, StoreMismatch, WorkerLost

    try:
        with _progress_bar(show_progress, "runs") as show:
            return None, work(show)
    except FolderError as exc:  # found before the first run
        _err(f"--out: {exc}")
        return EXIT_INVALID, None
    except StoreMismatch as exc:
        _err(str(exc))
        return EXIT_INVALID, None
    except (WorkerLost, StoreCorrupt) as exc:
        _err(str(exc))
        return EXIT_FAILURE, None
    except (OSError, TimeoutError) as exc:
        if not args.scheduler:
            raise
        _err(f"--scheduler: cannot reach {args.scheduler}: {exc}")
        return EXIT_INVALID, None


def _report_failures(failures: list[dict[str, Any]]) -> None:
    for failure in failures:
        last = failure["error"].strip().splitlines()[-1]
        _err(f"failed run {failure.get('label', failure['key'])}: {last}")


def _add_workers(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="local processes (default: up to 2); results do not depend on it",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on a dask.distributed cluster (e.g. tcp://host:8786) instead",
    )


def _add_force(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force",
        action="store_true",
        help="run even if the estimated memory is more than the machine has free, and do "
        "not cut --workers to what the memory allows",
    )


def _workers_ok(workers: int) -> bool:
    if workers < 1:
        _err(f"--workers: {workers} is out of range; allowed 1 or more")
        return False
    return True


def _add_compare(subparsers: argparse._SubParsersAction) -> None:
    p = _subparser(
        subparsers,
        "compare",
        help="compare strategies on the same population and seeds",
        description="Run scenarios on the same seeds (common random numbers) and compare them.",
    )
    p.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO",
        help="files or bundled names (default: all strategies). A scenario listed twice "
        "(same name, same content) is run once; two different scenarios with one name are "
        "refused, naming both files",
    )
    p.add_argument("--replicates", type=int, default=1, help="seeds per scenario (default 1)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="first seed (default 0)")
    _add_scenario_options(p)
    p.add_argument(
        "--context",
        default=None,
        metavar="PRESET",
        help="run in another place: a context preset (e.g. municipality_stange) whose "
        "municipality and uncertainties replace each scenario's, but for the cuts a strategy "
        "answered (budget_pressure); the run is named SCENARIO.PLACE; --citizens still wins",
    )
    _add_workers(p)
    p.add_argument("--out", default=str(RESULTS_DIR / "compare"), help="output folder")
    _add_common(p, json_summary=True)
    _add_force(p)
    p.set_defaults(func=_cmd_compare)


# --------------------------------------------------------------------------- list

LIST_GROUPS: tuple[tuple[str, str], ...] = (
    ("preset", "Presets (context: the place; municipality_*.yaml)"),
    ("strategy", "Strategies (levers; `cocreate compare` runs these, in this order)"),
    ("base", "Bases (shared settings that strategies extend; _*.yaml, not run)"),
)
"""Groups of ``cocreate list``: (kind, heading)."""


def _cmd_list(args: argparse.Namespace) -> int:
    paths = bundled_scenarios()
    if not paths:
        _err("cocreate list: no bundled scenarios found (looked for scenarios/*.yaml)")
        return EXIT_FAILURE
    status = EXIT_OK
    rows: dict[str, list[tuple[str, str]]] = {kind: [] for kind, _ in LIST_GROUPS}
    for name, path in paths.items():
        try:
            description = load_scenario(path).description
        except ScenarioError as exc:
            for problem in exc.problems:
                _err(str(problem))
            description, status = f"(invalid; run: cocreate validate {name})", EXIT_INVALID
        rows[scenario_kind(name)].append((name, description))
    rows["strategy"].sort(key=lambda row: strategy_sort_key(row[0]))
    _note(args, f"bundled scenarios in {next(iter(paths.values())).parent}")
    if args.json:
        _print_json(
            [
                {"name": name, "kind": kind, "description": description}
                for kind, _ in LIST_GROUPS
                for name, description in rows[kind]
            ]
        )
        return status
    width = max(len(name) for name in paths)
    first = True
    for kind, heading in LIST_GROUPS:
        if not rows[kind]:
            continue
        if not first:
            print()
        first = False
        print(f"{heading}:")
        for name, description in rows[kind]:
            print(f"  {name:<{width}}  {description}".rstrip())
    return status


def _add_list(subparsers: argparse._SubParsersAction) -> None:
    p = _subparser(
        subparsers,
        "list",
        help="list the bundled scenarios",
        description="List the bundled scenarios with their descriptions: context presets, "
        "strategies and shared bases.",
    )
    _add_common(p, json_summary=True)
    p.set_defaults(func=_cmd_list)


# --------------------------------------------------------------------------- params


def _span(low: float, high: float, kind: str) -> str:
    from sim.docs import format_value

    return f"{format_value(low, kind)} to {format_value(high, kind)}"


def _cmd_params(args: argparse.Namespace) -> int:
    from sim.core.params import SECTIONS, params_in
    from sim.docs import format_value

    sections = SECTIONS if args.section is None else (args.section,)
    chosen = [p for section in sections for p in params_in(section)]
    if args.json:
        _print_json(
            [
                {
                    "name": p.name,
                    "section": p.section,
                    "kind": p.kind,
                    "unit": p.unit,
                    "default": p.default,
                    "allowed": [p.low, p.high],
                    "plausible": list(p.plausible_range),
                    "meaning": p.doc,
                    "source": p.full_source,
                }
                for p in chosen
            ]
        )
        return EXIT_OK
    width = max(len(p.name) for p in chosen)
    for section in sections:
        print(f"{section}:")
        print(f"  {'name':<{width}}  {'default':>9}  {'unit':<20}  {'allowed':<22}  plausible")
        for p in params_in(section):
            allowed = _span(p.low, p.high, p.kind)
            plausible = _span(*p.plausible_range, p.kind)
            print(
                f"  {p.name:<{width}}  {format_value(p.default, p.kind):>9}  {p.unit:<20}  "
                f"{allowed:<22}  {plausible}"
            )
            if not args.quiet:
                print(f"  {'':<{width}}  {p.doc}")
                print(f"  {'':<{width}}  source: {p.full_source}")
        if section != sections[-1]:
            print()
    return EXIT_OK


def _add_params(subparsers: argparse._SubParsersAction) -> None:
    from sim.core.params import SECTIONS

    p = _subparser(
        subparsers,
        "params",
        help="list the parameters: unit, default, allowed and plausible ranges, source",
        description="List every parameter with its unit, default, allowed range (what "
        "the model can run), plausible range (what sweeps, EMA and SALib span by default) "
        "and source. -q leaves out the meaning and source lines.",
    )
    p.add_argument("--section", choices=SECTIONS, default=None, help="only this section")
    _add_common(p, json_summary=True)
    p.set_defaults(func=_cmd_params)


# --------------------------------------------------------------------------- sweep


def _cmd_sweep(args: argparse.Namespace) -> int:
    from sim.runs.sweep import ExperimentError, load_experiment

    try:
        experiment = load_experiment(args.experiment)
    except ExperimentError as exc:
        _err(str(exc))
        return EXIT_INVALID
    base = experiment.scenario or load_scenario_or_report(experiment.base)
    if base is None:
        return EXIT_INVALID
    if not _workers_ok(args.workers):
        return EXIT_INVALID
    # The largest run: each sized parameter at the top of its bounds.
    values = base.flat_params()
    for name in ("citizens", "network_degree", "neighbourhoods"):
        if name in experiment.bounds:
            values[name] = experiment.bounds[name][1]
    swept = next((n for n in ("citizens", "network_degree") if n in experiment.bounds), None)
    key = f"parameters.{swept}" if swept else "citizens" if experiment.citizens else None
    where = f"{args.experiment}: {key}" if key else None
    workers = _fits([(base, values, base.weeks)], args.workers, args.force, where)
    if workers is None:
        return EXIT_INVALID
    from sim.runs.sweep import sweep

    out = Path(args.out)
    from sim.runs.sweep import SweepIncomplete

    try:
        code, table = _run_batch(
            args,
            lambda show: sweep(
                experiment,
                out,
                workers=workers,
                progress=show,
                scheduler=args.scheduler,
                notify=_err,
            ),
            show_progress=not args.quiet,
        )
    except SweepIncomplete as exc:
        _report_failures(exc.failures)
        _err(f"{out}: the finished runs are stored; run the same command again to retry")
        return EXIT_FAILURE
    if code is not None:
        return code
    if not _quick_looks(out):
        return EXIT_FAILURE
    main_index = "ST" if experiment.method == "sobol" else "mu_star"
    if args.json:
        _print_json(
            {
                "experiment": experiment.name,
                "method": experiment.method,
                "indices": table.to_dict(orient="records"),
                "out": str(out),
            }
        )
        return EXIT_OK
    shown = table[table["index"] == main_index].pivot(
        index="parameter", columns="outcome", values="value"
    )
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(f"{experiment.name}: {main_index} by parameter and outcome")
        print(shown.round(3).to_string())
    print(
        f"results in {out} (indices.csv, samples.csv, indices.png; each table's columns in "
        "NAME.columns.json)"
    )
    return EXIT_OK


def _add_sweep(subparsers: argparse._SubParsersAction) -> None:
    p = _subparser(
        subparsers,
        "sweep",
        help="global sensitivity analysis (SALib Sobol or Morris)",
        description="Run the sensitivity analysis declared in an experiment file.",
    )
    p.add_argument(
        "experiment",
        metavar="EXPERIMENT",
        help="experiment file, or a bundled experiment's name (sobol_wigan, morris_levers); "
        "it sets the scenario, years, citizens and bounds (a parameter's null bounds: its "
        "plausible range)",
    )
    p.add_argument("--out", required=True, help="output folder")
    _add_workers(p)
    _add_common(p, json_summary=True)
    _add_force(p)
    p.set_defaults(func=_cmd_sweep)


# --------------------------------------------------------------------------- discover


def _cmd_discover(args: argparse.Namespace) -> int:
    from sim.runs.dictionary import write_table
    from sim.runs.discover import DiscoveryError, discover
    from sim.runs.folders import FolderError, check_writable

    folder = Path(args.folder)
    try:
        boxes = discover(
            folder, args.outcome, args.threshold, above=not args.below, boxes=args.boxes
        )
        check_writable(folder)  # where the boxes go
    except (DiscoveryError, FolderError) as exc:
        _err(str(exc))
        return EXIT_INVALID
    side = "below" if args.below else "above"
    target = folder / f"discover_{args.outcome}.csv"
    try:
        write_table(target, boxes, {"outcome": args.outcome, "threshold": args.threshold})
    except OSError as exc:
        _err(f"{folder}: cannot write discover_{args.outcome}.csv: {exc.strerror or exc}")
        return EXIT_FAILURE
    _note(args, f"wrote {target} and its columns' dictionary")
    if args.json:
        _print_json(
            {
                "outcome": args.outcome,
                "failing": side,
                "threshold": args.threshold,
                "boxes": boxes.to_dict(orient="records"),
                "out": str(target),
            }
        )
        return EXIT_OK
    print(f"where {args.outcome} is {side} {args.threshold} (PRIM boxes):")
    if boxes.empty:
        print("  no box found")
    for number, box in boxes.groupby("box"):
        first = box.iloc[0]
        print(
            f"  box {number}: coverage {first.coverage:.2f}, density {first.density:.2f}, "
            f"mass {first.mass:.2f}"
        )
        for row in box.itertuples():
            print(f"    {row.low:10.4g} <= {row.parameter} <= {row.high:.4g}")
    print(f"boxes in {target}")
    return EXIT_OK


def _add_discover(subparsers: argparse._SubParsersAction) -> None:
    p = _subparser(
        subparsers,
        "discover",
        help="scenario discovery (PRIM) on a completed sweep",
        description="Find the regions of parameter space where an outcome fails.",
    )
    p.add_argument("folder", metavar="DIR", help="a completed cocreate sweep folder")
    p.add_argument("--outcome", required=True, help="outcome that defines failure")
    p.add_argument("--threshold", type=float, required=True, help="failure threshold")
    p.add_argument("--below", action="store_true", help="failure is below the threshold")
    p.add_argument("--boxes", type=int, default=3, help="most boxes to find (default 3)")
    _add_common(p, json_summary=True)
    p.set_defaults(func=_cmd_discover)


# --------------------------------------------------------------------------- dashboard


def _cmd_dashboard(args: argparse.Namespace) -> int:
    ref = args.scenario
    if ref is None:
        from sim.present.dashboard import DEFAULT_SCENARIO

        ref = DEFAULT_SCENARIO
    scenario = load_scenario_or_report(ref)
    if scenario is None:
        return EXIT_INVALID
    sized = with_options(scenario, args)
    if sized is None:
        return EXIT_INVALID
    overrides = parse_settings(args.settings) or {}
    if args.years is not None:
        overrides["years"] = args.years
    if _fits([(sized, sized.flat_params(), sized.weeks)], 1, args.force) is None:
        return EXIT_INVALID
    if not 0 <= args.port <= 65535:
        _err(f"--port: {args.port} is out of range; allowed 0 (any free port) to 65535")
        return EXIT_INVALID
    from sim.present.dashboard import serve

    def ready(url: str) -> None:
        print(f"dashboard of {scenario.name} at {url} (Ctrl+C to stop)", flush=True)

    try:
        return serve(
            ref,
            host=args.host,
            port=args.port,
            citizens=args.citizens,
            on_ready=ready,
            overrides=overrides,
        )
    except OSError as exc:
        _err(f"--host/--port: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
        return EXIT_INVALID


def _add_dashboard(subparsers: argparse._SubParsersAction) -> None:
    p = _subparser(
        subparsers,
        "dashboard",
        help="interactive dashboard in the browser (Mesa SolaraViz)",
        description="Serve an interactive dashboard: pick a scenario, move levers, watch "
        "the charts and the neighbourhood map as the model runs.",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        default=None,
        metavar="SCENARIO",
        help="scenario file or bundled name to open with (default: the dashboard's default, "
        "DEFAULT_SCENARIO in sim/present/dashboard.py)",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    _add_scenario_options(p)
    _add_common(p)
    _add_force(p)
    p.set_defaults(func=_cmd_dashboard)


# --------------------------------------------------------------------------- report


def _cmd_report(args: argparse.Namespace) -> int:
    from sim.present.report import ReportError, build_report

    try:
        path = build_report(args.folder, args.out, progress=not args.quiet)
    except ReportError as exc:
        _err(str(exc))
        return EXIT_INVALID
    print(f"report in {path} (figures as PNG and PDF next to it)")
    return EXIT_OK


def _add_report(subparsers: argparse._SubParsersAction) -> None:
    p = _subparser(
        subparsers,
        "report",
        help="publication figures and an HTML report of a run, compare or sweep folder",
        description="Draw publication figures (PNG and PDF) and write one self-contained "
        "report.html for the output folder of cocreate run, compare or sweep.",
    )
    p.add_argument("folder", metavar="DIR", help="output folder of cocreate run/compare/sweep")
    p.add_argument("--out", default=None, help="where to write (default DIR/report)")
    _add_common(p)
    p.set_defaults(func=_cmd_report)


# --------------------------------------------------------------------------- parser

SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_validate,
    _add_run,
    _add_compare,
    _add_list,
    _add_params,
    _add_sweep,
    _add_discover,
    _add_dashboard,
    _add_report,
]
"""Functions that each add one subcommand; extend this list for new commands."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand of :data:`SUBCOMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="cocreate",
        description="Agent-based simulation of co-creation in municipalities. Every "
        "command takes -q and -v; those that run a scenario take --citizens, --years and "
        "--set KEY=VALUE; those that print a summary take --json.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code.

    Args:
        argv: arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        The process exit code.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_INVALID
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        _err("cocreate: interrupted")
        return EXIT_INTERRUPTED
    except OSError as exc:  # the disk, not the input: full, gone, or taken away mid-run
        where = f"{exc.filename}: " if exc.filename else ""
        _err(f"cocreate: {where}{exc.strerror or exc}; the runs stored so far are kept")
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())
