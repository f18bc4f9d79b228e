"""The nine mechanisms of MODEL.md, each a named, documented, switchable part of the step.

:meth:`sim.model.CoCreationModel.step` calls them in this order each week:

1. :func:`leadership` (on its slower clock) and the deal's promises,
2. :func:`cross_pressure` (professionals),
3. :func:`recruitment`,
4. :func:`participation`,
5. :func:`workload`,
6. :func:`burnout`,
7. :func:`public_value` (value, wellbeing, prevention),
8. :func:`trust`,
9. :func:`accounting`.

Each mechanism is switched by ``mechanisms.<name>`` in the scenario. Its per-agent work
runs in the numba kernels (:mod:`sim.kernels`) or, with ``engine="reference"``, in
the plain agent-by-agent twins (:mod:`sim.reference`). Their scalar rules, with
sources, are in :mod:`sim.rules`; parameter defaults are in :mod:`sim.core.params`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import kernels, reference
from sim import leadership as lead
from sim.rules import HOURS_PER_WEEK, VOLUNTEER

if TYPE_CHECKING:
    from sim.model import CoCreationModel


PROMISE_EVIDENCE = 0.25
"""Evidence one promise of weight 1 adds to each citizen at a review: a public promise is
seen by everyone but weighs less than a personal experience."""


def _numba(model: CoCreationModel) -> bool:
    return model.engine == "numba"


def leadership(model: CoCreationModel) -> None:
    """Mechanism 7: leadership and learning, plus keeping the deal's promises.

    Every ``leader_period`` weeks the four leaders review in order (political,
    strategic, tactical, operational; seed 002, ch. 3): see :mod:`sim.leadership`. With
    the mechanism off, allocations stay as the scenario set them: no pull-back, no
    re-targeting, no learning.

    At the same reviews the council's promises in the scenario's ``deal`` are checked
    (seed 001, slide 18, "Our part"), whether or not leadership is on. A kept promise
    adds good evidence to every citizen's trust and a broken one bad evidence, so with
    w⁻ > w⁺ broken promises cost more than kept ones earn (Slovic 1993).

    Source: seed 002 (leadership levels, "work slowly to work fast", Aarhus); seed 001.
    """
    period = int(model.params.leader_period)
    review = model.week > 1 and (model.week - 1) % period == 0
    if review and model.switches.leadership:
        for level in ("political", "strategic", "tactical", "operational"):
            model.leaders[level].review()
    model.policy = lead.compose_policy(model)
    if review:
        good, bad = check_promises(model)
        model.policy = model.policy._replace(promise_good=good, promise_bad=bad)


def check_promises(model: CoCreationModel) -> tuple[float, float]:
    """Check each of the council's promises against the current policy.

    Logs each outcome and returns the (kept, broken) evidence weights.
    """
    kept_weight = broken_weight = 0.0
    pol = model.policy
    hd = model.world.hoods
    quality = float(np.average(hd.quality, weights=hd.population))
    ar = model.world.arenas
    is_open = ar.open == 1
    # A group thrives when it gets at least half the hours it needs from at least half
    # the hands it plans for, not from a few carrying it (:func:`sim.rules.arena_gap`).
    half = 0.5 * ar.load[is_open]
    hands = ar.volunteers[is_open] * model.params.hours_per_member * pol.expectation
    thriving = (
        float(np.mean((ar.received[is_open] >= half) & (hands >= half))) if is_open.any() else 0.0
    )
    annual_income = model.params.budget_per_citizen * model.n_citizens * model.budget_factor
    for promise in model.config.deal["council"]:
        kind, level = promise["promise"], promise["level"]
        if kind == "keep_council_tax_low":
            kept = model.ledger["reserves"] >= -level * annual_income
        elif kind == "help_communities":
            kept = pol.fund_rate >= level and thriving >= 0.5
        elif kind == "listen_and_respond":
            kept = pol.responsiveness >= level
        else:  # services_around_people
            kept = quality >= level
        model.promise_log.append({"step": model.week, "promise": kind, "kept": bool(kept)})
        if kept:
            kept_weight += promise["weight"] * PROMISE_EVIDENCE
        else:
            broken_weight += promise["weight"] * PROMISE_EVIDENCE
    model.tally["promises_kept_weight"] = kept_weight
    model.tally["promises_broken_weight"] = broken_weight
    return kept_weight, broken_weight


def cross_pressure(model: CoCreationModel) -> None:
    """Mechanism 6: professionals' cross-pressure.

    Rules (bureaucracy), targets (NPM) and co-creation compete for the same contracted
    hours; leaders' logic and the frontline mandate set the split, and core services get
    the rest. Service hours the council withdraws as citizens co-produce
    (``service_withdrawal``, a lever of responsibility shift, seed 004) come off the
    professionals' core demand and paid time. Overload builds strain, and strain eats
    effective hours, so an office can tip into self-escalating overload (Rudolph &
    Repenning 2002, ASQ 47). With the mechanism off, strain stays where it is.

    Source: seed 001 (three governance logics); seed 002 (Stange "Hjelpa" staff
    overload); Rudolph & Repenning 2002.
    """
    hd = model.world.hoods
    withdrawal = model.levers["service_withdrawal"]
    np.minimum(hd.demand, withdrawal * hd.volunteer_hours, out=hd.withdrawn)
    on = model.switches.cross_pressure
    if _numba(model):
        kernels.professionals_phase(model.world.professionals, hd, model.params, model.policy, on)
    else:
        reference.professionals_phase(model, on)


def recruitment(model: CoCreationModel, vol_prev: np.ndarray) -> None:
    """Mechanism 2: recruitment through ties, anchor institutions and outreach.

    An idle citizen is asked by each volunteering tie with ``tie_ask_rate`` a week
    (most volunteers are asked by someone they know: NCVO Time Well Spent 2019), by an
    anchor institution of the neighbourhood (seed 002, Preston: reaches people ties do
    not) and by council outreach, aimed by ``outreach_targeting``. Asked, they say yes
    with a benefit-against-cost probability (:func:`sim.rules.acceptance_probability`).
    Each new volunteer records the channel that asked. Every channel asks in proportion
    to the neighbourhood's vacancy: the share of its arenas' need they had no hands for
    last week (:func:`sim.rules.arena_gap`), so arenas with the hands they plan for stop
    asking. A recruit joins an arena of the neighbourhood that is still looking for
    hands (:func:`sim.rules.arena_takes`). With the mechanism off nobody is recruited.
    """
    on = model.switches.recruitment
    w = model.world
    if _numba(model):
        counts = kernels.recruitment_phase(
            w.citizens,
            w.arenas,
            w.hoods,
            w.network,
            vol_prev,
            model.params,
            model.policy,
            model.seed,
            model.week,
            on,
        )
    else:
        counts = reference.recruitment_phase(model, vol_prev, on)
    model.tally["recruits_tie"] = int(counts[1])
    model.tally["recruits_anchor"] = int(counts[2])
    model.tally["recruits_outreach"] = int(counts[3])


def participation(model: CoCreationModel, part_prev: np.ndarray, burnt_prev: np.ndarray) -> None:
    """Mechanism 1: the participation decision.

    Each week a citizen outside a volunteering role takes part with a logistic
    probability that rises with resources, trust, mattering, free time, being asked and
    a Granovetter threshold term on ties who took part last week, and falls with
    cynicism and with ties who burnt out (:func:`sim.rules.participation_probability`).
    A deal's citizens' part is a standing invitation to get involved: for each expected
    hour a week (up to one) it counts as being asked 2 × trust times, so it is taken up
    in proportion to trust. Volunteers take part
    unless they stop (:func:`sim.rules.exit_probability`). With the mechanism off,
    everyone takes part with the same base probability: no gradient, no influence.

    Source: Granovetter 1978; Verba, Schlozman & Brady 1995; Ren & Kraut; seed 001
    ("Your part"); seed 002 (co-creation fatigue).
    """
    on = model.switches.participation
    invitation = min(1.0, float(model.config.deal["citizens"]["expected_hours"]))
    w = model.world
    if _numba(model):
        exits, stranded = kernels.participation_phase(
            w.citizens,
            w.arenas,
            w.hoods,
            w.network,
            part_prev,
            burnt_prev,
            model.params,
            model.policy,
            invitation,
            model.seed,
            model.week,
            on,
        )
    else:
        exits, stranded = reference.participation_phase(
            model, part_prev, burnt_prev, invitation, on
        )
    model.tally["exits"] = int(exits) + int(stranded)


def workload(model: CoCreationModel) -> None:
    """Mechanism 3: workload allocation.

    Each open arena needs its demand, less what volunteer support takes off, plus the
    citizens' unmet part of a deal (implicit demands, Steen, Brandsen & Verschuere
    2018). The need is shared among its volunteers in proportion to commitment to the
    power ``load_concentration``, so it concentrates on those already most engaged: the
    civic core (Mohan & Bulloch 2012). Professional facilitation spreads it more evenly
    (:func:`sim.rules.arena_concentration`). Each volunteer is asked the
    expectation placed on volunteers times that share: unrealistic expectations
    (Wigan pitfall, seed 002) load everyone beyond the arena's need, and more hands do
    not relieve them. Hours given are capped by a work limit (Homer 1985). What the
    first share leaves of the need is asked again of the members who still have time,
    each giving the same share of their spare time (:func:`sim.rules.top_up_share`), so
    an arena with enough hands is covered and its newcomers get hours. Episodic
    volunteers (a share ``episodic_share`` of citizens) give in occasional stints,
    taking a larger share in a stint week and none between stints
    (:func:`sim.rules.stint_factor`; Cnaan & Handy 2005, Macduff 2005). With the
    mechanism off the need is spread evenly and nothing is asked again.
    """
    on = model.switches.workload
    expected = float(model.config.deal["citizens"]["expected_hours"])
    w = model.world
    if _numba(model):
        implicit = kernels.workload_phase(
            w.citizens,
            w.arenas,
            w.hoods,
            model.params,
            model.policy,
            expected,
            model.seed,
            model.week,
            on,
        )
    else:
        implicit = reference.workload_phase(model, expected, on)
    model.tally["implicit_demand_hours"] = float(implicit)


def burnout(model: CoCreationModel) -> None:
    """Mechanism 4: volunteer burnout, effort and recovery.

    Exhaustion builds when load exceeds a volunteer's free time and ebbs with rest;
    cynicism follows exhaustion (Leiter & Maslach 1988; Demerouti et al. 2001). Past
    ``burnout_threshold`` a volunteer burns out: leaves the role to recover, loses
    trust (if the trust mechanism is on) and mattering (if public value and wellbeing
    are on): participation fatigue. After recovery they come back with
    ``return_chance`` or are gone for good, and stay cynical (seed 002, Wigan pitfall). Unrealistic
    expectations raise the load (the ``volunteer_expectation`` lever). With the
    mechanism off nobody tires.
    """
    on = model.switches.burnout
    trust_on = model.switches.trust
    value_on = model.switches.public_value
    if _numba(model):
        b, r, g = kernels.burnout_phase(
            model.world.citizens,
            model.world.hoods,
            model.params,
            model.policy,
            model.seed,
            model.week,
            on,
            trust_on,
            value_on,
        )
    else:
        b, r, g = reference.burnout_phase(model, on, trust_on, value_on)
    model.tally["burnouts"] = int(b)
    model.tally["trust_lost_to_burnout"] = 2.0 * model.params.trust_loss * b if trust_on else 0.0
    model.tally["returned"] = int(r)
    model.tally["gone"] = int(g)


def public_value(model: CoCreationModel) -> None:
    """Mechanism 8: public value and wellbeing.

    Arenas produce value by a CES co-production function of professional facilitation
    and volunteer hours (Parks et al. 1981; Jakobsen & Andersen 2013); an arena starved
    of hours for eight weeks closes. The community fund opens new ones (a set-up cost)
    and keeps them going with a yearly grant (``arena_grant``; Wigan's Community
    Investment Fund gave about GBP 18k per group over five years): when the fund is cut
    below what its groups' grants need, one of them folds each week until the grants
    fit. Money that finds no slot to open is not kept. Taking part
    with recognition raises mattering and wellbeing; exclusion, loneliness and
    exhaustion lower them (seed 000). Local value lowers need for services later
    (prevention, Wigan: Naylor & Wellings 2019). With the mechanism off arenas produce
    no value, and mattering, wellbeing and need stay where they are.
    """
    on = model.switches.public_value
    w = model.world
    if _numba(model):
        closed, opened = kernels.arena_phase(
            w.arenas, w.hoods, model.params, model.policy, model.n_citizens, on
        )
        unmet = kernels.service_quality(w.hoods, model.params, model.policy)
        kernels.wellbeing_phase(w.citizens, w.hoods, w.network, model.params, model.policy, on)
    else:
        closed, opened = reference.arena_phase(model, on)
        unmet = reference.service_quality(model)
        reference.wellbeing_phase(model, on)
    model.tally["arenas_closed"] = int(closed)
    model.tally["arenas_opened"] = int(opened)
    model.tally["unmet_demand"] = float(unmet)


def trust(model: CoCreationModel, trust_prev: np.ndarray) -> None:
    """Mechanism 5: trust in the municipality.

    A beta reputation (Jøsang & Ismail 2002): service contacts that respond add good
    evidence, those that fail bad; participants who speak up and are told what came of
    it add good evidence, those who are not bad (Wigan: "tell us if we get it wrong");
    broken promises add bad evidence to everyone, and kept promises good evidence to
    those who trust the council enough to credit its word: below the trust gate
    (:func:`sim.rules.trust_gate_factor`) a kept promise is not believed, so a deal
    launched amid distrust cannot talk its way up (seed 002, Wigan: the deal
    presupposes high trust; the legitimacy threshold of Epstein 2002). Bad evidence
    weighs more (w⁻ > w⁺, Slovic 1993), prior trust colours new evidence (Poortinga &
    Pidgeon 2004), and trust spreads along ties by bounded-confidence averaging (Deffuant et al.
    2000). Trust gates participation and recruitment. With the mechanism off trust
    stays where it started.
    """
    on = model.switches.trust
    w = model.world
    if _numba(model):
        destroyed, unanswered = kernels.trust_phase(
            w.citizens,
            w.hoods,
            w.network,
            trust_prev,
            model.params,
            model.policy,
            model.seed,
            model.week,
            on,
        )
    else:
        destroyed, unanswered = reference.trust_phase(model, trust_prev, on)
    model.tally["trust_destroyed"] = float(destroyed)
    model.tally["unanswered_voices"] = int(unanswered)


def accounting(model: CoCreationModel) -> None:
    """Mechanism 9: municipal accounting.

    Revenue comes in each week; out go staff time, the community fund, coordination
    (transaction) costs of facilitation not bridged across silos, volunteer support,
    and acute care bought for demand services could not meet. Savings show up as lower
    acute costs when prevention lowers demand. Reserves change by exactly revenue minus
    costs, so money is conserved. Each year budget pressure cuts revenue and with it
    staff time; with the mechanism off the budget is never cut.

    Source: Naylor & Wellings 2019 (Wigan: GBP 140m saved, ~40% of the budget).
    """
    p, pol, w = model.params, model.policy, model.world
    hd = w.hoods
    cost_h = p.service_cost_per_hour
    paid_hours = np.maximum(
        0.0, hd.professionals * HOURS_PER_WEEK * pol.staff_factor - hd.withdrawn
    ).sum()
    facilitation = float(w.professionals.facilitation.sum())
    coordination_hours = facilitation * (1.0 - p.silo_bridging) * 0.5
    volunteers = int(np.count_nonzero(w.citizens.state == VOLUNTEER))
    lines = {
        "cost_staff": paid_hours * cost_h,
        "cost_fund": pol.fund_rate * model.n_citizens / 52.0,
        "cost_coordination": coordination_hours * cost_h,
        "cost_support": pol.support * volunteers * p.support_cost,
        "cost_acute": model.tally["unmet_demand"] * cost_h * p.acute_cost_factor,
    }
    income = p.budget_per_citizen * model.n_citizens / 52.0 * pol.budget_factor
    costs = sum(lines.values())
    ledger = model.ledger
    ledger.update(lines)
    ledger["income"] = income
    ledger["costs"] = costs
    ledger["total_income"] += income
    ledger["total_costs"] += costs
    ledger["reserves"] += income - costs
    model.tally["coordination_hours"] = coordination_hours
    model.tally["volunteers"] = volunteers
    if model.switches.accounting and model.week % 52 == 0:
        model.budget_factor *= 1.0 - model.params.budget_pressure
