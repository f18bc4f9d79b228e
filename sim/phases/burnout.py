"""Mechanism 4: volunteer burnout, effort and recovery.

Exhaustion is a stock of job demands against resources (Demerouti et al. 2001, JD-R). It
builds from the chronic demand, the load relative to free time, also below the free-time
limit (a volunteer giving 60% of their free time is under some strain), convex in that
ratio (:func:`demand_strain`), and buffered by resources: volunteer support, recognition
and control (:func:`job_resources`; control is the share of the load the volunteer chose,
:func:`imposed_share`). It ebbs with rest, in proportion to the slack left below free time
and to the stock (:func:`update_exhaustion`), so at a steady moderate load it settles at an
interior, sub-threshold level; overload raises it steeply but nothing switches on at a
ratio of one. Citizens may differ in how easily they tire: each one's sensitivity is
``burnout_sensitivity`` times ``Citizens.susceptibility``, a multiplier of mean one drawn
at initialization (:func:`sim.core.world.susceptibility_multiplier`; spread
``burnout_susceptibility_spread``, none by default; Swider & Zimmerman 2010: personality
predicts burnout). Cynicism (depersonalisation) follows exhaustion and has its own drivers
(Leiter & Maslach 1988; Maslach & Leiter 2008, areas of worklife): voice that went
unanswered in the last ``voice_memory`` weeks (community, fairness), promises seen broken
(values, fairness), lack of recognition (reward) and role conflict, load the volunteer did
not sign up for (control). It eases when they are absent (:func:`cynicism_target`). So
cynicism can be more common than exhaustion.

Past ``burnout_threshold`` a volunteer burns out: leaves the role to recover, loses trust
(if the trust mechanism is on) and mattering (if public value and wellbeing are on):
participation fatigue. Their ties hear about it and lose some trust too
(:data:`TIES_HEAR_EVENTS`). After recovery they come back with ``return_chance`` or are gone
for good, and stay cynical (seed 002, Wigan pitfall). Unrealistic expectations raise the
load (the ``volunteer_expectation`` lever, :mod:`sim.phases.workload`).

Harm lasts. A burnout, and leaving for good after one, add to the citizen's lasting harm
(``Citizens.harm``), which lowers wellbeing, mattering and trust for as long as it is felt
and fades by ``harm_memory`` a week (:mod:`sim.phases.public_value`; Wahrendorf, von dem
Knesebeck & Siegrist 2006: effort-reward imbalance in volunteering harms wellbeing). An
exhausted volunteer's hours do less (:func:`effective_hours`): exhaustion comes with a loss
of efficacy (Maslach, Schaufeli & Leiter 2001).

Observation model: the share of current volunteers at or above the Maslach Burnout
Inventory's "high" cut-offs, scaled to the 0-1 stocks (:data:`HIGH_EXHAUSTION`,
:data:`HIGH_CYNICISM`), is reported as ``volunteers_high_exhaustion_share`` and
``volunteers_high_cynicism_share`` (:mod:`sim.model.reporters`).

Sources: Leiter & Maslach 1988; Demerouti et al. 2001; Karasek 1979; Maslach & Leiter 2008;
Maslach, Jackson & Leiter 1996; Homer 1985; Maslach, Schaufeli & Leiter 2001; Wahrendorf,
von dem Knesebeck & Siegrist 2006; Swider & Zimmerman 2010; Alarcon, Eschleman & Bowling
2009; seed 002 (Wigan pitfall: burnt-out enthusiasts).

Switch: ``mechanisms.burnout``. Off, nobody tires; those recovering still recover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import prange

from sim.core import rng as R
from sim.core.jit import jit, jit_parallel, rule
from sim.core.rng import uniform, uniform_nb
from sim.core.state import Role, rows
from sim.core.world import FREE_TIME_MIN
from sim.phases.common import clip01

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

HIGH_EXHAUSTION = 27.0 / 54.0
"""Exhaustion at or above which a volunteer counts as highly exhausted: the Maslach Burnout
Inventory's "high" emotional exhaustion, a score of 27 or more of 54 (MBI-HSS cut-offs,
Maslach, Jackson & Leiter 1996, MBI Manual, 3rd ed.), on the model's 0-1 stock."""

HIGH_CYNICISM = 13.0 / 30.0
"""Cynicism at or above which a volunteer counts as highly cynical: the Maslach Burnout
Inventory's "high" depersonalisation, a score of 13 or more of 30 (MBI-HSS cut-offs,
Maslach, Jackson & Leiter 1996), on the model's 0-1 stock."""

