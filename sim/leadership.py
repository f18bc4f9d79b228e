"""What leaders do at a review, one function per leadership level.

Leaders act on a slower clock than citizens: every ``leader_period`` weeks
(:func:`sim.mechanisms.leadership`). The four levels follow the SAMVERDI report
(seed 002, chapter 3): political, strategic, tactical and operational. Their state
(patience, commitment, targets, support) lives on the :class:`sim.model.agents.Leader`
agents, and :func:`compose_policy` turns it, with the scenario's levers, into the
:class:`sim.core.state.Policy` the kernels read.

With an evaluating, learning culture leaders shift resources towards what works
(formative evaluation, seed 002, Aarhus case); with a short horizon or a zero-error
culture they pull back before the investment pays off ("work slowly to work fast",
seed 002).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.state import Policy
from sim.core.world import fund_shares

if TYPE_CHECKING:
    from sim.model import CoCreationModel
    from sim.model.agents import Leader

PAYBACK = 0.02
"""Margin by which savings must exceed the investment to count as a return."""

STAFFING_RATE = 0.25
"""Share of the gap between staffing and service demand closed at each review."""


def init_leader(leader: Leader) -> None:
    """Give a leader the state of its level at the start of a run."""
    levers = leader.model.levers
    if leader.level == "political":
        leader.commitment = 1.0  # share of the planned co-creation investment kept
        leader.impatience = 0.0  # weeks without visible return
        leader.pullbacks = 0
    elif leader.level == "tactical":
        leader.targets_weight = float(levers["logic_npm"])
    elif leader.level == "operational":
        leader.expectation = float(levers["volunteer_expectation"])
        leader.support = float(levers["volunteer_support"])


def political_review(model: CoCreationModel, leader: Leader) -> None:
    """Political leaders keep or lose patience with the co-creation investment.

    They weigh what co-creation costs (community fund, volunteer support and
    coordination over the last period) against what it has saved (staff and acute-care
    spending down from the first period). While it costs more than it saves,
    impatience grows by the review period (more slowly with an evaluation culture that
    shows intermediate results). When it reaches ``political_patience`` they halve the
    investment: the J-curve's cost without its return (seed 002, "work slowly to work
    fast"; Wigan: needs courage and patience). Without a co-creation programme (no
    community fund and no facilitation) there is nothing to wait for, and the standing
    cost of volunteer support alone does not make them impatient: the status quo is not
    an investment.
    """
    period = int(model.params.leader_period)
    lines = model.datacollector.model_vars

    def spend(names: tuple[str, ...], first: bool) -> float:
        window = slice(None, period) if first else slice(-period, None)
        return float(sum(np.mean(lines[name][window]) for name in names))

    programme = spend(("cost_fund", "cost_coordination"), first=False)
    invested = programme + spend(("cost_support",), first=False)
    services = ("cost_staff", "cost_acute")
    saved = spend(services, first=True) - spend(services, first=False)
    if programme > 0.0 and saved < invested * (1.0 + PAYBACK):
        leader.impatience += period * (1.0 - 0.5 * model.levers["evaluation_culture"])
    else:
        leader.impatience = max(0.0, leader.impatience - period)
    if leader.impatience >= model.levers["political_patience"]:
        leader.commitment *= 0.5
        leader.impatience = 0.0
        leader.pullbacks += 1


def fund_split(model: CoCreationModel) -> np.ndarray:
    """The community fund's split across neighbourhoods set by ``fund_targeting``.

    From an open call (0) to proportionate to deprivation (1)
    (:func:`sim.core.world.fund_shares`). It applies from the start of a run.
    """
    hd = model.world.hoods
    return fund_shares(hd.population, hd.deprivation, model.levers["fund_targeting"])


def strategic_review(model: CoCreationModel, leader: Leader) -> None:
    """Strategic leaders target the community fund across neighbourhoods.

    The base split runs from an open call (targeting 0), which the better-resourced
    neighbourhoods claim most of, to proportionate to deprivation (targeting 1,
    proportionate universalism, Marmot Review 2010). With an evaluation
    culture they also move money towards neighbourhoods where it produced more value
    per pound (formative evaluation, seed 002 Aarhus case).

    They also size frontline staffing to service demand (within half to one and a half
    times the start), so prevention that lowers demand turns into savings: the Wigan
    Deal's "fewer staff, lower cost" (Naylor & Wellings 2019). Revenue cuts cap staffing
    in :func:`compose_policy`.
    """
    hd = model.world.hoods
    base = fund_split(model)
    e = model.levers["evaluation_culture"]
    if e > 0.0 and hd.value.sum() > 0.0:
        per_pound = hd.value / np.maximum(hd.fund_weight, 1e-9)
        relative = per_pound / max(per_pound.mean(), 1e-12)
        base = base * (1.0 + 0.5 * e * (np.clip(relative, 0.0, 3.0) - 1.0))
        base = np.maximum(base, 0.0)
    hd.fund_weight[:] = base / base.sum()
    demand = hd.demand.sum() / model.initial_demand
    model.staffing += STAFFING_RATE * (min(max(demand, 0.5), 1.5) - model.staffing)


def tactical_review(model: CoCreationModel, leader: Leader) -> None:
    """Tactical leaders drop some targets when staff are strained, if they learn.

    Co-creation piled on unchanged targets overloads staff (seed 002, Stange
    "Hjelpa"); a learning culture relieves them by easing NPM targets.
    """
    e = model.levers["evaluation_culture"]
    if e > 0.0 and model.world.professionals.strain.mean() > 0.5:
        leader.targets_weight *= 1.0 - 0.3 * e


def operational_review(model: CoCreationModel, leader: Leader) -> None:
    """Operational leaders respond to volunteer burnout, if they learn.

    When burnouts over the last period exceed 2% of volunteers, a learning culture
    lowers what is expected of volunteers and adds support (seed 002, Wigan pitfall:
    volunteer overload).
    """
    e = model.levers["evaluation_culture"]
    if e <= 0.0:
        return
    period = int(model.params.leader_period)
    recent = model.datacollector.model_vars.get("burnouts", [])[-period:]
    volunteers = max(1.0, float(np.count_nonzero(model.world.citizens.state == 1)))
    if sum(recent) / volunteers > 0.02:
        leader.expectation = max(min(0.5, leader.expectation), leader.expectation * (1.0 - 0.3 * e))
        leader.support = min(1.0, leader.support + 0.2 * e)


def compose_policy(model: CoCreationModel) -> Policy:
    """Combine the scenario's levers with the leaders' current state."""
    lv = model.levers
    leaders = model.leaders
    k = leaders["political"].commitment
    return Policy(
        rules_weight=float(lv["logic_bureaucracy"]),
        targets_weight=float(leaders["tactical"].targets_weight),
        facilitation_share=float(lv["cocreation_staff_share"] * lv["logic_cocreation"] * k),
        fund_rate=float(lv["community_fund"] * k),
        outreach=float(lv["outreach"] * (0.5 + 0.5 * k)),
        outreach_targeting=float(lv["outreach_targeting"]),
        anchor_use=float(lv["anchor_institutions"]),
        support=float(leaders["operational"].support),
        expectation=float(leaders["operational"].expectation),
        responsiveness=float(lv["responsiveness"] * (0.5 + 0.5 * k)),
        recognition=float(lv["recognition"]),
        budget_factor=float(model.budget_factor),
        staff_factor=float(min(model.budget_factor, model.staffing)),
        promise_good=0.0,
        promise_bad=0.0,
    )
