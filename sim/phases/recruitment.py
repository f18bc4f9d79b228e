"""Mechanism 2: recruitment through ties, anchor institutions, outreach and a deal's call.

An idle citizen is asked by each volunteering tie with ``tie_ask_rate`` a week (most
volunteers are asked by someone they know: NCVO Time Well Spent 2019), by an anchor
institution of the neighbourhood (seed 002, Preston: reaches people ties do not) and by
council outreach, aimed by ``outreach_targeting`` (proportionate universalism, Marmot
2010). Asked, they say yes with a benefit-against-cost probability
(:func:`acceptance_probability`; Ren & Kraut). Each new volunteer records the channel that
asked.

Each of these three channels asks in proportion to the neighbourhood's vacancy: the
share of its arenas' need they had no hands for last week (:func:`arena_gap`), so arenas
with the hands they plan for stop asking. A recruit joins an arena of the neighbourhood
that is still looking for hands (:func:`arena_takes`), and that arena's gap is counted
down as they join: the recruitment of one citizen depends on who joined before them in
the week, so citizens are visited in a fixed order (by row), the same in both engines.

Supported arenas seek hands for their whole work, not for the smaller load support leaves
(:func:`sought_per_member`; Hager & Brudney 2004).

A deal that expects hours of every citizen also calls on all of them to take on a role
(:func:`call_rate`): a campaign, loudest at its launch, that does not wait for the
arenas' count of hands, and whose recruits join any open arena of their ward. The
council recruits as a third party for the groups (Haski-Leventhal, Meijs & Hustinx
2010), so a call can bring more people than the groups planned for; whether they stay
is left to exit, overload and burnout, which is how the Wigan pitfall of unrealistic
expectations turns a rise in volunteering into burnout (seed 002; pattern 4).

Sources: NCVO 2019; seed 002 (Preston, anchor institutions; Wigan, unrealistic
expectations); Smaldino & Lubell 2011 (capacity limits on arenas); Ren & Kraut; Hager &
Brudney 2004; seed 001 ("Your part"); Haski-Leventhal, Meijs & Hustinx 2010; Downs 1972;
Brudney & Meijs 2009.

Switch: ``mechanisms.recruitment``. Off, nobody is recruited.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from numba import prange

from sim.core import rng as R
from sim.core.jit import jit, jit_parallel, rule
from sim.core.params import MIDPOINT
from sim.core.rng import uniform, uniform_nb
from sim.core.state import Channel, Role, rows
from sim.phases.common import (
    FREE_TIME_FLOOR,
    DecisionRules,
    Person,
    decision_fields,
    person_of,
    sigmoid,
)
from sim.phases.trust import trust_gate_factor
from sim.phases.workload import supported_worth

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

NO_LIMIT = 1.0e18
"""Arena places when the capacity limit does not apply (re-placing stranded volunteers)."""

CHANNELS = len(Channel)
"""Recruitment channels, counted by their index (:class:`~sim.core.state.Channel`)."""

LN2 = math.log(2.0)
"""ln 2: a reach that halves every H weeks, summed over all weeks, is its start × H / ln 2."""

NEWCOMER_COMMITMENT = 0.1
"""Commitment of a new volunteer (assumption: low, so newcomers are given a share of the
work that grows as they give hours; :func:`sim.phases.workload.load_weight`)."""

TARGETED_WEIGHT = 2.0
"""Fully targeted outreach weighs a citizen by 2 × (1 − resources), about one on average,
so targeting moves outreach rather than adding to it (Marmot Review 2010)."""


class RecruitmentTally(NamedTuple):
    """Recruits this week, by the channel that asked them."""

    tie: int
    anchor: int
    outreach: int
    call: int


# ------------------------------------------------------------------------------ rules


@rule
def arena_gap(need: float, received: float, members: int, hours_per_member: float) -> float:
    """Hours of an arena's need it has no hands for: what drives its recruitment.

    An arena looks for people while it is short of hours (its members gave less than it
    needs) or short of hands: it plans on ``hours_per_member`` a week from each member,
    and while its members times that fall short of its need it asks for more, so that
    the work is shared rather than resting on a few (the Wigan pitfall of unrealistic
    expectations of enthusiasts, seed 002). An arena with the hands it plans for stops
    asking, so volunteering settles where the arenas' need puts it rather than growing
    by contagion through ties (Smaldino & Lubell 2011 on arenas' capacity as an
    institutional rule). The public-value phase computes it at the end of each week
    (:func:`sim.phases.public_value.arena_kernel`).
    """
    short_hours = need - received
    short_hands = need - members * hours_per_member
    gap = short_hours if short_hours > short_hands else short_hands
    return gap if gap > 0.0 else 0.0


@rule
def sought_per_member(planned: float, support: float) -> float:
    """Hours of an arena's load one more member is counted to cover when it seeks hands.

    ``planned`` hours a member (``hours_per_member`` times the expectation) in unsupported
    hours, so ``planned`` / :func:`sim.phases.workload.supported_worth`: support makes each
    hour go further and lowers the load its members carry (:func:`sim.phases.workload.arena_load`),
    but the arena keeps seeking hands for its whole work. Volunteer management is what lets
    an organisation take volunteers on and keep them (Hager & Brudney 2004), not a reason to
    take fewer. Before, a supported arena sought hands for its smaller load only, so the
    co-creation strategies' support lowered recruitment below the status quo's.
    """
    return planned / supported_worth(support)


@rule
def tie_ask_chance(volunteer_ties: int, tie_rate: float) -> float:
    """Chance of being asked this week through ties, at least one of them asking.

    Each of ``volunteer_ties`` volunteering ties asks independently with ``tie_rate``;
    most volunteers are asked by someone they know (NCVO, Time Well Spent 2019). The rate
    passed in, like those of anchor institutions and outreach, is already scaled by the
    neighbourhood's vacancy: the share of its arenas' need they had no hands for last week
    (:func:`arena_gap`), so where arenas have the hands they plan for, asking stops.
    Anchor institutions reach everyone in their neighbourhood, ties or not (seed 002,
    Preston case); outreach reaches whom it is aimed at (:func:`outreach_rate`). The
    exponent is a float so that the compiled rule calls ``pow`` as Python does
    (:func:`sim.core.jit.rule`).
    """
    return 1.0 - (1.0 - tie_rate) ** float(volunteer_ties)


_TIE_TABLE = 64
"""Numbers of volunteering ties for which the claims kernel looks :func:`tie_ask_chance` up
in a table of its ward's, made once a week (a citizen with more computes it in place)."""


