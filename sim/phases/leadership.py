"""Mechanism 7: leadership and learning, and keeping the deal's promises.

Leaders act on a slower clock than citizens: every ``leader_period`` weeks the four levels of
the SAMVERDI report (seed 002, chapter 3) review in order, political, strategic, tactical
and operational, one function each below. Their state is ``World.leaders``, one row per
level (:class:`~sim.core.state.Level`); what they remember of the council's spending is its
books (``World.council``, kept by :mod:`sim.phases.accounting`). Every week
:func:`compose_policy` turns their state, with the scenario's levers, into the
:class:`~sim.core.state.Policy` every other phase reads, and this phase's tally carries it.

With an evaluating, learning culture leaders shift resources towards what works (formative
evaluation, seed 002, Aarhus case); with a short horizon or a zero-error culture they pull
back before the investment pays off ("work slowly to work fast", seed 002).

At the same reviews the council's promises in the scenario's ``deal`` are checked (seed 001,
slide 18, "Our part"), whether or not leadership is on (:func:`check_promises`). They are
judged on what citizens experience, not on the lever settings: services around people on
the share of need actually met, listening on the share of voices actually answered since
the last review, helping communities on the share of groups that actually thrive, and low
council tax on the reserves. A kept promise adds good evidence to every citizen's trust and
a broken one bad evidence (:mod:`sim.phases.trust`).

Sources: seed 002 (leadership levels, "work slowly to work fast", Aarhus, Stange "Hjelpa",
Wigan pitfalls); seed 001 (the deal); Naylor & Wellings 2019 (Wigan: fewer staff, lower
cost); Marmot Review 2010.

Switch: ``mechanisms.leadership``. Off, allocations stay as the scenario set them: no
pull-back, no re-targeting, no learning. Promises are still checked.

This phase loops over four leaders, not over agents, so it is plain Python (numpy) in both
engines: its twin is the phase itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.core.params import PROMISE_KINDS, WEEKS_PER_YEAR
from sim.core.state import COST_LINES, Level, Policy, Role
from sim.core.world import fund_shares

if TYPE_CHECKING:
    from sim.core.state import Deal, ParamTuple, World
    from sim.phases import Context

PAYBACK = 0.02
"""Margin by which savings must exceed the investment to count as a return (assumption)."""

EVALUATION_PATIENCE = 0.5
"""Share by which a full evaluation culture slows impatience: it shows intermediate
results (seed 002, Aarhus: formative evaluation)."""

PULLBACK = 0.5
"""Share of the co-creation investment kept when political leaders lose patience
(assumption: they halve it; seed 002, "work slowly to work fast")."""

PULLBACK_KEEPS = 0.5
"""Share of outreach and responsiveness that does not depend on the co-creation
investment: a pull-back to nothing still leaves half (assumption)."""

FUND_SHIFT = 0.5
"""At full evaluation culture, the fund share of a ward moves by half of how far its value
per pound is from the average (assumption; seed 002, Aarhus)."""

FUND_SHIFT_CAP = 3.0
"""Value per pound above three times the average counts as three (assumption)."""

STAFFING_RATE = 0.25
"""Share of the gap between staffing and service demand closed at each review."""

STAFFING_RANGE = (0.5, 1.5)
"""Leaders size frontline staffing to between half and one and a half times the start."""

STRAIN_ALERT = 0.5
"""Mean professional strain above which tactical leaders who learn ease targets."""

TARGET_EASING = 0.3
"""Share of the targets' weight a full evaluation culture drops at a review of strained
staff (assumption; seed 002, Stange "Hjelpa")."""

BURNOUT_ALERT = 0.02
"""Burnouts in a review period, as a share of volunteers, at which operational leaders
who learn act (assumption)."""

EXPECTATION_EASING = 0.3
"""Share of what is expected of volunteers a full evaluation culture drops at a review
with too many burnouts (assumption; seed 002, Wigan pitfall)."""

EXPECTATION_FLOOR = 0.5
"""Operational leaders do not ease expectations below this (or below where they were)."""

SUPPORT_STEP = 0.2
"""Volunteer support a full evaluation culture adds at a review with too many burnouts."""

THRIVING = 0.5
"""A group thrives when it gets at least half the hours it needs from at least half the
hands it plans for; the ``help_communities`` promise is kept while at least its level's
share of the open groups thrive."""

SHARE_GUARD = 1e-9
"""Guards the division by a ward's fund share."""

