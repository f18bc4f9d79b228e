"""Global sensitivity analysis with SALib: which parameters do the outcomes depend on?

An experiment file (YAML, in ``experiments/``) declares the method (Sobol with Sobol'
sampling, or Morris), the parameters and their bounds (chosen from the scenario schema
by name), the base scenario, the sample size, replicates, seed and outcomes:

.. code-block:: yaml

    name: sobol_wigan
    method: sobol            # or morris
    base: wigan_deal
    parameters:              # name: [low, high]; or name: null for its plausible range
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

import hashlib
import itertools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    create_model,
)
from pydantic_core import PydanticCustomError
from SALib import ProblemSpec

from sim.core.io import bundled_dir, excerpt
from sim.core.params import CONSTRAINTS, PARAM_BY_NAME, PARAMS, WEEKS_PER_YEAR, Param
from sim.core.rng import SEED_MAX
from sim.core.scenario import (
    NAME_MAX_CHARS,
    NAME_PATTERN,
    YEARS_RANGE,
    Problem,
    Scenario,
    ScenarioError,
    load_scenario,
    read_yaml_document,
    validation_problems,
)
from sim.runs.outcomes import OUTCOMES
from sim.runs.store import MAX_RUNS

METHODS = ("sobol", "morris")
KEYS = {"name", "method", "base", "parameters", "N", "replicates", "seed", "years",
        "citizens", "outcomes", "num_levels", "second_order"}  # fmt: skip

NUM_LEVELS_RANGE = (2, 1000)
"""Morris grid levels: an even number in this range (Morris 1991; Saltelli et al. 2008:
the step p / (2 (p - 1)) needs p even, and p = 1 has no step)."""


class ExperimentError(ValueError):
    """A broken experiment file; ``str()`` gives one line per problem.

    Attributes:
        problems: the problems, each naming the file, the line where known and the key.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


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
    scenario: Scenario | None = field(default=None, compare=False, repr=False)
    """The base scenario, resolved, with the experiment's ``years`` and ``citizens``."""

    @property
    def points(self) -> int:
        """Sample points SALib draws: N (D + 2) or N (2D + 2) for Sobol, N (D + 1) Morris."""
        return sample_points(self.method, len(self.bounds), self.N, self.second_order)

    @property
    def runs(self) -> int:
        """Model runs: sample points times replicates."""
        return self.points * self.replicates


def sample_points(method: str, parameters: int, n: int, second_order: bool = True) -> int:
    """How many points SALib's Sobol' or Morris sampler draws."""
    if method == "sobol":
        return n * (2 * parameters + 2 if second_order else parameters + 2)
    return n * (parameters + 1)


# --------------------------------------------------------------------------- schema


def _integral_float_to_int(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_Int = Annotated[int, Strict(), BeforeValidator(_integral_float_to_int)]
_Float = Annotated[float, Strict()]
_Str = Annotated[str, Strict()]
_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False)


def _bounds_type(p: Param) -> Any:
    """``[low, high]`` within the schema's range of ``p``, increasing; None = the range."""

    def check(value: list[float]) -> tuple[float, float]:
        low, high = value
        if not p.low <= low < high <= p.high:
            raise PydanticCustomError(
                "bounds",
                "[{low}, {high}] must be increasing and within the schema's range "
                "{range_low} to {range_high} ({unit})",
                {"low": f"{low:g}", "high": f"{high:g}", "range_low": p.low, "range_high": p.high,
                 "unit": p.unit},
            )  # fmt: skip
        return float(low), float(high)

    pair = Annotated[list[_Float], Field(min_length=2, max_length=2), AfterValidator(check)]
    return pair | None


_ParametersModel: type[BaseModel] = create_model(
    "ExperimentParameters",
    __config__=_CONFIG,
    **{p.name: (_bounds_type(p), None) for p in PARAMS if p.kind != "bool"},
)