@rule
def acceptance_probability(person: Person, p: Any) -> float:
    """Chance of saying yes to a volunteering role when asked.

    Benefit against cost (Ren & Kraut's online-community model): resources, trust
    and mattering raise it, lack of time and cynicism lower it; below the trust gate
    (:func:`sim.phases.trust.trust_gate_factor`) the answer is no.
    """
    x = (
        p.acceptance_base
        + p.participation_resources * (person.ses - MIDPOINT)
        + p.participation_trust * (person.trust - MIDPOINT)
        + (person.mattering - MIDPOINT)
        + math.log(person.free_time + FREE_TIME_FLOOR)
        - p.participation_fatigue * person.cynicism
    )
    return sigmoid(x) * trust_gate_factor(person.trust, p.trust_gate)


@rule
def outreach_rate(ses: float, reach: float, intensity: float, targeting: float) -> float:
    """Weekly chance that council outreach asks this citizen.

    ``reach`` times ``intensity`` times a relative weight with mean about one: 0
    targeting reaches everyone alike; 1 aims at the least resourced (proportionate
    universalism, Marmot Review 2010).
    """
    return reach * intensity * ((1.0 - targeting) + targeting * TARGETED_WEIGHT * (1.0 - ses))


@rule
def invitation_of(expected_hours: float) -> float:
    """A deal's invitation to get involved: its expected hours a week, counted up to one.

    The deal's citizens' part ("Your part", seed 001, slide 18) invites every citizen to
    get involved; a call for more than an hour a week invites no more than a call for
    one (assumption). It scales the deal's call to take on a role (:func:`call_rate`)
    and its standing invitation in the weekly participation decision
    (:func:`sim.phases.participation.participation_probability`).
    """
    return expected_hours if expected_hours < 1.0 else 1.0


@rule
def call_rate(expected_hours: float, asks: float, weeks: float, half_life: float) -> float:
    """Weekly chance that a deal's call asks a citizen to take on a volunteering role.

    A deal that expects hours of every citizen is a campaign asking all of them to do
    their bit, as the Wigan Deal's "Your part" did (seed 001, slide 18); Wigan took it
    door to door, a week of action in one neighbourhood after another, with pledge cards
    to volunteer (Wigan Council, "The Deal in Action"; Leigh Observer 2015). Over the
    campaign it asks each citizen ``asks`` times at an invitation of one
    (:func:`invitation_of`), in proportion below, and most at its launch: its weekly
    reach halves every ``half_life`` weeks, as public attention to a call fades (Downs
    1972, the issue-attention cycle; the NHS Volunteer Responders call of March 2020
    drew 750,000 applications within two days, against a target of 250,000). ``weeks``
    counts from the deal's start, the run's first week.

    The council recruits as a third party for the groups of its wards (Haski-Leventhal,
    Meijs & Hustinx 2010), so, unlike the other channels, the call does not wait for an
    arena's count of the hands it lacks (:func:`arena_gap`): its recruits join any open
    arena of their ward (:func:`arena_takes`, not ``seeking``). Whether they stay is
    left to exit, overload and burnout: volunteer energy is a renewable resource that
    use without care depletes (Brudney & Meijs 2009). No deal, no call.
    """
    launch = asks * LN2 / half_life  # weekly reach at the launch: ``asks`` in all
    return launch * invitation_of(expected_hours) * math.exp(-LN2 * weeks / half_life)