VALUE_GUARD = 1e-12
"""Guards the division by the mean value per pound."""

PROMISES: tuple[str, ...] = tuple(PROMISE_KINDS)
"""The promise kinds, in the order of ``Deal.kind``'s codes."""


class LeadershipTally(NamedTuple):
    """What leadership put into effect this week, and the promises checked at a review."""

    policy: Policy  # what every later phase reads this week
    promises: tuple[tuple[str, bool], ...]  # (kind, kept) of each promise checked
    kept_weight: float  # trust evidence from promises seen kept
    broken_weight: float  # trust evidence from promises seen broken


# ----------------------------------------------------------------------------- reviews


def political_review(world: World, p: ParamTuple) -> None:
    """Political leaders keep or lose patience with the co-creation investment.

    They weigh what co-creation costs (community fund, volunteer support and
    coordination over the last period) against what it has saved (staff and acute-care
    spending down from the first period), from the council's books. While it costs more
    than it saves, impatience grows by the review period (more slowly with an evaluation
    culture that shows intermediate results). When it reaches ``political_patience`` they
    halve the investment: the J-curve's cost without its return (seed 002, "work slowly to
    work fast"; Wigan: needs courage and patience). They halve the facilitation they ask
    of staff, not what mandated staff keep doing of their own accord
    (:func:`sim.phases.cross_pressure.cocreation_share`), and they cut the co-creation,
    not the targets it is judged by. Without a co-creation programme (no
    community fund and no facilitation) there is nothing to wait for, and the standing
    cost of volunteer support alone does not make them impatient: the status quo is not an
    investment.
    """
    leaders, council = world.leaders, world.council
    period = int(p.leader_period)
    if leaders.reviews[Level.POLITICAL] == 0:  # the first period, to compare later ones with
        council.first_books[:] = council.books

    def spend(names: tuple[str, ...], first: bool) -> float:
        books = council.first_books if first else council.books
        return float(sum(np.mean(books[COST_LINES.index(name)]) for name in names))

    programme = spend(("cost_fund", "cost_coordination"), first=False)
    invested = programme + spend(("cost_support",), first=False)
    services = ("cost_staff", "cost_acute")
    saved = spend(services, first=True) - spend(services, first=False)
    if programme > 0.0 and saved < invested * (1.0 + PAYBACK):
        leaders.impatience[Level.POLITICAL] += period * (
            1.0 - EVALUATION_PATIENCE * p.evaluation_culture
        )
    else:
        leaders.impatience[Level.POLITICAL] = max(0.0, leaders.impatience[Level.POLITICAL] - period)
    if leaders.impatience[Level.POLITICAL] >= p.political_patience:
        leaders.commitment[Level.POLITICAL] *= PULLBACK
        leaders.impatience[Level.POLITICAL] = 0.0
        leaders.pullbacks[Level.POLITICAL] += 1


