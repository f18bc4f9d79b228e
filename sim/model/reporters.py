"""What a user reads off: model-level reporters and per-group breakdowns.

:func:`compute` returns, after each step, every model-level reporter the
:class:`mesa.DataCollector` records (:data:`REPORTERS`). :func:`group_rows` returns the
per-neighbourhood and per-quintile breakdowns for that step. Both are plain numpy and
shared by the two engines.

The dark side is measured (MODEL.md; Steen, Brandsen & Verschuere 2018, seven evils):

=====================================  =========================================
evil                                   indicator
=====================================  =========================================
deliberate rejection of responsibility ``responsibility_withdrawn``
failing accountability                 ``unanswered_voices``, ``promises_broken``
rising transaction costs               ``coordination_hours``
loss of democracy                      ``participant_representativeness``
reinforced inequalities                ``*_gap_q5_q1``, ``ward_participation_gap``
implicit demands                       ``implicit_demand_hours``
co-destruction of public value         ``trust_destroyed``, ``arenas_closed``
=====================================  =========================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.rules import GONE, HOURS_PER_WEEK, RECOVERING, VOLUNTEER

if TYPE_CHECKING:
    from sim.model import CoCreationModel

REPORTERS: dict[str, str] = {
    "participation_rate": "share of citizens who took part this week",
    "volunteers": "citizens in an active volunteering role",
    "champions": "volunteers giving at least champion_hours a week",
    "volunteer_hours": "volunteer hours given this week",
    "top10_hours_share": "share of the last year's hours given by the top 10% of citizens",
    "burnouts": "volunteers who burnt out this week",
    "mean_trust": "mean trust in the municipality",
    "trust_gap_q5_q1": "mean trust of the top resource quintile minus the bottom",
    "mean_wellbeing": "mean wellbeing",
    "wellbeing_gap_q5_q1": "mean wellbeing of the top quintile minus the bottom",
    "public_value": "arena value plus services valued at the start's hours per citizen, "
    "weighted by quality (so prevention that lowers demand is not counted as lost value)",
    "service_demand": "frontline service hours asked this week",
    "net_cost": "spending minus revenue this week (GBP; positive is a deficit)",
    "participant_representativeness": "1 minus the dissimilarity of participants' quintiles "
    "from the population (1 = a mirror)",
    "professional_strain": "mean strain of professionals",
    # further indicators
    "mean_mattering": "mean mattering",
    "mattering_gap_q5_q1": "mean mattering of the top quintile minus the bottom",
    "participation_q1": "participation rate of the bottom quintile",
    "participation_q5": "participation rate of the top quintile",
    "recovering": "volunteers recovering from burnout",
    "gone": "former volunteers gone for good",
    "exits": "volunteers who stopped this week (not burnout)",
    "recruits_tie": "volunteers recruited through ties this week",
    "recruits_anchor": "volunteers recruited through anchor institutions this week",
    "recruits_outreach": "volunteers recruited by outreach this week",
    "open_arenas": "arenas open",
    "arenas_closed": "arenas closed this week for want of hours or of a grant",
    "arena_value": "value produced by arenas this week",
    "service_quality": "population-weighted service quality",
    "unmet_demand": "service hours not met this week",
    "cocreation_hours_share": "share of professional hours spent facilitating",
    "coordination_hours": "coordination hours (transaction costs) this week",
    "responsibility_withdrawn": "share of service demand withdrawn as citizens co-produce",
    "implicit_demand_hours": "unchosen hours pushed onto volunteers this week",
    "unanswered_voices": "participants who spoke up and heard nothing back this week",
    "trust_destroyed": "bad trust evidence added this week (experiences, promises, burnouts)",
    "promises_kept": "weight of the deal's promises seen kept this week",
    "promises_broken": "weight of the deal's promises seen broken this week",
    "ward_participation_gap": "highest minus lowest neighbourhood participation rate",
    "income": "revenue this week (GBP)",
    "costs": "spending this week (GBP)",
    "reserves": "cumulative revenue minus spending (GBP)",
    "cost_staff": "staff cost this week (GBP)",
    "cost_fund": "community fund this week (GBP)",
    "cost_coordination": "coordination cost this week (GBP)",
    "cost_support": "volunteer support cost this week (GBP)",
    "cost_acute": "acute care bought for unmet demand this week (GBP)",
    "pullbacks": "times political leaders have pulled back so far",
    "budget_factor": "revenue relative to the start",
    "staff_factor": "professionals' paid hours relative to the start",
}

HOOD_COLUMNS = (
    "population",
    "deprivation",
    "participation_rate",
    "volunteers",
    "volunteer_hours",
    "mean_trust",
    "mean_wellbeing",
    "mean_need",
    "open_arenas",
    "arena_value",
    "service_quality",
)
QUINTILE_COLUMNS = (
    "population",
    "participation_rate",
    "volunteers",
    "volunteer_hours",
    "hours_share",
    "mean_trust",
    "mean_wellbeing",
    "mean_mattering",
    "burnouts_total",
)


def top_share(values: np.ndarray, share: float = 0.1) -> float:
    """Share of the total held by the top ``share`` of entries (0 if the total is 0)."""
    k = max(1, int(np.ceil(share * len(values))))
    positive = values[values > 0.0]  # most citizens give nothing; skip them
    total = positive.sum()
    if total <= 0.0:
        return 0.0
    if len(positive) <= k:
        return 1.0
    return float(np.partition(positive, len(positive) - k)[len(positive) - k :].sum() / total)


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 equal, 1 all held by one)."""
    v = np.sort(values)
    n = len(v)
    total = v.sum()
    if n == 0 or total <= 0.0:
        return 0.0
    return float((2.0 * np.arange(1, n + 1) - n - 1).dot(v) / (n * total))


