"""A SALib problem built from the parameter registry, and the function that evaluates it.

>>> import sim.salib
>>> sp = sim.salib.problem(["trust_gain", "leader_period"], outputs=["final_trust"])
>>> f = sim.salib.evaluator(sp, "wigan_deal", years=1, constants={"citizens": 300})
>>> sp.sample_sobol(8).evaluate(f).analyze_sobol()

:func:`problem` returns a ``SALib.ProblemSpec`` over each parameter's plausible range
(:attr:`sim.core.params.Param.plausible`) unless bounds are given. :func:`evaluator`
returns the matching function for ``ProblemSpec.evaluate``: it maps each row of samples
to the named outcomes (:data:`sim.runs.outcomes.OUTCOMES`), rounding whole-number
parameters (``leader_period``) as the model takes them, every row on the same seeds
(common random numbers), averaged over them. The ``cocreate sweep`` command does the
same from an experiment file, with storage and resumption (:mod:`sim.runs.sweep`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.core.params import PARAM_BY_NAME, checked_bounds
from sim.core.rng import check_seed
from sim.core.scenario import Scenario, load_scenario
from sim.runs.outcomes import OUTCOMES, run_scenario

__all__ = ["Evaluator", "evaluator", "problem"]


def problem(
    names: Sequence[str] | Mapping[str, tuple[float, float] | None],
    outputs: Sequence[str] | None = None,
) -> Any:
    """A ``SALib.ProblemSpec`` over parameters of the registry.

    Args:
        names: parameter names (each over its plausible range) or ``{name: (low, high)
            or None}``.
        outputs: outcome names (:data:`sim.runs.outcomes.OUTCOMES`); all if None.

    Raises:
        ValueError: an unknown parameter or outcome, or bounds outside the allowed range.
    """
    from SALib import ProblemSpec

    bounds = checked_bounds(names, "names")
    chosen = list(OUTCOMES) if outputs is None else list(outputs)
    unknown = [o for o in chosen if o not in OUTCOMES]
    if unknown:
        raise ValueError(f"outputs: {unknown} unknown; allowed {', '.join(OUTCOMES)}")
    return ProblemSpec(
        {
            "names": list(bounds),
            "bounds": [list(b) for b in bounds.values()],
            "outputs": chosen,
        }
    )


@dataclass(frozen=True)
class Evaluator:
    """Evaluates rows of samples: ``f(X) -> Y``, shaped (rows, outputs). Picklable.

    With one output ``Y`` is 1-D, (rows,), as SALib's analyses take a single output.

    Attributes:
        scenario: the base scenario the sampled values are laid over.
        names: the sampled parameters, in the columns' order.
        outputs: the outcomes, in the columns' order of the result.
        years: run length; the scenario's own if None.
        seeds: every row runs on these seeds; the outcome is their mean.
    """

    scenario: Scenario
    names: tuple[str, ...]
    outputs: tuple[str, ...]
    years: int | None
    seeds: tuple[int, ...]

    def values(self, row: np.ndarray) -> dict[str, Any]:
        """One row as the model takes it: whole-number parameters rounded, within range."""
        out: dict[str, Any] = {}
        for name, value in zip(self.names, row, strict=True):
            p = PARAM_BY_NAME[name]
            value = min(max(float(value), p.low), p.high)  # samplers can overshoot by an ulp
            out[name] = round(value) if p.kind == "int" else value
        return out

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """Run every row of ``X`` on every seed; return the mean outcomes, one row each."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        Y = np.empty((len(X), len(self.outputs)))
        for i, row in enumerate(X):
            values = self.values(row)
            runs = [
                run_scenario(self.scenario, params=values, rng=s, years=self.years)["outcomes"]
                for s in self.seeds
            ]
            Y[i] = [np.mean([r[o] for r in runs]) for o in self.outputs]
        return Y[:, 0] if len(self.outputs) == 1 else Y  # SALib takes one output as 1-D


def evaluator(
    spec: Any,
    scenario: Scenario | str | os.PathLike[str] = "baseline",
    *,
    years: int | None = None,
    rng: int | Sequence[int] = 0,
    constants: Mapping[str, Any] | None = None,
) -> Evaluator:
    """The function ``spec.evaluate`` calls for a problem from :func:`problem`.

    Args:
        spec: the ``ProblemSpec`` (its ``names`` and ``outputs`` are read).
        scenario: a bundled name, a scenario file or a :class:`Scenario`.
        years: run length; the scenario's own if None.
        rng: the seed of every row, or several seeds to average over.
        constants: parameter values fixed for every row (``{"citizens": 2_000}``),
            validated now.

    Raises:
        ValueError: a seed that is not a non-negative integer, or an unknown output.
        sim.core.scenario.ScenarioError: the scenario, a constant or ``years`` is invalid.
    """
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    fixed = dict(constants or {})
    if years is not None:
        fixed["years"] = years
    if fixed:
        base = base.with_overrides(fixed)
    seeds = [rng] if isinstance(rng, int | np.integer) else list(rng)
    outputs = tuple(spec["outputs"])
    unknown = [o for o in outputs if o not in OUTCOMES]
    if unknown:
        raise ValueError(f"outputs: {unknown} unknown; allowed {', '.join(OUTCOMES)}")
    return Evaluator(
        scenario=base,
        names=tuple(spec["names"]),
        outputs=outputs,
        years=years,
        seeds=tuple(check_seed(s, "rng") for s in seeds),
    )