def strategic_review(world: World, p: ParamTuple) -> None:
    """Strategic leaders target the community fund across neighbourhoods.

    The base split runs from an open call (targeting 0), which the better-resourced
    neighbourhoods claim most of, to proportionate to deprivation (targeting 1,
    proportionate universalism, Marmot Review 2010; :func:`sim.core.world.fund_shares`).
    With an evaluation culture they also move money towards neighbourhoods where it
    produced more value per pound (formative evaluation, seed 002 Aarhus case).

    They also size frontline staffing to service demand (within :data:`STAFFING_RANGE`
    of the start), so prevention that lowers demand turns into savings: the Wigan Deal's
    "fewer staff, lower cost" (Naylor & Wellings 2019). Care need a different conversation
    connected to community support (:func:`sim.phases.public_value.redirected_hours`) is
    not staffed for. Revenue cuts cap staffing in
    :func:`compose_policy`.
    """
    hd, council = world.hoods, world.council
    base = fund_shares(hd.population, hd.deprivation, p.fund_targeting)
    e = p.evaluation_culture
    if e > 0.0 and hd.value.sum() > 0.0:
        per_pound = hd.value / np.maximum(hd.fund_weight, SHARE_GUARD)
        relative = per_pound / max(per_pound.mean(), VALUE_GUARD)
        base = base * (1.0 + FUND_SHIFT * e * (np.clip(relative, 0.0, FUND_SHIFT_CAP) - 1.0))
        base = np.maximum(base, 0.0)
    hd.fund_weight[:] = base / base.sum()
    start = council.start_demand[0]
    asked = hd.demand.sum() - hd.redirected.sum()  # community support meets the rest
    demand = asked / start if start > 0.0 else 1.0  # no demand then: none to size to
    low, high = STAFFING_RANGE
    council.staffing[0] += STAFFING_RATE * (min(max(demand, low), high) - council.staffing[0])


def tactical_review(world: World, p: ParamTuple) -> None:
    """Tactical leaders drop some targets when staff are strained, if they learn.

    Co-creation piled on unchanged targets overloads staff (seed 002, Stange
    "Hjelpa"); a learning culture relieves them by easing NPM targets.
    """
    e = p.evaluation_culture
    if e > 0.0 and world.professionals.strain.mean() > STRAIN_ALERT:
        world.leaders.targets_weight[Level.TACTICAL] *= 1.0 - TARGET_EASING * e


def operational_review(world: World, p: ParamTuple) -> None:
    """Operational leaders respond to volunteer burnout, if they learn.

    They count the burnouts since their last review, a review period ago; when these
    exceed :data:`BURNOUT_ALERT` of volunteers, a learning culture lowers what is expected
    of volunteers and adds support (seed 002, Wigan pitfall: volunteer overload).
    """
    leaders, c = world.leaders, world.citizens
    total = int(c.burnouts.sum())
    recent = total - int(leaders.burnouts_seen[Level.OPERATIONAL])
    leaders.burnouts_seen[Level.OPERATIONAL] = total
    e = p.evaluation_culture
    if e <= 0.0:
        return
    volunteers = max(1.0, float(np.count_nonzero(c.state == Role.VOLUNTEER)))
    if recent / volunteers > BURNOUT_ALERT:
        op = Level.OPERATIONAL
        expectation = leaders.expectation[op]
        leaders.expectation[op] = max(
            min(EXPECTATION_FLOOR, expectation), expectation * (1.0 - EXPECTATION_EASING * e)
        )
        leaders.support[op] = min(1.0, leaders.support[op] + SUPPORT_STEP * e)


REVIEWS = (
    (Level.POLITICAL, political_review),
    (Level.STRATEGIC, strategic_review),
    (Level.TACTICAL, tactical_review),
    (Level.OPERATIONAL, operational_review),
)
"""Each level's review, in the order they are held."""


# ------------------------------------------------------------------ policy and promises


def compose_policy(world: World, p: ParamTuple) -> Policy:
    """Combine the scenario's levers with the leaders' current state and the budget."""
    leaders, council = world.leaders, world.council
    k = float(leaders.commitment[Level.POLITICAL])
    budget_factor = float(council.budget_factor[0])
    return Policy(
        rules_weight=float(p.logic_bureaucracy),
        targets_weight=float(leaders.targets_weight[Level.TACTICAL]),
        facilitation_share=float(p.cocreation_staff_share * p.logic_cocreation * k),
        withdrawn_facilitation=float(p.cocreation_staff_share * p.logic_cocreation * (1.0 - k)),
        fund_rate=float(p.community_fund * k),
        outreach=float(p.outreach * (PULLBACK_KEEPS + (1.0 - PULLBACK_KEEPS) * k)),
        outreach_targeting=float(p.outreach_targeting),
        anchor_use=float(p.anchor_institutions),
        support=float(leaders.support[Level.OPERATIONAL]),
        expectation=float(leaders.expectation[Level.OPERATIONAL]),
        responsiveness=float(p.responsiveness * (PULLBACK_KEEPS + (1.0 - PULLBACK_KEEPS) * k)),
        recognition=float(p.recognition),
        budget_factor=budget_factor,
        staff_factor=float(min(budget_factor, float(council.staffing[0]))),
        promise_good=0.0,
        promise_bad=0.0,
    )


