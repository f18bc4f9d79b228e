"""Mechanism 1: the participation decision.

Each week a citizen outside a volunteering role takes part with a logistic probability that
rises with resources (Verba, Schlozman & Brady 1995), trust, mattering, free time, being
asked and a Granovetter threshold term on ties who took part last week (Granovetter 1978),
and falls with cynicism and with ties who burnt out (participation fatigue, seed 002)
(:func:`participation_probability`). A deal's citizens' part is a standing invitation to get
involved: for each expected hour a week (up to one) it counts as being asked
:data:`INVITATION_WEIGHT` × trust times, so it is taken up in proportion to trust (seed 001,
"Your part"). Volunteers stay unless they stop (:func:`exit_probability`; Ren & Kraut)
and are counted as taking part here; the workload phase keeps that only for those who give
hours this week (:func:`sim.phases.workload.took_part`),
and a volunteer whose arena has closed is re-placed in another open arena of the ward, or
left without a role if none is open. A group that closes after people invested in it
leaves lasting harm on its members, in proportion to their commitment
(:data:`CLOSURE_HARM`; co-destruction, Steen, Brandsen & Verschuere 2018).

Sources: Granovetter 1978; Verba, Schlozman & Brady 1995; Jakobsen 2013; Ren & Kraut;
CNCS 2006-09 (turnover); Maslach, Schaufeli & Leiter 2001 and Allen & Mueller 2013
(exhaustion and quitting); NCVO Time Well Spent 2019; seed 001 ("Your part"); seed 002
(co-creation fatigue).

Switch: ``mechanisms.participation``. Off, everyone outside a role takes part with the same
base probability: no gradient, no influence. Volunteers still stay or go.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

from numba import prange

from sim.core import rng as R
from sim.core.jit import jit, jit_parallel, rule
from sim.core.params import MIDPOINT
from sim.core.rng import uniform, uniform_nb
from sim.core.state import Role, rows
from sim.phases.common import (
    FREE_TIME_FLOOR,
    DecisionRules,
    Person,
    decision_fields,
    person_of,
    sigmoid,
    ties_share_of,
    ties_shares,
)
from sim.phases.recruitment import (
    NO_LIMIT,
    invitation_of,
    outreach_rate,
    pick_arena_among,
    pick_arena_of,
)
from sim.phases.trust import trust_gate_factor
from sim.phases.workload import RECENT_DECAY

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

THRESHOLD_STEP = 0.05
"""Scale of the smooth step at a citizen's Granovetter threshold, in shares of ties
(assumption; Granovetter 1978 uses a sharp threshold)."""

FREE_TIME_WEIGHT = 0.5
"""Log-odds per unit of log free time in the weekly decision (assumption; half the weight
it has in the decision to volunteer, which asks for more time)."""

ASKED_RESOURCE_TILT = 1.5
"""Being asked weighs 1.5 − resources: most for those with the fewest resources of their
own (Jakobsen 2013, JPART 23(1): public input raises co-production most among those in
greatest need)."""

INVITATION_WEIGHT = 2.0
"""A deal's standing invitation counts as being asked 2 × trust times per expected hour a
week, so at average trust about once (assumption)."""

EXIT_CYNICISM = 3.0
"""Exit rises by 3 × cynicism: a fully cynical volunteer leaves four times as often
(assumption; Ren & Kraut: exit when costs outweigh benefits)."""

EXIT_MATTERING = 1.5
"""Exit scales with 1.5 − mattering: a volunteer who matters fully leaves a third as often
as one who does not matter at all (assumption)."""

EXIT_IDLE = 5.0
"""Exit rises by 5 × the hours short of one a week: a volunteer given nothing to do leaves
six times as often (assumption; Ren & Kraut, exit after inactivity)."""

IDLE_HOURS = 1.0
"""Weekly hours under which a volunteer feels under-used."""

CLOSURE_HARM = 0.5
"""Lasting harm (``Citizens.harm``, in burnouts) a fully committed member takes when their
group closes (assumption: half a burnout's; Steen, Brandsen & Verschuere 2018,
co-destruction)."""


class ParticipationTally(NamedTuple):
    """What the participation phase counted this week."""

    exits: int  # volunteers who stopped of their own accord
    stranded: int  # volunteers whose arena closed with no other open in the ward


# ------------------------------------------------------------------------------ rules


@rule
def participation_probability(
    person: Person, ties_share: float, burnt_ties: float, asked: float, access: float, p: ParamTuple
) -> float:
    """Weekly probability that a citizen who is not volunteering takes part.

    A logit that rises with socioeconomic resources (resource model: Verba,
    Schlozman & Brady 1995), trust (seed 001: co-creation needs trust), mattering,
    free time and being asked, and with a Granovetter threshold term: a smooth step
    once the share of ties who took part last week passes the citizen's own threshold
    (Granovetter 1978, AJS 83(6)). It falls with cynicism and with the share of ties who
    have burnt out (participation fatigue spreads: seed 002, Wigan pitfall and
    "co-creation fatigue"). ``asked`` counts outreach this week plus a deal's standing
    invitation to get involved (seed 001, slide 18, "Your part"); being asked matters
    most to those with the fewest resources of their own (:data:`ASKED_RESOURCE_TILT`).
    The result is scaled by ``access`` (open arenas relative to those open at the start,
    at most one) and gated by trust (:func:`sim.phases.trust.trust_gate_factor`): below
    the gate, invitations fall on deaf ears.
    """
    social = sigmoid((ties_share - person.threshold) / THRESHOLD_STEP)
    x = (
        p.participation_base
        + p.participation_resources * (person.ses - MIDPOINT)
        + p.participation_trust * (person.trust - MIDPOINT)
        + (person.mattering - MIDPOINT)
        + FREE_TIME_WEIGHT * math.log(person.free_time + FREE_TIME_FLOOR)
        + p.participation_social * social
        + p.participation_asked * asked * (ASKED_RESOURCE_TILT - person.ses)
        - p.participation_fatigue * (person.cynicism + burnt_ties)
    )
    return sigmoid(x) * access * trust_gate_factor(person.trust, p.trust_gate)


@rule
def exit_probability(
    base: float, cynicism: float, mattering: float, hours: float, exhaustion: float, weight: float
) -> float:
    """Weekly chance a volunteer stops of their own accord.

    Volunteers leave when costs outweigh benefits (Ren & Kraut's online-community
    model, exit after inactivity): cynicism raises exit, mattering (being valued)
    lowers it, and a volunteer given little to do (under :data:`IDLE_HOURS` last week)
    drifts away. An exhausted volunteer leaves more often, by ``weight``
    (``exit_exhaustion``) times their exhaustion, before any burnout: exhaustion comes with
    withdrawal, intentions to quit and quitting (Maslach, Schaufeli & Leiter 2001), for
    volunteers as for staff (Allen & Mueller 2013), and volunteers who feel pressured and
    that it has become too much like paid work are the ones who say they will stop (NCVO
    Time Well Spent 2019). ``base`` is calibrated to annual turnover of about a third
    (CNCS, Volunteering in America 2006-09).
    """
    idle = IDLE_HOURS - hours if hours < IDLE_HOURS else 0.0
    return (
        base
        * (1.0 + EXIT_CYNICISM * cynicism)
        * (EXIT_MATTERING - mattering)
        * (1.0 + EXIT_IDLE * idle)
        * (1.0 + weight * exhaustion)
    )


@rule
def usual_hours(episodic: int, hours: float, recent: float, weeks_in_role: int) -> float:
    """The weekly hours a volunteer judges their role by, for the exit decision.

    A regular volunteer goes by last week's hours. An episodic volunteer expects weeks
    without hours, so goes by the average week since joining: the year-weighted hours
    ``recent`` (:data:`sim.phases.workload.RECENT_DECAY`), corrected for a role younger
    than that memory.
    """
    if episodic == 0:
        return hours
    memory = 1.0 - RECENT_DECAY ** float(weeks_in_role)  # pow, as in Python
    return recent / memory if memory > 0.0 else 1.0


# ----------------------------------------------------------------------------- kernel


@jit_parallel
def count_participants(first_citizen, population, part, participants):
    """Count each ward's participants this week, ward by ward in parallel."""
    for h in prange(first_citizen.shape[0]):
        count = 0
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            count += part[i]
        participants[h] = count