def _even(value: int) -> int:
    if value % 2:
        raise PydanticCustomError(
            "even",
            "{value} is odd; allowed an even number from {low} to {high}",
            {"value": value, "low": NUM_LEVELS_RANGE[0], "high": NUM_LEVELS_RANGE[1]},
        )
    return value


def _power_of_two_for_sobol(value: int, info: ValidationInfo) -> int:
    if info.data.get("method") == "sobol" and value & (value - 1):
        raise PydanticCustomError(
            "power_of_two", "Sobol sampling needs a power of two, got {value}", {"value": value}
        )
    return value


def _seeds_fit(value: int, info: ValidationInfo) -> int:
    replicates = info.data.get("replicates", 1)
    if value + replicates - 1 > SEED_MAX:
        raise PydanticCustomError(
            "seed_overflow",
            "{value} with {replicates} replicate(s) reaches seed {last}; allowed seeds up to "
            "{high}",
            {"value": value, "replicates": replicates, "last": value + replicates - 1,
             "high": SEED_MAX},
        )  # fmt: skip
    return value


def _distinct(value: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for k, item in enumerate(value):
        if item in seen:
            raise PydanticCustomError(
                "duplicate_outcome",
                "'{item}' is listed twice (items {first} and {second}); list each outcome once",
                {"item": item, "first": seen[item], "second": k},
            )
        seen[item] = k
    return value


_CITIZENS = PARAM_BY_NAME["citizens"]

_ExperimentModel: type[BaseModel] = create_model(
    "ExperimentFile",
    __config__=_CONFIG,
    name=(_Str | None, Field(default=None, pattern=NAME_PATTERN, max_length=NAME_MAX_CHARS)),
    method=(Literal[METHODS], ...),  # type: ignore[valid-type]
    base=(_Str, Field(default="baseline", min_length=1)),
    parameters=(_ParametersModel, ...),
    N=(
        Annotated[_Int, AfterValidator(_power_of_two_for_sobol)],
        Field(default=64, ge=2, le=MAX_RUNS),
    ),
    replicates=(_Int, Field(default=1, ge=1, le=MAX_RUNS)),
    seed=(Annotated[_Int, AfterValidator(_seeds_fit)], Field(default=0, ge=0, le=SEED_MAX)),
    years=(_Int | None, Field(default=None, ge=YEARS_RANGE[0], le=YEARS_RANGE[1])),
    citizens=(_Int | None, Field(default=None, ge=int(_CITIZENS.low), le=int(_CITIZENS.high))),
    outcomes=(
        Annotated[
            list[Literal[tuple(OUTCOMES)]],  # type: ignore[valid-type]
            Field(min_length=1),
            AfterValidator(_distinct),
        ],
        ...,
    ),
    num_levels=(
        Annotated[_Int, AfterValidator(_even)],
        Field(default=4, ge=NUM_LEVELS_RANGE[0], le=NUM_LEVELS_RANGE[1]),
    ),
    second_order=(Annotated[bool, Strict()], True),
)


def _explain(err: Mapping[str, Any], data: Any) -> tuple[str, str] | None:
    """Words for the errors of the experiment schema; None leaves the scenario's wording."""
    loc = tuple(err["loc"])
    kind, value = err["type"], err.get("input")
    if kind == "model_type" and loc == ():
        return "", "the file must be a mapping of keys to values"
    if kind == "missing" and len(loc) == 1:
        allowed = {
            "method": "sobol or morris",
            "parameters": "at least two, as name: [low, high] or name: null",
            "outcomes": f"a list of {', '.join(OUTCOMES)}",
        }[str(loc[0])]
        return str(loc[0]), f"is missing; every experiment needs it (allowed: {allowed})"
    if kind == "extra_forbidden" and len(loc) == 1:
        return excerpt(str(loc[0])), f"unknown key; allowed: {', '.join(sorted(KEYS))}"
    if loc[:1] == ("parameters",) and len(loc) >= 2:
        name = excerpt(str(loc[1]))
        if kind in ("extra_forbidden", "invalid_key"):
            spec = PARAM_BY_NAME.get(str(loc[1]))
            what = "a switch, not a numeric parameter" if spec else "not a numeric parameter"
            return f"parameters.{name}", f"{what} of the schema"
        if kind == "bounds":
            return f"parameters.{name}", str(err["msg"])
        given = data["parameters"].get(loc[1], value)
        return f"parameters.{name}", f"expected [low, high] or null, got {_plain_value(given)}"
    if kind == "model_type" and loc == ("parameters",):
        return "parameters", "give at least two, as name: [low, high]"
    if loc[:1] == ("outcomes",):
        if kind == "literal_error":
            return "outcomes", f"'{excerpt(str(value))}' is unknown; allowed: {', '.join(OUTCOMES)}"
        if kind in ("list_type", "too_short"):
            return "outcomes", f"give a list; allowed: {', '.join(OUTCOMES)}"
        if kind == "duplicate_outcome":
            return "outcomes", str(err["msg"])
    if kind == "literal_error" and loc == ("method",):
        return "method", f"'{excerpt(str(value))}' is not allowed; allowed: sobol, morris"
    if kind in ("even", "power_of_two", "seed_overflow"):
        return _key(loc), str(err["msg"])
    return None


def _key(loc: tuple[Any, ...]) -> str:
    return ".".join(excerpt(str(part)) for part in loc if not isinstance(part, int))


def _plain_value(value: Any) -> str:
    """A value from the file, as a short excerpt."""
    if isinstance(value, list):
        shown = ", ".join(excerpt(repr(v), 12) for v in value[:3])
        return f"[{shown}{', ...' if len(value) > 3 else ''}]"
    return excerpt(repr(value))


def bundled_experiments() -> dict[str, Path]:
    """``{name: path}`` of every bundled experiment file, sorted by name."""
    folder = bundled_dir("experiments")
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def _locate_experiment(path: Path) -> Path:
    """The file itself if it exists; else, for a bare name, the bundled experiment."""
    if path.exists() or len(path.parts) != 1:
        return path
    return bundled_experiments().get(path.name.removesuffix(".yaml"), path)


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file; every problem is reported at once.

    The file is read with the scenario loader's limits (a regular UTF-8 file of at most
    :data:`sim.core.io.MAX_INPUT_BYTES`) and validated by a pydantic model, like a
    scenario file; each problem is one ``file:line: key: what is allowed`` line.

    Args:
        path: an experiment file, or the name of a bundled one (``sobol_wigan``), found
            in any install (:func:`sim.core.io.bundled_dir`).

    Raises:
        ExperimentError: listing every problem.
    """
    path = _locate_experiment(Path(path))
    try:
        data, marks, display = read_yaml_document(path)
    except ScenarioError as exc:
        raise ExperimentError(exc.problems) from None
    return _experiment(data, marks, display, str(path))


def experiment_from_dict(data: Any, source: str = "<dict>") -> Experiment:
    """Validate a parsed experiment."""
    return _experiment(data, {}, source, source)


def _experiment(
    data: Any, marks: Mapping[tuple[Any, ...], int], display: str, source: str
) -> Experiment:
    def problem(key: str, message: str) -> Problem:
        loc = tuple(key.split(".")) if key else ()
        line = marks.get(loc, marks.get(loc[:1])) if loc else marks.get(())
        return Problem(display, line, key, message)

    if data is None:
        data = {}
    try:
        model = _ExperimentModel.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, data, marks, display, lambda e: _explain(e, data))
        # One problem per key: a pair such as [a, b] fails once, not once per item.
        once = {(p.line, p.key_path): p for p in reversed(problems)}
        raise ExperimentError(sorted(once.values(), key=problems.index)) from None
    given = [name for name in data["parameters"] if name in model.parameters.model_fields_set]
    bounds: dict[str, tuple[float, float]] = {}
    for name in given:
        spec = PARAM_BY_NAME[name]
        bounds[name] = getattr(model.parameters, name) or tuple(map(float, spec.plausible_range))
    problems: list[Problem] = []
    if len(bounds) < 2:
        problems.append(problem("parameters", "give at least two, as name: [low, high]"))
    runs = sample_points(model.method, len(bounds), model.N, model.second_order)
    if runs * model.replicates > MAX_RUNS:
        problems.append(
            problem(
                "N",
                f"{runs:,} sample points times {model.replicates} replicate(s) is "
                f"{runs * model.replicates:,} runs; allowed up to {MAX_RUNS:,}",
            )
        )
    scenario = None
    try:
        scenario = load_scenario(model.base)
    except ScenarioError as exc:
        missing = len(exc.problems) == 1 and exc.problems[0].file == model.base
        if missing:
            problems.append(problem("base", f"'{excerpt(model.base)}': {exc.problems[0].message}"))
        else:
            problems.extend(exc.problems)
    if scenario is not None:
        overrides = {k: getattr(model, k) for k in ("years", "citizens") if getattr(model, k)}
        try:
            scenario = scenario.with_overrides(overrides) if overrides else scenario
        except ScenarioError as exc:
            problems.extend(problem("citizens", p.message) for p in exc.problems)
            scenario = None
    if scenario is not None:
        problems.extend(_corner_problems(scenario, bounds, problem))
    if problems:
        raise ExperimentError(problems)
    return Experiment(
        name=model.name or Path(source).stem,
        method=model.method,
        base=model.base,
        bounds=bounds,
        outcomes=list(model.outcomes),
        N=model.N,
        replicates=model.replicates,
        seed=model.seed,
        years=model.years,
        citizens=model.citizens,
        num_levels=model.num_levels,
        second_order=model.second_order,
        source=source,
        raw=dict(data),
        scenario=scenario,
    )


def _corner_problems(
    scenario: Scenario,
    bounds: Mapping[str, tuple[float, float]],
    problem: Callable[[str, str], Problem],
) -> list[Problem]:
    """The constraints between parameters, checked at every corner of the bounds.

    Each constraint relates a few parameters; where some are swept, it must hold for
    every combination of their lowest and highest values (the constraints are linear,
    so the corners are where they bite).
    """
    problems = []
    fixed = scenario.flat_params()
    for constraint in CONSTRAINTS:
        swept = [k for k in constraint.keys if k in bounds]
        if not swept:
            continue
        for corner in itertools.product(*(bounds[k] for k in swept)):
            values = {**fixed, **dict(zip(swept, corner, strict=True))}
            if not constraint.holds(values):
                problems.append(
                    problem(f"parameters.{swept[0]}", f"at the corner {constraint.message(values)}")
                )
                break
    return problems


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

    @staticmethod
    def values(params: dict[str, float]) -> dict[str, Any]:
        """The parameter values a sample point sets, as the model takes them."""
        overrides: dict[str, Any] = {}
        for name, value in params.items():
            spec = PARAM_BY_NAME[name]
            value = min(max(value, spec.low), spec.high)  # samplers can overshoot by an ulp
            overrides[name] = round(value) if spec.kind == "int" else value
        return overrides

    def __call__(self, params: dict[str, float], seed: int) -> dict[str, float]:
        """Run the base scenario with ``params`` on ``seed``; return its outcomes."""
        from sim.runs.outcomes import run_scenario

        overrides = self.values(params)
        if self.citizens is not None:
            overrides["citizens"] = self.citizens
        return run_scenario(self.base, params=overrides, rng=seed, years=self.years)["outcomes"]


def point_key(base_hash: str, params: dict[str, float], seed: int) -> str:
    """The store key of one run of a sweep: what it runs, and the seed.

    What it runs is the resolved base scenario (its content hash, with the experiment's
    years and citizens) and the values the sample point sets.
    """
    values = ModelEvaluator.values(params)
    text = json.dumps({"base": base_hash, "values": values}, sort_keys=True, allow_nan=False)
    return f"{hashlib.sha256(text.encode()).hexdigest()[:20]}__seed{seed}"


def _base(experiment: Experiment) -> Scenario:
    """The base scenario with the experiment's citizens."""
    scenario = experiment.scenario
    if scenario is None:
        scenario = load_scenario(experiment.base)
        if experiment.citizens is not None:
            scenario = scenario.with_overrides({"citizens": experiment.citizens})
    return scenario


