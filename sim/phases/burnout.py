"""Mechanism 4: volunteer burnout, effort and recovery.

Exhaustion builds when load exceeds a volunteer's free time and ebbs with rest; cynicism
follows exhaustion (Leiter & Maslach 1988; Demerouti et al. 2001, job demands-resources).
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

Sources: Leiter & Maslach 1988; Demerouti et al. 2001; Homer 1985; Maslach, Schaufeli &
Leiter 2001; Wahrendorf, von dem Knesebeck & Siegrist 2006; seed 002 (Wigan pitfall:
burnt-out enthusiasts).

Switch: ``mechanisms.burnout``. Off, nobody tires; those recovering still recover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sim.core import rng as R
from sim.core.jit import jit, rule
from sim.core.rng import uniform, uniform_nb
from sim.core.state import Role, rows
from sim.core.world import FREE_TIME_MIN
from sim.phases.common import clip01

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

SUPPORT_DAMPING = 0.5
"""Share of the exhaustion from overload that full volunteer support takes away
(assumption; Demerouti et al. 2001: resources buffer demands)."""

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
def update_exhaustion(
    exhaustion: float,
    ratio: float,
    sensitivity: float,
    recovery: float,
    support: float,
) -> float:
    """Emotional exhaustion as a stock.

    It grows with demand beyond resources, (ratio − 1)⁺, damped by support, and
    ebbs with rest when demand is below resources.

    Sources: Leiter & Maslach 1988 process model; Demerouti et al. 2001.
    """
    over = ratio - 1.0 if ratio > 1.0 else 0.0
    under = 1.0 - ratio if ratio < 1.0 else 0.0
    e = (
        exhaustion
        + sensitivity * over * (1.0 - SUPPORT_DAMPING * support)
        - recovery * under * exhaustion
    )
    return clip01(e)


@rule
def update_cynicism(cynicism: float, exhaustion: float, rate: float) -> float:
    """Cynicism (depersonalisation) follows exhaustion (Leiter & Maslach 1988)."""
    return clip01(cynicism + rate * (exhaustion - cynicism))


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
def kernel(world, p, pol, ctx):
    """Exhaustion, cynicism, burnout and recovery of every citizen."""
    c, hd, net = world.citizens, world.hoods, world.network
    seed, step = ctx.seed, ctx.step
    on, trust_on, value_on = ctx.switches.burnout, ctx.switches.trust, ctx.switches.public_value
    burnouts = 0
    returned = 0
    gone = 0
    heard = 0  # ties who heard of a burnout
    for i in range(c.hood.shape[0]):
        s = c.state[i]
        if s == Role.VOLUNTEER:
            if not on:
                continue
            ratio = strain_ratio(c.load[i], c.free_time[i])
            e = update_exhaustion(
                c.exhaustion[i], ratio, p.burnout_sensitivity, p.recovery_rate, pol.support
            )
            c.exhaustion[i] = e
            c.cynicism[i] = update_cynicism(c.cynicism[i], e, p.cynicism_rate)
            if e >= p.burnout_threshold:
                c.state[i] = Role.RECOVERING
                c.arena[i] = -1
                c.part[i] = 0
                hd.participants[c.hood[i]] -= 1
                c.burnouts[i] += 1
                c.commitment[i] = 0.0
                if value_on:
                    c.mattering[i] = clip01(c.mattering[i] - BURNOUT_MATTERING_LOSS)
                    c.harm[i] += BURNOUT_HARM
                if trust_on:  # the trust phase turns the evidence into trust this week
                    c.trust_b[i] += BURNOUT_TRUST_EVENTS * p.trust_loss
                    for k in range(net.ptr[i], net.ptr[i + 1]):
                        c.trust_b[net.idx[k]] += TIES_HEAR_EVENTS * p.trust_loss
                        heard += 1
                burnouts += 1
        elif s == Role.RECOVERING:
            e = rest_exhaustion(c.exhaustion[i], p.recovery_rate, pol.support)
            c.exhaustion[i] = e
            c.cynicism[i] = update_cynicism(c.cynicism[i], e, RECOVERING_CYNICISM * p.cynicism_rate)
            if e < RECOVERED_AT * p.burnout_threshold:
                if uniform_nb(seed, step, i, R.S_RETURN) < p.return_chance:
                    c.state[i] = Role.IDLE
                    returned += 1
                else:
                    c.state[i] = Role.GONE
                    if value_on:
                        c.harm[i] += GONE_HARM
                    gone += 1
        else:
            e = rest_exhaustion(c.exhaustion[i], p.recovery_rate, 0.0)
            c.exhaustion[i] = e
            if s == Role.IDLE:  # those gone for good stay cynical
                c.cynicism[i] = update_cynicism(c.cynicism[i], e, IDLE_CYNICISM * p.cynicism_rate)
    lost = burnout_trust_lost(burnouts, heard, p.trust_loss) if trust_on else 0.0
    return BurnoutTally(burnouts, returned, gone, lost)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> BurnoutTally:
    """The kernel's readable twin: citizen by citizen."""
    seed, step, net = ctx.seed, ctx.step, world.network
    on, trust_on, value_on = ctx.switches.burnout, ctx.switches.trust, ctx.switches.public_value
    burnouts = returned = gone = heard = 0
    for citizen in rows(world.citizens):
        s = citizen.state
        if s == Role.VOLUNTEER:
            if not on:
                continue
            ratio = strain_ratio(citizen.load, citizen.free_time)
            e = update_exhaustion(
                citizen.exhaustion, ratio, p.burnout_sensitivity, p.recovery_rate, pol.support
            )
            citizen.exhaustion = e
            citizen.cynicism = update_cynicism(citizen.cynicism, e, p.cynicism_rate)
            if e >= p.burnout_threshold:
                citizen.state = Role.RECOVERING
                citizen.arena = -1
                citizen.part = 0
                world.hoods.participants[citizen.hood] -= 1
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