RESOURCE_KINDS = 3.0
"""Job resources averaged into one: support, recognition and control, weighed equally
(structure; JD-R treats resources as interchangeable buffers, Bakker, Demerouti & Euwema
2005)."""

BURNOUT_TRUST_EVENTS = 2.0
"""A burnout adds the bad trust evidence of two bad experiences (assumption: the
volunteer blames the council that asked too much)."""

TIES_HEAR_EVENTS = 0.5
"""Bad trust evidence each of a burnt-out volunteer's ties adds, in bad experiences: they
hear about it (assumption: word of mouth weighs half a personal experience)."""

BURNOUT_HARM = 1.0
"""Lasting harm a burnout adds (the unit of ``Citizens.harm``; Wahrendorf et al. 2006)."""

GONE_HARM = 0.5
"""Further lasting harm when a volunteer leaves for good after a burnout, cynical
(assumption: half a burnout's)."""

EXHAUSTED_EFFICACY = 0.5
"""Share of an hour's worth that full exhaustion takes off it (assumption; Maslach,
Schaufeli & Leiter 2001: exhaustion comes with reduced efficacy)."""

BURNOUT_MATTERING_LOSS = 0.2
"""Mattering lost at a burnout (assumption; seed 000: effort without reward)."""

RECOVERING_CYNICISM = 0.5
"""Cynicism follows exhaustion at this share of ``cynicism_rate`` while recovering."""

IDLE_CYNICISM = 0.2
"""Cynicism follows exhaustion at this share of ``cynicism_rate`` outside a role."""

RECOVERED_AT = 0.25
"""A volunteer has recovered when exhaustion falls below this share of the burnout
threshold (assumption)."""


class BurnoutTally(NamedTuple):
    """What the burnout phase counted this week."""

    burnouts: int  # volunteers who burnt out
    returned: int  # recovered volunteers who came back to volunteering
    gone: int  # recovered volunteers who left volunteering for good
    trust_lost: float  # bad trust evidence the burnouts added, in trust_loss units


# ------------------------------------------------------------------------------ rules


@rule
def strain_ratio(load: float, free_time: float) -> float:
    """Demand relative to personal resources (Demerouti et al. 2001, job demands-resources).

    Free time below the least anyone has (:data:`sim.core.world.FREE_TIME_MIN`) counts as
    that least, so the ratio stays finite.
    """
    return load / (free_time if free_time > FREE_TIME_MIN else FREE_TIME_MIN)


@rule
def effective_hours(hours: float, exhaustion: float) -> float:
    """Hours given, less what exhaustion takes off their worth (:data:`EXHAUSTED_EFFICACY`)."""
    return hours * (1.0 - EXHAUSTED_EFFICACY * exhaustion)


@rule
def imposed_share(implicit: float, arena_load: float, expectation: float) -> float:
    """Share of a volunteer's load they did not choose: low control and role conflict.

    Two parts of the load were never signed up for: the arena's implicit demands, the
    citizens' unmet part of a deal pushed onto it (Steen, Brandsen & Verschuere 2018), as a
    share of the arena's load; and, of the rest, what an expectation above one asks beyond
    the volunteer's own share of the arena's need (Wigan pitfall, seed 002). The chosen
    share is (1 - implicit share) / expectation (expectation at least one); the imposed
    share is the rest. Control over one's work is a job resource (Karasek 1979; Demerouti et
    al. 2001), and load beyond what one signed up for is role conflict (Maslach & Leiter
    2008, areas of worklife: control).
    """
    implicit_part = implicit / arena_load if arena_load > 0.0 else 0.0
    if implicit_part > 1.0:
        implicit_part = 1.0
    chosen = 1.0 - implicit_part
    if expectation > 1.0:
        chosen = chosen / expectation
    return 1.0 - chosen


@rule
def job_resources(support: float, recognition: float, imposed: float) -> float:
    """Job resources in [0, 1]: volunteer support, recognition and control, averaged.

    Control is the share of the load the volunteer chose, one less :func:`imposed_share`
    (Demerouti et al. 2001; Bakker, Demerouti & Euwema 2005: resources buffer demands).
    """
    return (support + recognition + (1.0 - imposed)) / RESOURCE_KINDS


@rule
def demand_strain(ratio: float, convexity: float) -> float:
    """Strain from the demand ratio: the ratio to the power ``demand_convexity``.

    Convex, so overload raises strain steeply, and continuous, so nothing switches on at a
    ratio of one (a load equal to free time gives strain one). A load below free time
    strains too, less than in proportion (Demerouti et al. 2001: chronic demands).
    """
    return ratio**convexity if ratio > 0.0 else 0.0