@rule
def arena_takes(
    is_open: int,
    anchor: int,
    volunteers: int,
    gap: float,
    anchors_only: bool,
    places: float,
    seeking: bool,
) -> bool:
    """Whether an arena can take a volunteer: open, of the asked kind, not full.

    A new recruit (``seeking``) also needs an arena still looking for hands: a recruit
    joins one of the arenas that asked, those with hours they have no hands for
    (``gap`` > 0, :func:`arena_gap`, counted down as recruits join). A recruit of a
    deal's call does not seek (:func:`call_rate`): any open arena of the ward takes
    them, if it has room. Capacity
    limits on arenas (Smaldino & Lubell 2011) mean a group that has the volunteers it
    can use takes no more: recruitment then goes to arenas with room, or stops. A
    volunteer whose arena closes is re-placed in any open arena of the ward, ignoring
    the limit (``places = NO_LIMIT``, not ``seeking``).
    """
    if is_open != 1:
        return False
    if anchors_only and anchor != 1:
        return False
    if seeking and gap <= 0.0:
        return False
    return volunteers < places


# ---------------------------------------------------------------- arenas of a ward


@jit
def count_open_arenas(ar, hd):
    """Recount open arenas and open anchor arenas per neighbourhood."""
    hd.open_arenas[:] = 0
    hd.open_anchors[:] = 0
    for a in range(ar.open.shape[0]):
        if ar.open[a] == 1:
            hd.open_arenas[ar.hood[a]] += 1
            if ar.anchor[a] == 1:
                hd.open_anchors[ar.hood[a]] += 1


@jit
def pick_arena_among(
    is_open, anchor, volunteers, gap, first, count, u, anchors_only, places, seeking
):
    """The k-th arena of a ward that takes a volunteer, k from ``u``; -1 if none does.

    The ward's arenas are the ``count`` from ``first``; which arenas take one,
    :func:`arena_takes`. It reads the arenas' arrays rather than their record, as a
    parallel loop must (:data:`sim.core.jit.jit_parallel`).
    """
    takers = 0
    for a in range(first, first + count):
        if arena_takes(is_open[a], anchor[a], volunteers[a], gap[a], anchors_only, places, seeking):
            takers += 1
    if takers == 0:
        return -1
    k = int(u * takers)
    for a in range(first, first + count):
        if arena_takes(is_open[a], anchor[a], volunteers[a], gap[a], anchors_only, places, seeking):
            if k == 0:
                return a
            k -= 1
    return -1


def pick_arena_of(
    ar: Any, hd: Any, h: int, u: float, anchors_only: bool, places: float, seeking: bool
) -> int:
    """Twin of :func:`pick_arena_among`: the open (anchor) arenas of ``h`` with room, the k-th."""
    first = int(hd.first_arena[h])
    room = [
        a
        for a in range(first, first + int(hd.n_arenas[h]))
        if arena_takes(
            ar.open[a], ar.anchor[a], ar.volunteers[a], ar.gap[a], anchors_only, places, seeking
        )
    ]
    if not room:
        return -1
    return room[int(u * len(room))]


# ----------------------------------------------------------------------------- kernel


