"""Mechanism 3: workload allocation.

Each open arena needs its demand, less what volunteer support takes off, plus the citizens'
unmet part of a deal (implicit demands, Steen, Brandsen & Verschuere 2018). The need is
shared among its volunteers in proportion to commitment to the power ``load_concentration``,
so it concentrates on those already most engaged: the civic core (Mohan & Bulloch 2012).
Professional facilitation spreads it more evenly (:func:`arena_concentration`). Each
volunteer is asked the expectation placed on volunteers times that share: unrealistic
expectations (Wigan pitfall, seed 002) load everyone beyond the arena's need, and more hands
do not relieve them. Hours given are capped by a work limit (Homer 1985). What the first
share leaves of the need is asked again of the members who still have time, each giving the
same share of their spare time (:func:`top_up_share`), so an arena with enough hands is
covered and its newcomers get hours. Episodic volunteers (a share ``episodic_share`` of
citizens) give in occasional stints, taking a larger share in a stint week and none between
stints (:func:`stint_factor`; Cnaan & Handy 2005, Macduff 2005). Commitment follows the
hours given, and fades out of a role. Each arena also counts its effective hours: an hour
from an exhausted volunteer does less (:func:`sim.phases.burnout.effective_hours`).
A volunteer takes part in a week only when they give hours (:func:`took_part`), and a week
with hours holds a volunteering occasion by the survey observation model
(:func:`sim.core.survey.occasion_chance`, Community Life Survey); every citizen's last step
of taking part and of an occasion are kept (``Citizens.last_part``, read by the
calibration's ``took_part_12m``; ``Citizens.last_occasion``, read by the survey
reporters).

Sources: Mohan & Bulloch 2012; Homer 1985; Steen, Brandsen & Verschuere 2018; Cnaan &
Handy 2005; Macduff 2005; seed 002 (Wigan: unrealistic expectations).

Switch: ``mechanisms.workload``. Off, the need is spread evenly and nothing is asked again.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import prange

from sim.core import rng as R
from sim.core.jit import jit, jit_parallel, rule
from sim.core.params import MIDPOINT, WEEKS_PER_YEAR
from sim.core.rng import uniform, uniform_nb
from sim.core.state import Role, rows
from sim.core.survey import occasion_chance
from sim.core.world import CIVIC_CORE_TILT
from sim.phases.burnout import effective_hours

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, Row, World
    from sim.phases import Context

RECENT_DECAY = (WEEKS_PER_YEAR - 1) / WEEKS_PER_YEAR
"""Weekly decay of the hours a volunteer has given recently: a memory of about a year."""

NEWCOMER_FOOTHOLD = 0.05
"""Added to commitment in the load weight, so that a newcomer with no commitment yet is
given some of the work (assumption)."""

SPREADING_FACILITATION = 0.25
"""Facilitation hours, as a share of an arena's demand, at which the work is shared evenly
(assumption; MODEL.md: professionals' facilitation lowers the load on the few)."""

SUPPORT_LOAD_RELIEF = 0.4
"""Share of an arena's demand that full volunteer support takes off its volunteers
(coordination, training, respite; assumption; seed 002, Wigan pitfall)."""

COMMITMENT_HOURS = 2.0
"""Commitment is full at this many times the population's mean free time given a week
(assumption: preferential attachment to a role saturates)."""

COMMITMENT_FADE = 0.98
"""Weekly factor by which commitment fades outside a role (about a three-year half-life;
assumption)."""


class WorkloadTally(NamedTuple):
    """What the workload phase counted this week."""

    implicit_hours: float  # the citizens' unmet part of a deal, pushed onto arenas


# ------------------------------------------------------------------------------ rules


@rule
def load_weight(commitment: float, concentration: float, ses: float, time_share: float) -> float:
    """Share weight of a volunteer in their arena's hours.

    Hours fall on those already most engaged, and on those with more resources and more
    time, unless something spreads them: weight is (commitment + :data:`NEWCOMER_FOOTHOLD`)
    times exp(:data:`sim.core.world.CIVIC_CORE_TILT` · (resources − ½)) times free time
    relative to the mean (the weight the first volunteers are drawn with), to the power
    ``concentration`` (0 spreads evenly). Resources and time are lasting, so they keep the
    civic core at rest: commitment alone settles everyone at one level, and the core of a
    run's first years faded (Mohan & Bulloch 2012: the core is better-off, older and
    rooted; Wilson 2000: resources predict the hours given).
    """
    civic = math.exp(CIVIC_CORE_TILT * (ses - MIDPOINT)) * time_share
    return ((commitment + NEWCOMER_FOOTHOLD) * civic) ** concentration


@rule
def arena_concentration(concentration: float, facilitation: float, demand: float) -> float:
    """Load concentration in one arena, lowered by professional facilitation.

    Facilitation spreads the work: a facilitator giving :data:`SPREADING_FACILITATION` of
    the arena's demand in hours or more shares it evenly; less facilitation spreads it in
    proportion. Without it, hours concentrate on the most committed (Mohan & Bulloch 2012;
    MODEL.md: "professionals' facilitation and volunteer support lower the load").
    """
    spread = facilitation / (SPREADING_FACILITATION * demand) if demand > 0.0 else 1.0
    if spread > 1.0:
        spread = 1.0
    return concentration * (1.0 - spread)


@rule
def stint_factor(episodic: int, active: bool, activity: float) -> float:
    """Multiplier on an episodic volunteer's load weight this week.

    Regular volunteers give every week (factor 1). Episodic volunteers give in
    occasional stints (Cnaan & Handy 2005; Macduff 2005, "episodic volunteering"):
    in a week with a stint (chance ``activity``) they take ``1 / activity`` times a
    regular's weight, so that over a year they are asked as much as a regular at the
    same commitment; between stints they are asked nothing. This is why fewer adults
    volunteer in a given month than in a year (Community Life Survey 2018/19) while
    the hours are spread over most of those who volunteer in the year (Mohan &
    Bulloch 2012).
    """
    if episodic == 0:
        return 1.0
    return 1.0 / activity if active else 0.0


@rule
def hours_given(load: float, free_time: float, work_limit: float) -> float:
    """Hours actually given: the load, capped by a work limit on free time.

    A work limit stabilises the workaholic cycle (Homer 1985, System Dynamics Review 1(1)).
    """
    cap = work_limit * free_time
    return load if load < cap else cap


@rule
def top_up_share(need: float, received: float, spare: float) -> float:
    """Share of each member's spare time an arena asks for to cover what is left.

    The first share of an arena's work follows commitment and expectations
    (:func:`load_weight`); the most committed reach their work limit first, and
    expectations below one ask less of everyone than the arena needs. What is left of
    the need does not vanish: the group asks around, and it falls on the members who
    still have time, each giving the same share of their spare time (spare time is the
    work limit on free time less the hours already given), so that nobody is pushed past
    the work limit. The share is the need left over the members' spare time, at most
    one; zero when the need is covered or nobody has time to spare (assumption; it keeps
    Mohan & Bulloch's 2012 picture, a core that gives most of the hours while most
    volunteers give some, and without it a short arena would recruit newcomers who are
    never given hours).
    """
    left = need - received
    if left <= 0.0 or spare <= 0.0:
        return 0.0
    return left / spare if left < spare else 1.0


@rule
def took_part(hours: float) -> int:
    """Whether a volunteer took part this week: they gave hours (1) or not (0).

    The participation phase counts everyone in a role as taking part (so that the implicit
    demands fall on those outside one); here a volunteer who was given no hours this week
    (an episodic volunteer between stints, an arena with no need) is taken off again, as a
    survey would not count them.
    """
    return 1 if hours > 0.0 else 0


@rule
def update_commitment(commitment: float, hours: float, time_scale: float, growth: float) -> float:
    """Commitment follows hours given (preferential attachment to the role)."""
    target = hours / (COMMITMENT_HOURS * time_scale)
    if target > 1.0:
        target = 1.0
    return commitment + growth * (target - commitment)


@rule
def supported_worth(support: float) -> float:
    """What an hour of a supported volunteer is worth to the arena, in unsupported hours.

    Support takes :data:`SUPPORT_LOAD_RELIEF` of an arena's demand off its volunteers
    (:func:`arena_load`): the coordination and training make each hour go further, so the
    hours that cover the smaller load do the whole arena's work.
    """
    return 1.0 / (1.0 - SUPPORT_LOAD_RELIEF * support)


@rule
def arena_load(demand: float, support: float, implicit: float) -> float:
    """Hours an arena needs this week (at least zero).

    Its demand less what volunteer support takes off, plus its share of the implicit
    demands.
    """
    load = demand * (1.0 - SUPPORT_LOAD_RELIEF * support)
    load += implicit
    return load if load > 0.0 else 0.0


# ----------------------------------------------------------------------------- kernel


@jit_parallel
def citizens_kernel(c, ar, hd, p, pol, seed, step, on, concentration):
    """Volunteers' loads and hours this week, in parallel.

    Each volunteer writes only its own row; what an arena receives (its load weight, hours
    and members' spare time) is added up in row order between the parallel loops, as the
    twin adds it.
    """
    # The parallel loops read and write local names only, bound one to a line
    # (:data:`sim.core.jit.jit_parallel` says why).
    load = c.load
    hours = c.hours
    commitment = c.commitment
    part = c.part
    last_occasion = c.last_occasion
    last_part = c.last_part
    hours_total = c.hours_total
    hours_recent = c.hours_recent
    arena_weight = ar.weight
    arena_volunteers = ar.volunteers
    arena_received = ar.received
    arena_effective = ar.effective
    participants = hd.participants
    n = c.hood.shape[0]
    weight = np.zeros(n)  # a volunteer's load weight this week
    stinting = np.zeros(n, dtype=np.int8)  # 1 for a volunteer in a stint this week
    arena = c.arena
    arena_demand = ar.demand
    arena_facilitation = ar.facilitation
    arena_load = ar.load
    commitment_growth = p.commitment_growth
    episodic = c.episodic
    exhaustion = c.exhaustion
    episodic_activity = p.episodic_activity
    free_time = c.free_time
    free_time_mean = p.free_time_mean
    policy_expectation = pol.expectation
    ses = c.ses
    session_hours = p.session_hours
    state = c.state
    work_limit = p.work_limit
    for i in prange(n):
        if state[i] == Role.VOLUNTEER:
            a = arena[i]
            conc = arena_concentration(concentration, arena_facilitation[a], arena_demand[a])
            active = episodic[i] == 1 and uniform_nb(seed, step, i, R.S_STINT) < episodic_activity
            stint = stint_factor(episodic[i], active, episodic_activity)
            time_share = free_time[i] / free_time_mean
            weight[i] = load_weight(commitment[i], conc, ses[i], time_share) * stint
            if stint > 0.0:  # zero for an episodic volunteer between stints
                stinting[i] = 1
    first_citizen = hd.first_citizen
    population = hd.population
    for h in prange(first_citizen.shape[0]):  # an arena's sums: its ward's rows in order
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            if state[i] == Role.VOLUNTEER:
                a = arena[i]
                arena_weight[a] += weight[i]
                arena_volunteers[a] += 1
    for i in prange(n):
        load[i] = 0.0
        hours[i] = 0.0
        if stinting[i] == 1:
            a = arena[i]
            load[i] = policy_expectation * arena_load[a] * weight[i] / arena_weight[a]
            hours[i] = hours_given(load[i], free_time[i], work_limit)
    spare = np.zeros(ar.open.shape[0])  # members' time to spare below their work limit
    for h in prange(first_citizen.shape[0]):
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            if stinting[i] == 1:
                a = arena[i]
                arena_received[a] += hours[i]
                arena_effective[a] += effective_hours(hours[i], exhaustion[i])
                spare[a] += work_limit * free_time[i] - hours[i]
    fill = np.zeros(ar.open.shape[0])
    for a in range(ar.open.shape[0]):
        if on:  # off, the need is split evenly and nothing is asked again
            fill[a] = top_up_share(ar.load[a], arena_received[a], spare[a])
    extra = np.zeros(n)  # hours a volunteer topped up
    topped = np.zeros(n, dtype=np.int8)  # 1 for a volunteer asked to top up
    moved = np.zeros(n, dtype=np.int8)  # change in a volunteer's taking part this week
    for i in prange(n):
        if state[i] == Role.VOLUNTEER:
            a = arena[i]
            if load[i] > 0.0 and fill[a] > 0.0:
                more = fill[a] * (work_limit * free_time[i] - hours[i])
                load[i] += more
                hours[i] += more
                extra[i] = more
                topped[i] = 1
            if load[i] > 0.0:
                commitment[i] = update_commitment(
                    commitment[i], hours[i], free_time_mean, commitment_growth
                )
            gave = took_part(hours[i])
            moved[i] = gave - part[i]
            part[i] = gave
            if gave == 1:
                u = uniform_nb(seed, step, i, R.S_OCCASION)
                if u < occasion_chance(hours[i], session_hours):
                    last_occasion[i] = step
        else:
            commitment[i] = commitment[i] * COMMITMENT_FADE
        if part[i] == 1:
            last_part[i] = step
        hours_total[i] += hours[i]
        hours_recent[i] = hours_recent[i] * RECENT_DECAY + hours[i] / WEEKS_PER_YEAR
    for h in prange(first_citizen.shape[0]):
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            if state[i] == Role.VOLUNTEER:
                if topped[i] == 1:
                    a = arena[i]
                    arena_received[a] += extra[i]
                    arena_effective[a] += effective_hours(extra[i], exhaustion[i])
                participants[h] += moved[i]


@jit
def kernel(world, p, pol, ctx):
    """Arena hours fall on volunteers; hours given, commitment and recent hours.

    The wards' implicit demand and the arenas' loads, then the volunteers in parallel
    (:func:`citizens_kernel`).
    """
    c, ar, hd = world.citizens, world.arenas, world.hoods
    seed, step = ctx.seed, ctx.step
    on = ctx.switches.workload
    concentration = p.load_concentration if on else 0.0
    implicit_total = 0.0
    for h in range(hd.population.shape[0]):
        nonpart = hd.population[h] - hd.participants[h]
        hd.implicit[h] = ctx.deal.expected_hours * nonpart * p.implicit_demand_share
        if hd.open_arenas[h] == 0:
            hd.implicit[h] = 0.0
        implicit_total += hd.implicit[h]
    for a in range(ar.open.shape[0]):
        ar.weight[a] = 0.0
        ar.volunteers[a] = 0
        ar.received[a] = 0.0
        ar.effective[a] = 0.0
        h = ar.hood[a]
        if ar.open[a] == 1:
            ar.facilitation[a] = hd.facilitation[h] / hd.open_arenas[h]
            ar.load[a] = arena_load(ar.demand[a], pol.support, hd.implicit[h] / hd.open_arenas[h])
        else:
            ar.facilitation[a] = 0.0
            ar.load[a] = 0.0
    citizens_kernel(c, ar, hd, p, pol, seed, step, on, concentration)
    return WorkloadTally(implicit_total)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> WorkloadTally:
    """The kernel's readable twin: arena by arena, then volunteer by volunteer."""
    ar, hd = world.arenas, world.hoods
    seed, step = ctx.seed, ctx.step
    on = ctx.switches.workload
    concentration = p.load_concentration if on else 0.0
    implicit_total = 0.0
    for h in range(len(hd.population)):
        nonpart = hd.population[h] - hd.participants[h]
        hd.implicit[h] = ctx.deal.expected_hours * nonpart * p.implicit_demand_share
        if hd.open_arenas[h] == 0:
            hd.implicit[h] = 0.0
        implicit_total += hd.implicit[h]
    for a in range(len(ar.open)):
        ar.weight[a] = 0.0
        ar.volunteers[a] = 0
        ar.received[a] = 0.0
        ar.effective[a] = 0.0
        h = ar.hood[a]
        if ar.open[a] == 1:
            ar.facilitation[a] = hd.facilitation[h] / hd.open_arenas[h]
            ar.load[a] = arena_load(ar.demand[a], pol.support, hd.implicit[h] / hd.open_arenas[h])
        else:
            ar.facilitation[a] = 0.0
            ar.load[a] = 0.0

    def stint(citizen: Row) -> float:
        if citizen.episodic == 0:
            return 1.0
        active = uniform(seed, step, citizen.row, R.S_STINT) < p.episodic_activity
        return stint_factor(citizen.episodic, active, p.episodic_activity)

    citizens = list(rows(world.citizens))
    for citizen in citizens:
        if citizen.state == Role.VOLUNTEER:
            a = citizen.arena
            conc = arena_concentration(concentration, ar.facilitation[a], ar.demand[a])
            time_share = citizen.free_time / p.free_time_mean
            weight = load_weight(citizen.commitment, conc, citizen.ses, time_share)
            ar.weight[a] += weight * stint(citizen)
            ar.volunteers[a] += 1
    spare = [0.0] * len(ar.open)  # members' time to spare below their work limit
    for citizen in citizens:
        citizen.load = 0.0
        citizen.hours = 0.0
        if citizen.state == Role.VOLUNTEER:
            a = citizen.arena
            conc = arena_concentration(concentration, ar.facilitation[a], ar.demand[a])
            factor = stint(citizen)
            if factor > 0.0:  # zero for an episodic volunteer between stints
                time_share = citizen.free_time / p.free_time_mean
                w = load_weight(citizen.commitment, conc, citizen.ses, time_share) * factor
                citizen.load = pol.expectation * ar.load[a] * w / ar.weight[a]
                citizen.hours = hours_given(citizen.load, citizen.free_time, p.work_limit)
                ar.received[a] += citizen.hours
                ar.effective[a] += effective_hours(citizen.hours, citizen.exhaustion)
                spare[a] += p.work_limit * citizen.free_time - citizen.hours
    # Off, the need is split evenly and nothing is asked again.
    fill = [
        top_up_share(ar.load[a], ar.received[a], spare[a]) if on else 0.0
        for a in range(len(ar.open))
    ]
    for citizen in citizens:
        if citizen.state == Role.VOLUNTEER:
            a = citizen.arena
            if citizen.load > 0.0 and fill[a] > 0.0:
                extra = fill[a] * (p.work_limit * citizen.free_time - citizen.hours)
                citizen.load = citizen.load + extra
                citizen.hours = citizen.hours + extra
                ar.received[a] += extra
                ar.effective[a] += effective_hours(extra, citizen.exhaustion)
            if citizen.load > 0.0:
                citizen.commitment = update_commitment(
                    citizen.commitment, citizen.hours, p.free_time_mean, p.commitment_growth
                )
            gave = took_part(citizen.hours)
            hd.participants[citizen.hood] += gave - citizen.part
            citizen.part = gave
            if gave == 1:
                u = uniform(seed, step, citizen.row, R.S_OCCASION)
                if u < occasion_chance(citizen.hours, p.session_hours):
                    citizen.last_occasion = step
        else:
            citizen.commitment = citizen.commitment * COMMITMENT_FADE
        if citizen.part == 1:
            citizen.last_part = step
        citizen.hours_total = citizen.hours_total + citizen.hours
        citizen.hours_recent = citizen.hours_recent * RECENT_DECAY + citizen.hours / WEEKS_PER_YEAR
    return WorkloadTally(implicit_total)