def _base_hash(experiment: Experiment) -> str:
    """Content hash of the base scenario with the experiment's years and citizens."""
    return _base(experiment).content_hash(experiment.years)


def _cost(experiment: Experiment) -> Callable[[tuple[Any, dict[str, float], int]], float] | None:
    """A run's estimated time, if the experiment varies its size; else None (all alike).

    The runs of a sweep that varies a size parameter start longest first
    (:func:`sim.runs.store.run_jobs`), so no worker is left with a long run at the end.
    """
    from sim.core.footprint import SIZE_PARAMETERS, footprint

    if not any(name in experiment.bounds for name in SIZE_PARAMETERS):
        return None

    scenario = _base(experiment)
    base = scenario.flat_params()
    weeks = experiment.years * WEEKS_PER_YEAR if experiment.years else scenario.weeks

    def cost(job: tuple[Any, dict[str, float], int]) -> float:
        values = {**base, **ModelEvaluator.values(job[1])}
        if experiment.citizens is not None:
            values["citizens"] = experiment.citizens
        return footprint(values, weeks).seconds

    return cost


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
    notify: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Run an experiment on the model and write its indices, samples and a manifest.

    Writes ``indices.csv`` (:func:`indices_table`), ``samples.csv`` (the sample points
    with their outcomes, averaged over replicates) and ``manifest.json``. The quick-look
    ``indices.png`` that ``cocreate sweep`` adds is drawn from ``indices.csv`` by
    :func:`sim.present.report.quick_looks`.

    Every run is stored as it finishes (:class:`sim.runs.store.RunStore`), so an interrupted
    sweep started again resumes without repeating or losing runs. Runs are keyed by what
    they run (:func:`point_key`), so a point drawn twice runs once. A stored run that
    cannot be read is moved aside, reported through ``notify``, and run again.

    Raises:
        sim.runs.folders.FolderError: ``out`` is another command's folder, or cannot be
            written (nothing is run).
        sim.runs.store.StoreMismatch: ``out`` holds results of a different experiment.
        SweepIncomplete: some runs failed (the rest are stored; rerun to retry them).
    """
    from sim.core.io import atomic_write_json, provenance
    from sim.runs.dictionary import write_table
    from sim.runs.folders import claim_folder
    from sim.runs.store import RunStore, run_stored

    started = time.perf_counter()
    base_hash = _base_hash(experiment)
    claim_folder(out, "sweep")
    store = RunStore(out, {"name": experiment.name, "experiment": experiment.raw})
    cost = _cost(experiment)

    def stored_map(fn: Callable[..., Any], items: list[Any]) -> list[Any]:
        keys = [point_key(base_hash, params, seed) for _, params, seed in items]
        labels = {key: {"seed": item[2]} for key, item in zip(keys, items, strict=True)}
        found = run_stored(
            _stored_call,
            list(zip(keys, items, strict=True)),
            store,
            workers,
            progress,
            scheduler,
            labels=labels,
            notify=notify,
            cost=cost,
        )
        failures = store.failures()
        if failures:
            raise SweepIncomplete(failures)
        table = found.outcomes.loc[keys, list(experiment.outcomes)]
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
    write_table(out / "indices.csv", table)
    write_table(out / "samples.csv", samples)
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