@rule
def update_exhaustion(
    exhaustion: float,
    ratio: float,
    sensitivity: float,
    recovery: float,
    resources: float,
    buffer: float,
    convexity: float,
) -> float:
    """Emotional exhaustion as a stock of demands against resources (JD-R).

    It builds by ``sensitivity`` times the strain (:func:`demand_strain`), less the
    share ``buffer`` of it that full resources take away, times the headroom left (one
    less the stock); it ebbs by ``recovery`` times the slack below free time, (1 − ratio)⁺,
    times the stock: rest lets it go, in proportion to how much there is. At a steady
    load below free time it settles where the two balance, strictly between 0 and 1; at or
    above free time there is no slack and it climbs towards 1. The weekly change is
    continuous in the ratio.

    Sources: Demerouti et al. 2001 (job demands-resources); Leiter & Maslach 1988 process
    model; Bakker, Demerouti & Euwema 2005 (resources buffer demands).
    """
    slack = 1.0 - ratio if ratio < 1.0 else 0.0
    build = sensitivity * demand_strain(ratio, convexity) * (1.0 - buffer * resources)
    e = exhaustion + build * (1.0 - exhaustion) - recovery * slack * exhaustion
    return clip01(e)


@rule
def unanswered_voice(heard: int, ignored: int, step: int, memory: float) -> float:
    """Whether a volunteer's voice went unanswered recently: one or zero.

    One if they spoke up and heard nothing back within the last ``memory`` weeks and have
    not been answered since (Maslach & Leiter 2008: community and fairness;
    ``Citizens.ignored`` and ``Citizens.heard``, written by the trust phase last week).
    """
    if ignored < 0 or ignored <= heard:
        return 0.0
    return 1.0 if step - ignored <= memory else 0.0


@rule
def cynicism_target(
    exhaustion: float,
    unanswered: float,
    unrecognised: float,
    conflict: float,
    voice_weight: float,
    recognition_weight: float,
    conflict_weight: float,
) -> float:
    """The cynicism a volunteer's situation drives towards.

    Exhaustion, and each of cynicism's own drivers, raise it independently: the target is
    one less the product of what each leaves untouched (a noisy-or), so it is in [0, 1],
    equals exhaustion when the drivers are absent (Leiter & Maslach 1988: cynicism follows
    exhaustion) and rises above it when voice went unanswered, recognition is lacking or
    the load is not what they signed up for (Maslach & Leiter 2008, areas of worklife).
    """
    untouched = (
        (1.0 - exhaustion)
        * (1.0 - voice_weight * unanswered)
        * (1.0 - recognition_weight * unrecognised)
        * (1.0 - conflict_weight * conflict)
    )
    return 1.0 - untouched


@rule
def update_cynicism(cynicism: float, target: float, rate: float) -> float:
    """Cynicism (depersonalisation) moves towards its target at ``rate`` a week.

    It rises when the target is above it and eases when the drivers are gone.
    """
    return clip01(cynicism + rate * (target - cynicism))


@rule
def broken_promise_cynicism(cynicism: float, broken: float, weight: float) -> float:
    """Cynicism after promises seen broken this week (of weight ``broken``).

    Each unit of weight closes ``weight`` of the distance to full cynicism (Maslach &
    Leiter 2008: values and fairness; a breach of the psychological contract).
    """
    return clip01(cynicism + weight * broken * (1.0 - cynicism))


@rule
def rest_exhaustion(exhaustion: float, recovery: float, support: float) -> float:
    """Exhaustion ebbing during a recovery period; support speeds it."""
    return exhaustion * (1.0 - clip01(recovery * (1.0 + support)))


@rule
def burnout_trust_lost(burnouts: int, heard: int, trust_loss: float) -> float:
    """Bad trust evidence this week's burnouts added: the volunteers' own, and their ties'."""
    return (BURNOUT_TRUST_EVENTS * burnouts + TIES_HEAR_EVENTS * heard) * trust_loss


# ----------------------------------------------------------------------------- kernel


@jit
def hear_of_burnouts(c, hd, net, burnt, trust_loss, trust_on):
    """What this week's burnouts do beyond the volunteer, burnt out in row order.

    The volunteer leaves their ward's participants this week, and they and their ties take
    it as bad evidence about the council (for the trust phase this week). A tie's evidence
    is another citizen's row, so it is added here, after the parallel loop, in row order.
    Returns how many ties heard.
    """
    heard = 0
    for i in range(burnt.shape[0]):
        if burnt[i] == 0:
            continue
        hd.participants[c.hood[i]] -= c.part[i]  # took part this week only with hours
        c.part[i] = 0
        if trust_on:  # the trust phase turns the evidence into trust this week
            c.trust_b[i] += BURNOUT_TRUST_EVENTS * trust_loss
            for k in range(net.ptr[i], net.ptr[i + 1]):
                c.trust_b[net.idx[k]] += TIES_HEAR_EVENTS * trust_loss
                heard += 1
    return heard