def compute(model: CoCreationModel, quint: np.ndarray) -> dict[str, float]:
    """All model-level reporters for the current step.

    Args:
        model: the model after its step.
        quint: this step's per-quintile rows from :func:`group_rows`.
    """
    w = model.world
    c, hd, pr = w.citizens, w.hoods, w.professionals
    t = model.tally
    n = len(c.ses)
    qn = model.quintile_sizes
    states = np.bincount(c.state, minlength=4)
    column = {name: k for k, name in enumerate(QUINTILE_COLUMNS)}
    part_q = quint[:, column["participation_rate"]]
    trust_q = quint[:, column["mean_trust"]]
    wb_q = quint[:, column["mean_wellbeing"]]
    matter_q = quint[:, column["mean_mattering"]]
    participants = int(c.part.sum())
    if participants:
        shares = part_q * qn / participants
        representativeness = 1.0 - 0.5 * np.abs(shares - qn / n).sum() / 0.8
    else:
        representativeness = 0.0
    hood_part = hd.participants / hd.population
    demand = float(hd.demand.sum())
    ledger = model.ledger
    arena_value = float(hd.value.sum())
    return {
        "participation_rate": participants / n,
        "volunteers": int(states[VOLUNTEER]),
        "champions": int(
            np.count_nonzero((c.state == VOLUNTEER) & (c.hours >= model.params.champion_hours))
        ),
        "volunteer_hours": float(c.hours.sum()),
        "top10_hours_share": top_share(c.hours_recent),
        "burnouts": t["burnouts"],
        "mean_trust": float(c.trust.mean()),
        "trust_gap_q5_q1": float(trust_q[4] - trust_q[0]),
        "mean_wellbeing": float(c.wellbeing.mean()),
        "wellbeing_gap_q5_q1": float(wb_q[4] - wb_q[0]),
        "public_value": arena_value
        + float((hd.quality * hd.population).sum()) * model.initial_demand / n,
        "service_demand": demand,
        "net_cost": ledger["costs"] - ledger["income"],
        "participant_representativeness": float(representativeness),
        "professional_strain": float(pr.strain.mean()),
        "mean_mattering": float(c.mattering.mean()),
        "mattering_gap_q5_q1": float(matter_q[4] - matter_q[0]),
        "participation_q1": float(part_q[0]),
        "participation_q5": float(part_q[4]),
        "recovering": int(states[RECOVERING]),
        "gone": int(states[GONE]),
        "exits": t["exits"],
        "recruits_tie": t["recruits_tie"],
        "recruits_anchor": t["recruits_anchor"],
        "recruits_outreach": t["recruits_outreach"],
        "open_arenas": int(w.arenas.open.sum()),
        "arenas_closed": t["arenas_closed"],
        "arena_value": arena_value,
        "service_quality": float(np.average(hd.quality, weights=hd.population)),
        "unmet_demand": t["unmet_demand"],
        "cocreation_hours_share": float(
            pr.facilitation.sum() / (HOURS_PER_WEEK * model.policy.staff_factor * len(pr.hood))
        ),
        "coordination_hours": t["coordination_hours"],
        "responsibility_withdrawn": float(hd.withdrawn.sum() / demand) if demand > 0 else 0.0,
        "implicit_demand_hours": t["implicit_demand_hours"],
        "unanswered_voices": t["unanswered_voices"],
        "trust_destroyed": t["trust_destroyed"] + t["trust_lost_to_burnout"],
        "promises_kept": t.get("promises_kept_weight", 0.0),
        "promises_broken": t.get("promises_broken_weight", 0.0),
        "ward_participation_gap": float(hood_part.max() - hood_part.min()),
        "income": ledger["income"],
        "costs": ledger["costs"],
        "reserves": ledger["reserves"],
        "cost_staff": ledger["cost_staff"],
        "cost_fund": ledger["cost_fund"],
        "cost_coordination": ledger["cost_coordination"],
        "cost_support": ledger["cost_support"],
        "cost_acute": ledger["cost_acute"],
        "pullbacks": int(model.leaders["political"].pullbacks),
        "budget_factor": float(model.budget_factor),
        "staff_factor": float(model.policy.staff_factor),
    }


