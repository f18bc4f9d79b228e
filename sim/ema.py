"""The EMA Workbench model of a scenario, built from the parameter registry.

>>> import sim.ema
>>> from ema_workbench import SequentialEvaluator
>>> model = sim.ema.model("wigan_deal", uncertainties=["trust_gain", "burnout_sensitivity"],
...                       levers=["outreach"], years=1, constants={"citizens": 300})
>>> with SequentialEvaluator(model) as evaluator:
...     experiments, outcomes = evaluator.perform_experiments(scenarios=8, policies=1)

:func:`model` returns a ready ``ReplicatorModel``: every uncertainty and lever a
``RealParameter`` (an ``IntegerParameter`` for a whole-number parameter) over its
plausible range (:attr:`sim.core.params.Param.plausible`) unless given bounds; every
scalar outcome of :data:`sim.runs.outcomes.OUTCOMES` a ``ScalarOutcome``, averaged over
the replications (which run on the seeds 0, 1, ...: common random numbers), and marked
to maximise or minimise where a planner reads it one way; and, for the reporters named
in ``series``, an ``ArrayOutcome`` of the weekly values from week 0, averaged over the
replications. PRIM and the other analyses take the outcomes as they come.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.core.params import PARAM_BY_NAME, Param, checked_bounds, params_in
from sim.core.rng import check_seed
from sim.core.scenario import Scenario, ScenarioError, load_scenario
from sim.runs.outcomes import HIGHER_IS_BETTER, OUTCOMES, run_scenario

__all__ = ["model", "parameters"]

Bounds = Sequence[str] | Mapping[str, tuple[float, float] | None]
"""Parameter names (their plausible ranges), or ``{name: (low, high) or None}``."""


def _mean_series(replications: list[np.ndarray]) -> np.ndarray:
    """The mean over replications of a weekly series (one array per replication)."""
    return np.mean(np.stack(replications), axis=0)


def _mean(replications: list[float]) -> float:
    """The mean over replications of a scalar outcome."""
    return float(np.mean(replications))


def _bounds(given: Bounds | None, default: Sequence[Param], role: str) -> dict[str, Any]:
    """``{name: (low, high)}``, each checked against the registry; plausible by default."""
    return checked_bounds([p.name for p in default] if given is None else given, role)


def parameters(bounds: Mapping[str, tuple[float, float]]) -> list[Any]:
    """EMA parameters for ``{name: (low, high)}``: integer ones as ``IntegerParameter``."""
    from ema_workbench import IntegerParameter, RealParameter

    made = []
    for name, (low, high) in bounds.items():
        if PARAM_BY_NAME[name].kind == "int":
            made.append(IntegerParameter(name, round(float(low)), round(float(high))))
        else:
            made.append(RealParameter(name, float(low), float(high)))
    return made


def _function(
    scenario: Scenario,
    series: tuple[str, ...],
    years: int | None,
    rng: int = 0,
    **params: Any,
) -> dict[str, Any]:
    """One run as EMA calls it: sampled values as keywords, the replication's ``rng``."""
    values = {
        name: round(float(value)) if PARAM_BY_NAME[name].kind == "int" else value
        for name, value in params.items()
    }
    result = run_scenario(scenario, params=values, rng=check_seed(rng), years=years)
    found: dict[str, Any] = dict(result["outcomes"])
    for name in series:
        found[name] = result["timeseries"][name].to_numpy(dtype=float)
    return found


def model(
    scenario: Scenario | str | os.PathLike[str] = "baseline",
    uncertainties: Bounds | None = None,
    levers: Bounds | None = (),
    outcomes: Sequence[str] | None = None,
    *,
    series: Sequence[str] = (),
    years: int | None = None,
    replications: int | Sequence[int] = 1,
    constants: Mapping[str, Any] | None = None,
    name: str = "cocreate",
) -> Any:
    """A ready EMA Workbench ``ReplicatorModel`` of one scenario.

    Args:
        scenario: a bundled name, a scenario file or a :class:`Scenario`; the base that
            sampled values and ``constants`` are laid over.
        uncertainties: parameter names (over their plausible ranges) or ``{name: (low,
            high) or None}``; None for every parameter of the ``uncertainties`` section.
        levers: the same for the policy levers; none by default (the scenario's own).
        outcomes: scalar outcome names (:data:`sim.runs.outcomes.OUTCOMES`); all if None.
        series: reporter names (:data:`sim.model.reporters.REPORTERS`) returned week by
            week from week 0 as ``ArrayOutcome``.
        years: run length; the scenario's own if None.
        replications: the number of seeds (0, 1, ...) or the seeds themselves; every
            experiment runs on the same ones (common random numbers), and the outcomes
            are their means.
        constants: parameter values fixed for every experiment (``{"citizens": 2_000}``),
            validated now.
        name: the model's name (letters, digits and underscores).

    Returns:
        An ``ema_workbench.ReplicatorModel``.

    Raises:
        ValueError: an unknown parameter, outcome or reporter, bounds outside the allowed
            range, or a seed that is not a non-negative integer (one line, naming it).
        sim.core.scenario.ScenarioError: the scenario or a constant is invalid.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench warns about optional extras
        from ema_workbench import ArrayOutcome, Constant, ReplicatorModel, ScalarOutcome

    from sim.model.reporters import REPORTERS

    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    fixed = dict(constants or {})
    if fixed:
        base = base.with_overrides(fixed)  # checked now, not in the first experiment
    unc = _bounds(uncertainties, params_in("uncertainties"), "uncertainties")
    lev = _bounds(levers, params_in("levers"), "levers")
    both = sorted(set(unc) & set(lev))
    if both:
        raise ValueError(f"levers: {both} are uncertainties too; allowed each in one role")
    chosen = list(OUTCOMES) if outcomes is None else list(outcomes)
    unknown = [o for o in chosen if o not in OUTCOMES]
    if unknown:
        raise ValueError(f"outcomes: {unknown} unknown; allowed {', '.join(OUTCOMES)}")
    weekly = tuple(series)
    unknown = [r for r in weekly if r not in REPORTERS]
    if unknown:
        raise ValueError(f"series: {unknown} unknown; allowed the reporters of cocreate")
    seeds = list(range(replications)) if isinstance(replications, int) else list(replications)
    if not seeds:
        raise ValueError("replications: none given; allowed 1 or more seeds")
    seeds = [check_seed(s, "replications") for s in seeds]
    if years is not None:
        try:
            base.with_overrides({"years": years})
        except ScenarioError as exc:
            raise ValueError(f"years: {exc.problems[0].message}") from None

    function = functools.partial(_function, base, weekly, years)
    ema = ReplicatorModel(name, function=function)
    ema.uncertainties = parameters(unc)
    ema.levers = parameters(lev)
    kinds = {True: ScalarOutcome.MAXIMIZE, False: ScalarOutcome.MINIMIZE}
    ema.outcomes = [
        ScalarOutcome(
            o, kind=kinds.get(HIGHER_IS_BETTER.get(o), ScalarOutcome.INFO), function=_mean
        )
        for o in chosen
    ] + [ArrayOutcome(r, function=_mean_series) for r in weekly]
    ema.constants = [Constant(k, v) for k, v in fixed.items()]
    ema.replications = [{"rng": s} for s in seeds]
    return ema