@jit_parallel
def citizens_kernel(c, hd, ar, p, pol, seed, step, switches):
    """Every citizen's exhaustion and cynicism this week, in parallel.

    Returns (burnouts, returned, gone, burnt), ``burnt`` 1 for those who burnt out. Each
    citizen writes only its own row.
    """
    # The parallel loop reads and writes local names only, bound one to a line
    # (:data:`sim.core.jit.jit_parallel` says why).
    state = c.state
    arena = c.arena
    exhaustion = c.exhaustion
    cynicism = c.cynicism
    times_burnt = c.burnouts
    commitment = c.commitment
    mattering = c.mattering
    harm = c.harm
    on = switches.burnout
    value_on = switches.public_value
    burnouts = 0
    returned = 0
    gone = 0
    burnt = np.zeros(c.hood.shape[0], dtype=np.int8)  # burnt out this week
    arena_load = ar.load
    burnout_sensitivity = p.burnout_sensitivity
    susceptibility = c.susceptibility
    burnout_threshold = p.burnout_threshold
    conflict_cynicism = p.conflict_cynicism
    cynicism_rate = p.cynicism_rate
    demand_convexity = p.demand_convexity
    free_time = c.free_time
    heard = c.heard
    hood = c.hood
    ignored = c.ignored
    load = c.load
    policy_expectation = pol.expectation
    policy_promise_bad = pol.promise_bad
    policy_recognition = pol.recognition
    policy_support = pol.support
    promise_cynicism = p.promise_cynicism
    recognition_cynicism = p.recognition_cynicism
    recovery_rate = p.recovery_rate
    resource_buffer = p.resource_buffer
    return_chance = p.return_chance
    role_recovery_rate = p.role_recovery_rate
    voice_cynicism = p.voice_cynicism
    voice_memory = p.voice_memory
    ward_implicit = hd.implicit
    ward_open_arenas = hd.open_arenas
    for i in prange(hood.shape[0]):
        s = state[i]
        if s == Role.VOLUNTEER:
            if not on:
                continue
            ratio = strain_ratio(load[i], free_time[i])
            a = arena[i]
            h = hood[i]
            implicit = ward_implicit[h] / ward_open_arenas[h] if ward_open_arenas[h] > 0 else 0.0
            imposed = imposed_share(implicit, arena_load[a], policy_expectation)
            resources = job_resources(policy_support, policy_recognition, imposed)
            e = update_exhaustion(
                exhaustion[i],
                ratio,
                burnout_sensitivity * susceptibility[i],
                role_recovery_rate,
                resources,
                resource_buffer,
                demand_convexity,
            )
            exhaustion[i] = e
            voice = unanswered_voice(heard[i], ignored[i], step, voice_memory)
            target = cynicism_target(
                e,
                voice,
                1.0 - policy_recognition,
                imposed,
                voice_cynicism,
                recognition_cynicism,
                conflict_cynicism,
            )
            cy = update_cynicism(cynicism[i], target, cynicism_rate)
            cynicism[i] = broken_promise_cynicism(cy, policy_promise_bad, promise_cynicism)
            if e >= burnout_threshold:
                state[i] = Role.RECOVERING
                arena[i] = -1
                times_burnt[i] += 1
                commitment[i] = 0.0
                if value_on:
                    mattering[i] = clip01(mattering[i] - BURNOUT_MATTERING_LOSS)
                    harm[i] += BURNOUT_HARM
                burnt[i] = 1
                burnouts += 1
        elif s == Role.RECOVERING:
            e = rest_exhaustion(exhaustion[i], recovery_rate, policy_support)
            exhaustion[i] = e
            cynicism[i] = update_cynicism(cynicism[i], e, RECOVERING_CYNICISM * cynicism_rate)
            if e < RECOVERED_AT * burnout_threshold:
                if uniform_nb(seed, step, i, R.S_RETURN) < return_chance:
                    state[i] = Role.IDLE
                    returned += 1
                else:
                    state[i] = Role.GONE
                    if value_on:
                        harm[i] += GONE_HARM
                    gone += 1
        else:
            e = rest_exhaustion(exhaustion[i], recovery_rate, 0.0)
            exhaustion[i] = e
            if s == Role.IDLE:  # those gone for good stay cynical
                cynicism[i] = update_cynicism(cynicism[i], e, IDLE_CYNICISM * cynicism_rate)
    return burnouts, returned, gone, burnt


