"""Global sensitivity analysis with SALib: which parameters do the outcomes depend on?

An experiment file (YAML, in ``experiments/``) declares the method (Sobol with Sobol'
sampling, or Morris), the parameters and their bounds (chosen from the scenario schema
by name), the base scenario, the sample size, replicates, seed and outcomes:

.. code-block:: yaml

    name: sobol_wigan
    method: sobol            # or morris
    base: wigan_deal
    parameters:              # name: [low, high]; or name: null for the schema's range
      volunteer_expectation: [0.5, 3.0]
      trust_gain: null
    N: 64                    # SALib base sample size (a power of two for Sobol)
    replicates: 2            # seeds per sample point, averaged
    seed: 0
    years: 5
    citizens: 3000           # optional population override
    outcomes: [burnouts_per_1000_per_year, final_trust, final_wellbeing_gap]

The machinery (:func:`run_sensitivity`) takes any evaluation function, so the same code
is tested against the Ishigami function's analytic indices (``tests/test_sweep.py``).
SALib's current API is used: ``ProblemSpec`` with ``sample_sobol``/``analyze_sobol`` and
``sample_morris``/``analyze_morris``; evaluations run through our own runner and are
handed back with ``set_results``.

:func:`sweep` runs an experiment on the model and writes ``indices.csv``, ``samples.csv``
and ``manifest.json`` (last); the quick-look ``indices.png`` that ``cocreate sweep`` adds
to the folder is drawn from ``indices.csv`` by :func:`sim.present.report.quick_looks`.

References: Sobol' 2001; Saltelli et al. 2010, Computer Physics Communications 181;
Morris 1991, Technometrics 33(2); Campolongo, Cariboni & Saltelli 2007; Herman & Usher
2017, JOSS (SALib).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from SALib import ProblemSpec

from sim.core.params import PARAM_BY_NAME
from sim.runs.outcomes import OUTCOMES

METHODS = ("sobol", "morris")
KEYS = {"name", "method", "base", "parameters", "N", "replicates", "seed", "years",
        "citizens", "outcomes", "num_levels", "second_order"}  # fmt: skip


class ExperimentError(ValueError):
    """A broken experiment file; ``str()`` gives one line per problem."""


@dataclass(frozen=True)
class Experiment:
    """A declared sensitivity analysis."""

    name: str
    method: str
    base: str
    bounds: dict[str, tuple[float, float]]
    outcomes: list[str]
    N: int = 64
    replicates: int = 1
    seed: int = 0
    years: int | None = None
    citizens: int | None = None
    num_levels: int = 4
    second_order: bool = True
    source: str = "<dict>"
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file; every problem is reported at once."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ExperimentError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ExperimentError(f"{path}{line}: YAML syntax error: {exc}") from None
    return experiment_from_dict(data, str(path))


def experiment_from_dict(data: Any, source: str = "<dict>") -> Experiment:
    """Validate a parsed experiment."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ExperimentError(f"{source}: the file must be a mapping of keys to values")
    for key in sorted(set(data) - KEYS):
        problems.append(f"{source}: {key}: unknown key; allowed: {', '.join(sorted(KEYS))}")
    method = data.get("method")
    if method not in METHODS:
        problems.append(f"{source}: method: {method!r} is not allowed; allowed: sobol, morris")
    bounds: dict[str, tuple[float, float]] = {}
    params = data.get("parameters")
    if not isinstance(params, dict) or len(params) < 2:
        problems.append(f"{source}: parameters: give at least two, as name: [low, high]")
        params = {}
    for name, value in params.items():
        spec = PARAM_BY_NAME.get(name)
        if spec is None or spec.kind == "bool":
            problems.append(f"{source}: parameters.{name}: not a numeric parameter of the schema")
            continue
        if value is None:
            low, high = spec.low, spec.high
        elif isinstance(value, list) and len(value) == 2:
            low, high = value
        else:
            low = high = None
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)):
            problems.append(f"{source}: parameters.{name}: expected [low, high], got {value!r}")
        elif not spec.low <= low < high <= spec.high:
            problems.append(
                f"{source}: parameters.{name}: [{low}, {high}] must be increasing and within "
                f"the schema's range {spec.low} to {spec.high} ({spec.unit})"
            )
        else:
            bounds[name] = (float(low), float(high))
    outcomes = data.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes:
        problems.append(f"{source}: outcomes: give a list; allowed: {', '.join(OUTCOMES)}")
        outcomes = []
    for name in outcomes:
        if name not in OUTCOMES:
            problems.append(
                f"{source}: outcomes: {name!r} is unknown; allowed: {', '.join(OUTCOMES)}"
            )
    for key, low in (("N", 2), ("replicates", 1), ("seed", 0), ("years", 1), ("citizens", 50)):
        value = data.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < low
        ):
            problems.append(
                f"{source}: {key}: expected an integer of at least {low}, got {value!r}"
            )
    if method == "sobol" and isinstance(data.get("N"), int) and data["N"] & (data["N"] - 1):
        problems.append(f"{source}: N: Sobol sampling needs a power of two, got {data['N']}")
    if problems:
        raise ExperimentError("\n".join(problems))
    return Experiment(
        name=str(data.get("name", Path(source).stem)),
        method=method,
        base=str(data.get("base", "baseline")),
        bounds=bounds,
        outcomes=list(outcomes),
        N=int(data.get("N", 64)),
        replicates=int(data.get("replicates", 1)),
        seed=int(data.get("seed", 0)),
        years=data.get("years"),
        citizens=data.get("citizens"),
        num_levels=int(data.get("num_levels", 4)),
        second_order=bool(data.get("second_order", True)),
        source=source,
        raw=dict(data),
    )