@jit_parallel
def citizens_kernel(
    c, ar, hd, net, p, pol, seed, step, switches, invitation, part_before, burnt_before
):
    """Every citizen's decision this week, in parallel; (exits, stranded).

    Each citizen writes only its own row, and a volunteer whose group closed is re-placed
    by a pick that reads only which arenas are open (no count that others' picks change).
    The loop reads local names only (:data:`sim.core.jit.jit_parallel`).
    """
    state = c.state
    part = c.part
    arena = c.arena
    asked_by = c.asked
    harm = c.harm
    hood = c.hood
    commitment = c.commitment
    episodic = c.episodic
    hours = c.hours
    hours_recent = c.hours_recent
    joined = c.joined
    cynicism = c.cynicism
    mattering = c.mattering
    exhaustion = c.exhaustion
    ses = c.ses
    trust = c.trust
    free_time = c.free_time
    threshold = c.threshold
    is_open = ar.open
    anchor = ar.anchor
    volunteers = ar.volunteers
    gap = ar.gap
    first_arena = hd.first_arena
    n_arenas = hd.n_arenas
    open_arenas = hd.open_arenas
    start_arenas = hd.start_arenas
    rules = DecisionRules(*decision_fields(p))
    value_on = switches.public_value
    participation_on = switches.participation
    exit_base = p.volunteer_exit_base
    exit_exhaustion = p.exit_exhaustion
    reach = p.outreach_reach
    outreach = pol.outreach
    targeting = pol.outreach_targeting
    free_time_mean = p.free_time_mean
    base = sigmoid(p.participation_base)
    exits = 0
    stranded = 0
    for i in prange(state.shape[0]):
        h = hood[i]
        s = state[i]
        asked_by[i] = 0
        if s == Role.VOLUNTEER:
            a = arena[i]
            if a >= 0 and is_open[a] == 0 and value_on:
                harm[i] += CLOSURE_HARM * commitment[i]
            if a < 0 or is_open[a] == 0:
                u = uniform_nb(seed, step, i, R.S_ARENA_PICK)
                a = pick_arena_among(
                    is_open,
                    anchor,
                    volunteers,
                    gap,
                    first_arena[h],
                    n_arenas[h],
                    u,
                    False,
                    NO_LIMIT,
                    False,
                )
                arena[i] = a
            if a < 0:
                state[i] = Role.IDLE
                part[i] = 0
                stranded += 1
                continue
            last = usual_hours(episodic[i], hours[i], hours_recent[i], step - joined[i])
            if uniform_nb(seed, step, i, R.S_EXIT) < exit_probability(
                exit_base, cynicism[i], mattering[i], last, exhaustion[i], exit_exhaustion
            ):
                state[i] = Role.IDLE
                arena[i] = -1
                part[i] = 0
                exits += 1
                continue
            part[i] = 1
        elif s == Role.RECOVERING:
            part[i] = 0
        else:
            out_rate = outreach_rate(ses[i], reach, outreach, targeting)
            asked = uniform_nb(seed, step, i, R.S_ASK_OUTREACH) < out_rate
            asked_by[i] = 1 if asked else 0
            access = open_arenas[h] / start_arenas[h]
            if access > 1.0:
                access = 1.0
            if participation_on:
                person = person_of(
                    i, ses, trust, mattering, free_time, cynicism, threshold, free_time_mean
                )
                took_part, burnt_out = ties_shares(net, part_before, burnt_before, i)
                prob = participation_probability(
                    person,
                    took_part,
                    burnt_out,
                    (1.0 if asked else 0.0) + invitation * INVITATION_WEIGHT * trust[i],
                    access,
                    rules,
                )
            else:
                prob = base * access
            part[i] = 1 if uniform_nb(seed, step, i, R.S_PARTICIPATE) < prob else 0
    return exits, stranded