@jit
def kernel(world, p, pol, ctx):
    """Exhaustion, cynicism, burnout and recovery of every citizen.

    Citizens in parallel (:func:`citizens_kernel`); what a burnout does to the ward's count
    and to ties follows in row order (:func:`hear_of_burnouts`).
    """
    c, hd, net = world.citizens, world.hoods, world.network
    trust_on = ctx.switches.trust
    burnouts, returned, gone, burnt = citizens_kernel(
        c, hd, world.arenas, p, pol, ctx.seed, ctx.step, ctx.switches
    )
    heard = hear_of_burnouts(c, hd, net, burnt, p.trust_loss, trust_on) if burnouts else 0
    lost = burnout_trust_lost(burnouts, heard, p.trust_loss) if trust_on else 0.0
    return BurnoutTally(burnouts, returned, gone, lost)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> BurnoutTally:
    """The kernel's readable twin: citizen by citizen."""
    seed, step, net = ctx.seed, ctx.step, world.network
    hoods, arenas = world.hoods, world.arenas
    on, trust_on, value_on = ctx.switches.burnout, ctx.switches.trust, ctx.switches.public_value
    burnouts = returned = gone = heard = 0
    for citizen in rows(world.citizens):
        s = citizen.state
        if s == Role.VOLUNTEER:
            if not on:
                continue
            ratio = strain_ratio(citizen.load, citizen.free_time)
            hood = citizen.hood
            opened = hoods.open_arenas[hood]
            implicit = hoods.implicit[hood] / opened if opened > 0 else 0.0
            imposed = imposed_share(implicit, arenas.load[citizen.arena], pol.expectation)
            resources = job_resources(pol.support, pol.recognition, imposed)
            e = update_exhaustion(
                citizen.exhaustion,
                ratio,
                p.burnout_sensitivity * citizen.susceptibility,
                p.role_recovery_rate,
                resources,
                p.resource_buffer,
                p.demand_convexity,
            )
            citizen.exhaustion = e
            voice = unanswered_voice(citizen.heard, citizen.ignored, step, p.voice_memory)
            target = cynicism_target(
                e,
                voice,
                1.0 - pol.recognition,
                imposed,
                p.voice_cynicism,
                p.recognition_cynicism,
                p.conflict_cynicism,
            )
            cynicism = update_cynicism(citizen.cynicism, target, p.cynicism_rate)
            citizen.cynicism = broken_promise_cynicism(
                cynicism, pol.promise_bad, p.promise_cynicism
            )
            if e >= p.burnout_threshold:
                citizen.state = Role.RECOVERING
                citizen.arena = -1
                hoods.participants[citizen.hood] -= citizen.part  # only with hours this week
                citizen.part = 0
                citizen.burnouts = citizen.burnouts + 1
                citizen.commitment = 0.0
                if value_on:
                    citizen.mattering = clip01(citizen.mattering - BURNOUT_MATTERING_LOSS)
                    citizen.harm = citizen.harm + BURNOUT_HARM
                if trust_on:  # the trust phase turns the evidence into trust this week
                    citizen.trust_b = citizen.trust_b + BURNOUT_TRUST_EVENTS * p.trust_loss
                    ties = net.idx[net.ptr[citizen.row] : net.ptr[citizen.row + 1]]
                    for tie in ties.tolist():
                        world.citizens.trust_b[tie] += TIES_HEAR_EVENTS * p.trust_loss
                    heard += len(ties)
                burnouts += 1
        elif s == Role.RECOVERING:
            e = rest_exhaustion(citizen.exhaustion, p.recovery_rate, pol.support)
            citizen.exhaustion = e
            citizen.cynicism = update_cynicism(
                citizen.cynicism, e, RECOVERING_CYNICISM * p.cynicism_rate
            )
            if e < RECOVERED_AT * p.burnout_threshold:
                if uniform(seed, step, citizen.row, R.S_RETURN) < p.return_chance:
                    citizen.state = Role.IDLE
                    returned += 1
                else:
                    citizen.state = Role.GONE
                    if value_on:
                        citizen.harm = citizen.harm + GONE_HARM
                    gone += 1
        else:
            e = rest_exhaustion(citizen.exhaustion, p.recovery_rate, 0.0)
            citizen.exhaustion = e
            if s == Role.IDLE:  # those gone for good stay cynical
                citizen.cynicism = update_cynicism(
                    citizen.cynicism, e, IDLE_CYNICISM * p.cynicism_rate
                )
    lost = burnout_trust_lost(burnouts, heard, p.trust_loss) if trust_on else 0.0
    return BurnoutTally(burnouts, returned, gone, lost)
