"""One entry point for every runner: run a scenario, get named outcomes.

:func:`run_scenario` is a plain, picklable function: the CLI, SALib sweeps, EMA
Workbench and Mesa users can all call it. :data:`OUTCOMES` documents each scalar.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from sim.core.params import DEFAULT_ENGINE, DEFAULT_SEED, WEEKS_PER_YEAR, Measure
from sim.core.rng import check_seed
from sim.core.scenario import Scenario, load_scenario

_SHARE = (0.0, 1.0)
_GAP = (-1.0, 1.0)
_COUNT = (0.0, None)

# fmt: off
_OUTCOMES: tuple[Measure, ...] = (
    Measure("final_participation", "share of adults", *_SHARE,
            "participation rate in the last week"),
    Measure("mean_participation", "share of adults", *_SHARE,
            "mean weekly participation rate over the run"),
    Measure("final_volunteers_share", "share of adults", *_SHARE,
            "volunteers as a share of citizens in the last week"),
    Measure("burnouts_per_1000_per_year", "burnouts per 1,000 adults per year", *_COUNT,
            "volunteer burnouts per 1,000 citizens per year"),
    Measure("volunteer_retention", "share of volunteers per year", *_SHARE,
            "1 minus the annual rate at which volunteers stop (exit or burnout); read it "
            "with mean_participation: arenas that take few keep the same few"),
    Measure("final_trust", "score, 0-1", *_SHARE, "mean trust in the last week"),
    Measure("trust_change", "change in score, 0-1 scale", *_GAP,
            "final minus first-week mean trust"),
    Measure("final_trust_gap", "difference in score, 0-1 scale", *_GAP,
            "trust gap between the top and bottom resource quintile, last week"),
    Measure("final_wellbeing_gap", "difference in score, 0-1 scale", *_GAP,
            "wellbeing gap between the top and bottom quintile, last week; read it with "
            "q1_final_wellbeing: a gap that narrows as everyone loses is levelling down"),
    Measure("final_wellbeing", "score, 0-1", *_SHARE, "mean wellbeing in the last week"),
    Measure("cumulative_net_cost", "GBP", None, None,
            "sum of weekly spending minus revenue"),
    Measure("mean_public_value", "model units per week", *_COUNT,
            "mean weekly public value, counted with distributional weights (Green Book)"),
    Measure("mean_public_value_unweighted", "model units per week", *_COUNT,
            "mean weekly public value counted whoever it reaches (no distributional weights)"),
    Measure("final_top10_hours_share", "share of hours", *_SHARE,
            "share of the last year's hours given by the top 10%"),
    Measure("final_representativeness", "index, 1 = mirrors the population", *_SHARE,
            "participant representativeness in the last week"),
    Measure("final_professional_strain", "index", *_SHARE,
            "mean professional strain in the last week"),
    Measure("final_service_demand", "hours per week", *_COUNT,
            "service hours asked in the last week"),
    # the harm panel (HARM_PANEL)
    Measure("q1_final_wellbeing", "score, 0-1", *_SHARE,
            "mean wellbeing of the least-resourced quintile in the last week"),
    Measure("q1_unmet_need_share", "share of need", *_SHARE,
            "share of the least-resourced quintile's service need left unmet, mean over "
            "the run"),
    Measure("services_withdrawn_share", "share of service demand", *_SHARE,
            "share of service demand the council withdrew as citizens co-produce, mean over "
            "the run"),
    Measure("implicit_demand_hours", "hours per week", *_COUNT,
            "unchosen load pushed onto volunteers (the citizens' unmet part of a deal), mean "
            "over the run"),
    Measure("unanswered_voice_share", "share of voices", *_SHARE,
            "share of the voices raised over the run that got no answer"),
    Measure("promises_broken_share", "share of promise checks", *_SHARE,
            "share of the deal's promise checks found broken over the run (0 with no deal)"),
    Measure("volunteers_gone_share", "share of adults", *_SHARE,
            "share of adults gone for good from volunteering in the last week"),
    Measure("value_destroyed", "model units per week", *_COUNT,
            "public value lost to burnout (exhausted hours), closures and unmet need, mean "
            "over the run, in the unit of public_value"),
)
# fmt: on

OUTCOMES: dict[str, Measure] = {m.name: m for m in _OUTCOMES}
"""The scalar outcomes of a run, by name, with units, ranges and meanings."""

HARM_PANEL: tuple[str, ...] = (
    "q1_final_wellbeing",
    "q1_unmet_need_share",
    "services_withdrawn_share",
    "implicit_demand_hours",
    "unanswered_voice_share",
    "promises_broken_share",
    "volunteers_gone_share",
    "value_destroyed",
)
"""The dark side's costs, shown beside the gains in every table a planner reads (Steen,
Brandsen & Verschuere 2018, the seven evils)."""

HARM_HIGHER_IS_WORSE: dict[str, bool] = {name: name != "q1_final_wellbeing" for name in HARM_PANEL}
"""Which way each harm points: more is worse, except the least-resourced's wellbeing."""