Evaluate = Callable[[dict[str, float], int], dict[str, float]]
"""Maps (parameter values, seed) to named scalar outcomes."""


def run_sensitivity(
    method: str,
    bounds: dict[str, tuple[float, float]],
    outcomes: list[str],
    evaluate: Evaluate,
    N: int,
    seed: int = 0,
    replicates: int = 1,
    num_levels: int = 4,
    second_order: bool = True,
    map_fn: Callable[[Callable[..., Any], list[Any]], list[Any]] | None = None,
) -> tuple[ProblemSpec, pd.DataFrame]:
    """Sample, evaluate (averaging over replicate seeds) and analyse.

    Returns:
        The SALib ``ProblemSpec`` (samples, results and analysis) and a long table of
        indices with confidence intervals: one row per (outcome, parameter, index).
    """
    names = list(bounds)
    sp = ProblemSpec(
        {"names": names, "bounds": [list(bounds[n]) for n in names], "outputs": outcomes}
    )
    if method == "sobol":
        sp.sample_sobol(N, calc_second_order=second_order, seed=seed)
    else:
        sp.sample_morris(N, num_levels=num_levels, seed=seed)
    jobs = [
        (dict(zip(names, map(float, row), strict=True)), seed + r)
        for row in sp.samples
        for r in range(replicates)
    ]
    results = (map_fn or _serial_map)(_call, [(evaluate, *job) for job in jobs])
    y = np.array([[res[o] for o in outcomes] for res in results], dtype=float)
    y = y.reshape(len(sp.samples), replicates, len(outcomes)).mean(axis=1)
    sp.set_results(y if len(outcomes) > 1 else y[:, 0])
    if method == "sobol":
        sp.analyze_sobol(calc_second_order=second_order, seed=seed)
    else:
        sp.analyze_morris(num_levels=num_levels, seed=seed)
    return sp, indices_table(sp, method, names, outcomes)


def _call(job: tuple[Evaluate, dict[str, float], int]) -> dict[str, float]:
    evaluate, params, seed = job
    return evaluate(params, seed)


def _serial_map(fn: Callable[..., Any], items: list[Any]) -> list[Any]:
    return [fn(item) for item in items]