@jit_parallel
def claims_kernel(c, hd, net, p, pol, seed, step, p_call, volunteer_before):
    """Who is asked and says yes this week, in parallel: each idle citizen's claim.

    A claim is the channel that asked a citizen who accepted, or :data:`Channel.NONE`.
    Whether a citizen is asked and accepts depends on their ward's vacancies at the start
    of the phase and on themselves, never on another citizen's claim, so the claims are
    the same in any order. The loop reads local names only (:data:`sim.core.jit.jit_parallel`).
    """
    state = c.state
    hood = c.hood
    ses = c.ses
    trust = c.trust
    mattering = c.mattering
    free_time = c.free_time
    cynicism = c.cynicism
    threshold = c.threshold
    open_arenas = hd.open_arenas
    open_anchors = hd.open_anchors
    shortfall = hd.shortfall
    ptr = net.ptr
    idx = net.idx
    rules = DecisionRules(*decision_fields(p))
    free_time_mean = p.free_time_mean
    anchor_use = p.anchor_reach * pol.anchor_use
    reach = p.outreach_reach
    outreach = pol.outreach
    targeting = pol.outreach_targeting
    tie_rate = p.tie_ask_rate
    claims = np.zeros(state.shape[0], dtype=np.int8)  # Channel.NONE is 0
    # The chance of being asked through ties depends on the ward and the number of
    # volunteering ties alone: a power per ward and number, not one per citizen.
    tie_chances = np.empty((shortfall.shape[0], _TIE_TABLE))
    for h in range(shortfall.shape[0]):
        for k in range(_TIE_TABLE):
            tie_chances[h, k] = tie_ask_chance(k, tie_rate * shortfall[h])
    for i in prange(state.shape[0]):
        if state[i] != Role.IDLE:
            continue
        h = hood[i]
        if open_arenas[h] == 0:
            continue
        nv = 0
        for k in range(ptr[i], ptr[i + 1]):
            nv += volunteer_before[idx[k]]
        anchor_rate = anchor_use if open_anchors[h] > 0 else 0.0
        out_rate = outreach_rate(ses[i], reach, outreach, targeting)
        vacancy = shortfall[h]
        p_tie = tie_chances[h, nv] if nv < _TIE_TABLE else tie_ask_chance(nv, tie_rate * vacancy)
        p_anchor = anchor_rate * vacancy
        p_out = out_rate * vacancy
        channel = Channel.NONE
        if uniform_nb(seed, step, i, R.S_ASK_TIE) < p_tie:
            channel = Channel.TIE
        elif uniform_nb(seed, step, i, R.S_ASK_ANCHOR) < p_anchor:
            channel = Channel.ANCHOR
        elif uniform_nb(seed, step, i, R.S_ASK_OUTREACH) < p_out:
            channel = Channel.OUTREACH
        elif uniform_nb(seed, step, i, R.S_ASK_CALL) < p_call:
            channel = Channel.CALL
        if channel == Channel.NONE:
            continue
        person = person_of(i, ses, trust, mattering, free_time, cynicism, threshold, free_time_mean)
        if uniform_nb(seed, step, i, R.S_ACCEPT) >= acceptance_probability(person, rules):
            continue
        claims[i] = channel
    return claims


@jit_parallel
def settle_kernel(c, ar, hd, claims, seed, step, sought, places):
    """Settle the claims: each recruit joins an arena still looking for hands.

    Ward by ward in parallel, each ward's claims one by one in row order: a recruit picks
    among their own ward's arenas and counts its gap down before the next recruit of the
    ward picks, and no claim reaches another ward's arenas, so the wards are settled in
    any order with the same result. Returns the recruits of each ward by channel. The
    loops read local names only (:data:`sim.core.jit.jit_parallel`).
    """
    state = c.state
    arena = c.arena
    channel_of = c.channel
    joined = c.joined
    commitment = c.commitment
    is_open = ar.open
    anchor = ar.anchor
    volunteers = ar.volunteers
    gap = ar.gap
    first_arena = hd.first_arena
    n_arenas = hd.n_arenas
    first_citizen = hd.first_citizen
    population = hd.population
    by_ward = np.zeros((first_citizen.shape[0], CHANNELS), dtype=np.int64)
    for h in prange(first_citizen.shape[0]):
        rows_end = first_citizen[h] + population[h]
        for a in range(first_arena[h], first_arena[h] + n_arenas[h]):
            volunteers[a] = 0
        for i in range(first_citizen[h], rows_end):
            if state[i] == Role.VOLUNTEER and arena[i] >= 0:
                volunteers[arena[i]] += 1
        for i in range(first_citizen[h], rows_end):
            channel = claims[i]
            if channel == Channel.NONE:
                continue
            u = uniform_nb(seed, step, i, R.S_ARENA_PICK)
            seeking = channel != Channel.CALL  # the call does not wait for a count of hands
            a = pick_arena_among(
                is_open,
                anchor,
                volunteers,
                gap,
                first_arena[h],
                n_arenas[h],
                u,
                channel == Channel.ANCHOR,
                places,
                seeking,
            )
            if a < 0:  # no arena that could take them is looking for hands
                continue
            volunteers[a] += 1
            gap[a] -= sought
            state[i] = Role.VOLUNTEER
            arena[i] = a
            channel_of[i] = channel
            joined[i] = step
            commitment[i] = NEWCOMER_COMMITMENT
            by_ward[h, channel] += 1
    return by_ward