@jit
def kernel(world, p, pol, ctx):
    """Volunteers stay or go; others decide to take part.

    Citizens in parallel (:func:`citizens_kernel`); the wards' participants are counted
    after, ward by ward (:func:`count_participants`).
    """
    c = world.citizens
    exits, stranded = citizens_kernel(
        c,
        world.arenas,
        world.hoods,
        world.network,
        p,
        pol,
        ctx.seed,
        ctx.step,
        ctx.switches,
        invitation_of(ctx.deal.expected_hours),
        ctx.before.part,
        ctx.before.burnt,
    )
    hd = world.hoods
    count_participants(hd.first_citizen, hd.population, c.part, hd.participants)
    return ParticipationTally(exits, stranded)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> ParticipationTally:
    """The kernel's readable twin: citizen by citizen."""
    ar, hd, net = world.arenas, world.hoods, world.network
    seed, step = ctx.seed, ctx.step
    invitation = invitation_of(ctx.deal.expected_hours)
    exits = stranded = 0
    hd.participants[:] = 0
    for citizen in rows(world.citizens):
        i, h, s = citizen.row, citizen.hood, citizen.state
        citizen.asked = 0
        if s == Role.VOLUNTEER:
            a = citizen.arena
            if a >= 0 and ar.open[a] == 0 and ctx.switches.public_value:
                citizen.harm = citizen.harm + CLOSURE_HARM * citizen.commitment
            if a < 0 or ar.open[a] == 0:
                u = uniform(seed, step, i, R.S_ARENA_PICK)
                a = pick_arena_of(ar, hd, h, u, False, NO_LIMIT, False)
                citizen.arena = a
            if a < 0:
                citizen.state = Role.IDLE
                citizen.part = 0
                stranded += 1
                continue
            last = usual_hours(
                citizen.episodic, citizen.hours, citizen.hours_recent, step - citizen.joined
            )
            p_exit = exit_probability(
                p.volunteer_exit_base,
                citizen.cynicism,
                citizen.mattering,
                last,
                citizen.exhaustion,
                p.exit_exhaustion,
            )
            if uniform(seed, step, i, R.S_EXIT) < p_exit:
                citizen.state = Role.IDLE
                citizen.arena = -1
                citizen.part = 0
                exits += 1
                continue
            citizen.part = 1
        elif s == Role.RECOVERING:
            citizen.part = 0
        else:
            out_rate = outreach_rate(
                citizen.ses, p.outreach_reach, pol.outreach, pol.outreach_targeting
            )
            asked = uniform(seed, step, i, R.S_ASK_OUTREACH) < out_rate
            citizen.asked = 1 if asked else 0
            access = min(1.0, hd.open_arenas[h] / hd.start_arenas[h])
            if ctx.switches.participation:
                person = Person(
                    citizen.ses,
                    citizen.trust,
                    citizen.mattering,
                    citizen.free_time / p.free_time_mean,
                    citizen.cynicism,
                    citizen.threshold,
                )
                prob = participation_probability(
                    person,
                    ties_share_of(net, ctx.before.part, i),
                    ties_share_of(net, ctx.before.burnt, i),
                    (1.0 if asked else 0.0) + invitation * INVITATION_WEIGHT * citizen.trust,
                    access,
                    p,
                )
            else:
                prob = sigmoid(p.participation_base) * access
            citizen.part = 1 if uniform(seed, step, i, R.S_PARTICIPATE) < prob else 0
        hd.participants[h] += citizen.part
    return ParticipationTally(exits, stranded)