def indices_table(
    sp: ProblemSpec, method: str, names: list[str], outcomes: list[str]
) -> pd.DataFrame:
    """A long table of the indices and their confidence intervals."""
    analysis = sp.analysis if len(outcomes) > 1 else {outcomes[0]: sp.analysis}
    rows = []
    pairs = (("S1", "S1_conf"), ("ST", "ST_conf")) if method == "sobol" else (
        ("mu_star", "mu_star_conf"), ("sigma", None), ("mu", None))  # fmt: skip
    for outcome in outcomes:
        res = analysis[outcome]
        for k, name in enumerate(names):
            for index, conf in pairs:
                rows.append(
                    {
                        "outcome": outcome,
                        "parameter": name,
                        "index": index,
                        "value": float(res[index][k]),
                        "conf": float(res[conf][k]) if conf else float("nan"),
                    }
                )
            if method == "sobol" and "S2" in res:
                for j in range(k + 1, len(names)):
                    rows.append(
                        {
                            "outcome": outcome,
                            "parameter": f"{name}:{names[j]}",
                            "index": "S2",
                            "value": float(res["S2"][k][j]),
                            "conf": float(res["S2_conf"][k][j]),
                        }
                    )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ModelEvaluator:
    """Evaluates one sample point of an experiment with :func:`sim.runs.outcomes.run_scenario`."""

    base: str
    years: int | None
    citizens: int | None

    def __call__(self, params: dict[str, float], seed: int) -> dict[str, float]:
        """Run the base scenario with ``params`` on ``seed``; return its outcomes."""
        from sim.runs.outcomes import run_scenario

        overrides: dict[str, Any] = {}
        for name, value in params.items():
            spec = PARAM_BY_NAME[name]
            value = min(max(value, spec.low), spec.high)  # samplers can overshoot by an ulp
            overrides[name] = round(value) if spec.kind == "int" else value
        if self.citizens is not None:
            overrides["citizens"] = self.citizens
        return run_scenario(self.base, params=overrides, seed=seed, years=self.years)["outcomes"]


class SweepIncomplete(RuntimeError):
    """Some runs failed; the others are stored and the failures recorded."""

    def __init__(self, failures: list[dict[str, Any]]) -> None:
        self.failures = failures
        lines = [f"{f['key']}: {f['error'].strip().splitlines()[-1]}" for f in failures]
        super().__init__(f"{len(failures)} run(s) failed:\n" + "\n".join(lines))


def _stored_call(job: tuple[Evaluate, dict[str, float], int]) -> tuple[dict[str, float], None]:
    return _call(job), None


def sweep(
    experiment: Experiment,
    out: Path,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Run an experiment on the model and write its indices, samples and a manifest.

    Writes ``indices.csv`` (:func:`indices_table`), ``samples.csv`` (the sample points
    with their outcomes, averaged over replicates) and ``manifest.json``. The quick-look
    ``indices.png`` that ``cocreate sweep`` adds is drawn from ``indices.csv`` by
    :func:`sim.present.report.quick_looks`.

    Every run is stored as it finishes (:class:`sim.runs.store.RunStore`), so an interrupted
    sweep started again resumes without repeating or losing runs.

    Raises:
        sim.runs.store.StoreMismatch: ``out`` holds results of a different experiment.
        SweepIncomplete: some runs failed (the rest are stored; rerun to retry them).
    """
    from sim.core.io import atomic_write_csv, atomic_write_json, provenance
    from sim.runs.store import RunStore, run_jobs

    started = time.perf_counter()
    store = RunStore(out, {"name": experiment.name, "experiment": experiment.raw})

    def stored_map(fn: Callable[..., Any], items: list[Any]) -> list[Any]:
        keys = [f"{k:07d}" for k in range(len(items))]
        run_jobs(
            _stored_call, list(zip(keys, items, strict=True)), store, workers, progress, scheduler
        )
        failures = store.failures()
        if failures:
            raise SweepIncomplete(failures)
        table = store.outcomes().set_index("key").loc[keys]
        return [row.to_dict() for _, row in table.iterrows()]

    evaluate = ModelEvaluator(experiment.base, experiment.years, experiment.citizens)
    sp, table = run_sensitivity(
        experiment.method,
        experiment.bounds,
        experiment.outcomes,
        evaluate,
        experiment.N,
        seed=experiment.seed,
        replicates=experiment.replicates,
        num_levels=experiment.num_levels,
        second_order=experiment.second_order,
        map_fn=stored_map,
    )
    samples = pd.DataFrame(sp.samples, columns=list(experiment.bounds))
    results = np.atleast_2d(sp.results.T).T
    for k, outcome in enumerate(experiment.outcomes):
        samples[outcome] = results[:, k]
    atomic_write_csv(out / "indices.csv", table)
    atomic_write_csv(out / "samples.csv", samples)
    atomic_write_json(
        out / "manifest.json",
        {
            "experiment": experiment.raw,
            "source": experiment.source,
            "runs": len(sp.samples) * experiment.replicates,
            "run_seconds": round(time.perf_counter() - started, 3),
            **provenance(),
        },
    )
    return table