def thriving_share(world: World, p: ParamTuple, pol: Policy) -> float:
    """Share of open groups that thrive (:data:`THRIVING`): enough hours from enough hands.

    Not from a few carrying it: hands are members times the hours the group plans on from
    each (:func:`sim.phases.recruitment.arena_gap`).
    """
    ar = world.arenas
    is_open = ar.open == 1
    if not is_open.any():
        return 0.0
    half = THRIVING * ar.load[is_open]
    hands = ar.volunteers[is_open] * p.hours_per_member * pol.expectation
    return float(np.mean((ar.received[is_open] >= half) & (hands >= half)))


def answered_share(raised: float, answered: float) -> float:
    """Share of the voices raised since the last review that were answered.

    With no voice raised there is nothing to judge the promise on, and it counts as kept.
    """
    return answered / raised if raised > 0.0 else 1.0


def check_promises(
    world: World, p: ParamTuple, pol: Policy, deal: Deal
) -> tuple[tuple[tuple[str, bool], ...], float, float]:
    """Check each of the council's promises against the world as it stands.

    A year's checks add ``promise_evidence`` experiences a promise of weight one; a kept
    promise's are credited at ``promise_kept_credit`` of a broken one's, since news of good
    performance raises citizens' satisfaction less than news of bad lowers it, if at all
    (James & Moseley 2014; James 2011).

    Returns:
        ((kind, kept) of each promise, kept evidence weight, broken evidence weight).
    """
    hd, council = world.hoods, world.council
    demand = float(hd.demand.sum())
    met = float((hd.met * hd.demand).sum()) / demand if demand > 0.0 else 1.0
    thriving = thriving_share(world, p, pol)
    answered = answered_share(float(council.voices_raised[0]), float(council.voices_answered[0]))
    n_citizens = len(world.citizens.hood)
    annual_income = p.budget_per_citizen * n_citizens * float(council.budget_factor[0])
    kept_weight = broken_weight = 0.0
    # A year's evidence is spread over the year's checks: leaders who review more often
    # do not make citizens follow their promises more closely.
    per_check = p.promise_evidence * float(p.leader_period) / WEEKS_PER_YEAR
    checked = []
    for code, level, weight in zip(deal.kind, deal.level, deal.weight, strict=True):
        kind = PROMISES[code]
        if kind == "keep_council_tax_low":
            kept = council.reserves[0] >= -level * annual_income
        elif kind == "help_communities":
            kept = thriving >= level
        elif kind == "listen_and_respond":
            kept = answered >= level
        else:  # services_around_people
            kept = met >= level
        checked.append((kind, bool(kept)))
        if kept:  # good news counts for less than bad (promise_kept_credit)
            kept_weight += float(weight) * per_check * p.promise_kept_credit
        else:
            broken_weight += float(weight) * per_check
    return tuple(checked), kept_weight, broken_weight


# ------------------------------------------------------------------------------ phase


def is_review(step: int, period: int) -> bool:
    """Whether leaders review this week: every ``period`` weeks, from week ``period + 1``."""
    return step > 1 and (step - 1) % period == 0


def kernel(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> LeadershipTally:
    """Reviews (on a review week), then this week's policy and the promises checked."""
    review = is_review(ctx.step, int(p.leader_period))
    if review and ctx.switches.leadership:
        for level, act in REVIEWS:
            act(world, p)
            world.leaders.reviews[level] += 1
    policy = compose_policy(world, p)
    if not review:
        return LeadershipTally(policy, (), 0.0, 0.0)
    checked, good, bad = check_promises(world, p, policy, ctx.deal)
    world.council.voices_raised[0] = 0.0  # the next review hears the voices from now on
    world.council.voices_answered[0] = 0.0
    policy = policy._replace(promise_good=good, promise_bad=bad)
    return LeadershipTally(policy, checked, good, bad)


twin = kernel