HIGHER_IS_BETTER: dict[str, bool | None] = {
    "final_participation": True,
    "mean_participation": True,
    "final_volunteers_share": True,
    "burnouts_per_1000_per_year": False,
    "volunteer_retention": True,
    "final_trust": True,
    "trust_change": True,
    "final_trust_gap": False,
    "final_wellbeing_gap": False,
    "final_wellbeing": True,
    "cumulative_net_cost": False,
    "mean_public_value": True,
    "mean_public_value_unweighted": True,
    "final_top10_hours_share": False,
    "final_representativeness": True,
    "final_professional_strain": False,
    "final_service_demand": None,
    **{name: not worse for name, worse in HARM_HIGHER_IS_WORSE.items()},
}
"""Which way a planner reads each outcome as a gain: True where more is better, False
where less is better, None where neither (service demand falls with prevention and with
need left unmet alike). The harms follow :data:`HARM_HIGHER_IS_WORSE`."""


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, or 0 when the denominator is 0."""
    return numerator / denominator if denominator > 0 else 0.0


def weeks_run(timeseries: pd.DataFrame) -> pd.DataFrame:
    """The rows of the weeks run, without week 0 (the start, before any week has run).

    ``timeseries`` is the DataCollector's frame (week 0 first) or a frame with a ``step``
    column or index.
    """
    if "step" in timeseries.columns:
        return timeseries[timeseries["step"] >= 1]
    if timeseries.index.name == "step":
        return timeseries[timeseries.index >= 1]
    return timeseries.iloc[1:]


def outcomes(timeseries: pd.DataFrame, n_citizens: int) -> dict[str, float]:
    """Scalar outcomes of one run from its per-step reporters (see :data:`OUTCOMES`).

    Computed over the weeks run (:func:`weeks_run`): week 0, the start, is left out.
    """
    ts = weeks_run(timeseries)
    years = len(ts) / WEEKS_PER_YEAR
    last = ts.iloc[-1]
    mean_vol = float(ts["volunteers"].mean())
    leavers = float(ts["exits"].sum() + ts["burnouts"].sum())
    annual_exit = leavers / years / mean_vol if mean_vol > 0 else 0.0
    return {
        "final_participation": float(last["participation_rate"]),
        "mean_participation": float(ts["participation_rate"].mean()),
        "final_volunteers_share": float(last["volunteers"]) / n_citizens,
        "burnouts_per_1000_per_year": float(ts["burnouts"].sum()) / years / n_citizens * 1000.0,
        "volunteer_retention": float(np.clip(1.0 - annual_exit, 0.0, 1.0)),
        "final_trust": float(last["mean_trust"]),
        "trust_change": float(last["mean_trust"] - ts["mean_trust"].iloc[0]),
        "final_trust_gap": float(last["trust_gap_q5_q1"]),
        "final_wellbeing_gap": float(last["wellbeing_gap_q5_q1"]),
        "final_wellbeing": float(last["mean_wellbeing"]),
        "cumulative_net_cost": float(ts["net_cost"].sum()),
        "mean_public_value": float(ts["public_value"].mean()),
        "mean_public_value_unweighted": float(ts["public_value_unweighted"].mean()),
        "final_top10_hours_share": float(last["top10_hours_share"]),
        "final_representativeness": float(last["participant_representativeness"]),
        "final_professional_strain": float(last["professional_strain"]),
        "final_service_demand": float(last["service_demand"]),
        "q1_final_wellbeing": float(last["wellbeing_q1"]),
        "q1_unmet_need_share": float(ts["unmet_need_share_q1"].mean()),
        "services_withdrawn_share": float(ts["responsibility_withdrawn"].mean()),
        "implicit_demand_hours": float(ts["implicit_demand_hours"].mean()),
        "unanswered_voice_share": ratio(
            float(ts["unanswered_voices"].sum()), float(ts["voices_raised"].sum())
        ),
        "promises_broken_share": ratio(
            float(ts["promise_checks_broken"].sum()), float(ts["promise_checks"].sum())
        ),
        "volunteers_gone_share": float(last["gone"]) / n_citizens,
        "value_destroyed": float(ts["value_destroyed"].mean()),
    }


def outcomes_document(found: dict[str, float]) -> dict[str, Any]:
    """Scalar outcomes as a self-describing document: each value with its unit and meaning.

    Returns:
        ``{"outcomes": {name: {"value", "unit", "description", "range"}}}``, in the
        order of :data:`OUTCOMES`.
    """
    return {
        "outcomes": {
            name: {
                "value": found[name],
                "unit": OUTCOMES[name].unit,
                "description": OUTCOMES[name].doc,
                "range": [OUTCOMES[name].low, OUTCOMES[name].high],
            }
            for name in OUTCOMES
            if name in found
        }
    }


def run_scenario(
    scenario: Scenario | str | os.PathLike[str],
    params: dict[str, Any] | None = None,
    rng: int = DEFAULT_SEED,
    years: int | None = None,
    engine: str = DEFAULT_ENGINE,
) -> dict[str, Any]:
    """Run one simulation and return its scalar outcomes and time series.

    Args:
        scenario: a :class:`~sim.core.scenario.Scenario`, a scenario file or a bundled name.
        params: flat parameter overrides (validated against the schema).
        rng: the seed, one non-negative integer (the model's keyword; a list or a float
            such as 0.5 is refused with a ValueError).
        years: run length; the scenario's own if None.
        engine: one of :data:`sim.core.params.ENGINES` (``"numba"`` or ``"reference"``).

    Returns:
        ``{"outcomes": {...}, "timeseries": DataFrame, "seed": seed, "scenario": name}``;
        the time series is indexed by ``step`` from week 0, the start.
    """
    from sim.model import CoCreationModel

    seed = check_seed(rng, "rng")
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    overrides = dict(params or {})
    if years is not None:
        overrides["years"] = years
    if overrides:
        scenario = scenario.with_overrides(overrides)
    model = CoCreationModel(scenario, rng=seed, engine=engine)
    model.run_for(scenario.weeks)
    ts = model.datacollector.get_model_vars_dataframe()
    ts.index = pd.RangeIndex(0, len(ts), name="step")
    return {
        "scenario": scenario.name,
        "seed": seed,
        "outcomes": outcomes(ts, model.n_citizens),
        "timeseries": ts,
    }


def ema_function(
    scenario: str = "baseline",
    rng: int = DEFAULT_SEED,
    years: int | None = None,
    **params: float,
) -> dict[str, float]:
    """:func:`run_scenario` in the shape the EMA Workbench calls a model.

    Use it with ``ema_workbench.ReplicatorModel(name, function=ema_function)``: sampled
    uncertainties and levers arrive as keyword arguments, the base scenario and run
    length as constants, and each replication as ``{"rng": k}``
    (``model.replications = [{"rng": k} for k in range(n)]``), so that replications use
    common random numbers. Returns the scalar outcomes (:data:`OUTCOMES`).
    :func:`sim.ema.model` builds such a model from the parameter registry.
    """
    return run_scenario(scenario, params=params or None, rng=rng, years=years)["outcomes"]