def group_rows(model: CoCreationModel) -> tuple[np.ndarray, np.ndarray]:
    """Per-neighbourhood and per-quintile breakdowns for the current step.

    Returns:
        Two float arrays, shaped (neighbourhoods, len(HOOD_COLUMNS)) and
        (5, len(QUINTILE_COLUMNS)).
    """
    w = model.world
    c, hd, ar = w.citizens, w.hoods, w.arenas
    n_h = len(hd.population)
    pop = hd.population.astype(float)
    vol = (c.state == VOLUNTEER).astype(float)
    hood = np.column_stack(
        [
            pop,
            hd.deprivation,
            hd.participants / pop,
            np.bincount(c.hood, vol, n_h),
            hd.volunteer_hours,
            np.bincount(c.hood, c.trust, n_h) / pop,
            np.bincount(c.hood, c.wellbeing, n_h) / pop,
            np.bincount(c.hood, c.need, n_h) / pop,
            np.bincount(ar.hood, ar.open, n_h),
            hd.value,
            hd.quality,
        ]
    )
    qn = model.quintile_sizes
    hours = np.bincount(c.quintile, c.hours, 5)
    total = hours.sum()
    quint = np.column_stack(
        [
            qn,
            np.bincount(c.quintile, c.part, 5) / qn,
            np.bincount(c.quintile, vol, 5),
            hours,
            hours / total if total > 0 else np.zeros(5),
            np.bincount(c.quintile, c.trust, 5) / qn,
            np.bincount(c.quintile, c.wellbeing, 5) / qn,
            np.bincount(c.quintile, c.mattering, 5) / qn,
            np.bincount(c.quintile, c.burnouts, 5),
        ]
    )
    return hood, quint