@jit
def kernel(world, p, pol, ctx):
    """Idle citizens may be asked and say yes; recruits join an arena that asked.

    The claims are made in parallel (:func:`claims_kernel`) and then settled one by one in
    row order, ward by ward (:func:`settle_kernel`): each recruit picks among their ward's
    arenas still looking for hands, and the arena's gap is counted down before the next
    recruit picks. Settling in row order is the documented rule that makes the result
    the same at any number of threads.
    """
    c, ar, hd, net = world.citizens, world.arenas, world.hoods, world.network
    seed, step = ctx.seed, ctx.step
    count_open_arenas(ar, hd)
    if not ctx.switches.recruitment:
        return RecruitmentTally(0, 0, 0, 0)
    p_call = call_rate(ctx.deal.expected_hours, p.deal_call_asks, step - 1, p.deal_call_half_life)
    claims = claims_kernel(c, hd, net, p, pol, seed, step, p_call, ctx.before.volunteer)
    sought = sought_per_member(p.hours_per_member * pol.expectation, pol.support)
    recruits = settle_kernel(c, ar, hd, claims, seed, step, sought, p.arena_places).sum(axis=0)
    return RecruitmentTally(
        recruits[Channel.TIE],
        recruits[Channel.ANCHOR],
        recruits[Channel.OUTREACH],
        recruits[Channel.CALL],
    )


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> RecruitmentTally:
    """The kernel's readable twin: citizen by citizen."""
    ar, hd, net = world.arenas, world.hoods, world.network
    seed, step = ctx.seed, ctx.step
    recruits = dict.fromkeys(Channel, 0)
    count_open_arenas.py_func(ar, hd)
    if not ctx.switches.recruitment:
        return RecruitmentTally(0, 0, 0, 0)
    p_call = call_rate(ctx.deal.expected_hours, p.deal_call_asks, step - 1, p.deal_call_half_life)
    citizens = list(rows(world.citizens))
    ar.volunteers[:] = 0
    for citizen in citizens:
        if citizen.state == Role.VOLUNTEER and citizen.arena >= 0:
            ar.volunteers[citizen.arena] += 1
    for citizen in citizens:
        if citizen.state != Role.IDLE:
            continue
        i, h = citizen.row, citizen.hood
        if hd.open_arenas[h] == 0:
            continue
        ties = net.idx[net.ptr[i] : net.ptr[i + 1]]
        volunteer_ties = sum(int(ctx.before.volunteer[j]) for j in ties)
        anchor_rate = p.anchor_reach * pol.anchor_use if hd.open_anchors[h] > 0 else 0.0
        out_rate = outreach_rate(
            citizen.ses, p.outreach_reach, pol.outreach, pol.outreach_targeting
        )
        vacancy = hd.shortfall[h]
        p_tie = tie_ask_chance(volunteer_ties, p.tie_ask_rate * vacancy)
        p_anchor = anchor_rate * vacancy
        p_out = out_rate * vacancy
        if uniform(seed, step, i, R.S_ASK_TIE) < p_tie:
            channel = Channel.TIE
        elif uniform(seed, step, i, R.S_ASK_ANCHOR) < p_anchor:
            channel = Channel.ANCHOR
        elif uniform(seed, step, i, R.S_ASK_OUTREACH) < p_out:
            channel = Channel.OUTREACH
        elif uniform(seed, step, i, R.S_ASK_CALL) < p_call:
            channel = Channel.CALL
        else:
            continue
        person = Person(
            citizen.ses,
            citizen.trust,
            citizen.mattering,
            citizen.free_time / p.free_time_mean,
            citizen.cynicism,
            citizen.threshold,
        )
        if uniform(seed, step, i, R.S_ACCEPT) >= acceptance_probability(person, p):
            continue
        u = uniform(seed, step, i, R.S_ARENA_PICK)
        seeking = channel != Channel.CALL  # the call does not wait for a count of hands
        a = pick_arena_of(ar, hd, h, u, channel == Channel.ANCHOR, p.arena_places, seeking)
        if a < 0:  # no arena that could take them is looking for hands
            continue
        ar.volunteers[a] += 1
        ar.gap[a] -= sought_per_member(p.hours_per_member * pol.expectation, pol.support)
        citizen.arena = a
        citizen.state = Role.VOLUNTEER
        citizen.channel = channel
        citizen.joined = step
        citizen.commitment = NEWCOMER_COMMITMENT
        recruits[channel] += 1
    return RecruitmentTally(
        recruits[Channel.TIE],
        recruits[Channel.ANCHOR],
        recruits[Channel.OUTREACH],
        recruits[Channel.CALL],
    )
