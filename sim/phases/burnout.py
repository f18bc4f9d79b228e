"""Mechanism 4: volunteer burnout, effort and recovery.

Exhaustion builds when load exceeds a volunteer's free time and ebbs with rest; cynicism
follows exhaustion (Leiter & Maslach 1988; Demerouti et al. 2001, job demands-resources).
Past ``burnout_threshold`` a volunteer burns out: leaves the role to recover, loses trust
(if the trust mechanism is on) and mattering (if public value and wellbeing are on):
participation fatigue. After recovery they come back with ``return_chance`` or are gone for
good, and stay cynical (seed 002, Wigan pitfall). Unrealistic expectations raise the load
(the ``volunteer_expectation`` lever, :mod:`sim.phases.workload`).

Sources: Leiter & Maslach 1988; Demerouti et al. 2001; Homer 1985; seed 002 (Wigan
pitfall: burnt-out enthusiasts).

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
from sim.phases.trust import trust_of

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

SUPPORT_DAMPING = 0.5
"""Share of the exhaustion from overload that full volunteer support takes away
(assumption; Demerouti et al. 2001: resources buffer demands)."""

BURNOUT_TRUST_EVENTS = 2.0
"""A burnout adds the bad trust evidence of two bad experiences (assumption: the
volunteer blames the council that asked too much)."""

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


# ----------------------------------------------------------------------------- kernel


@jit
def kernel(world, p, pol, ctx):
    """Exhaustion, cynicism, burnout and recovery of every citizen."""
    c, hd = world.citizens, world.hoods
    seed, step = ctx.seed, ctx.step
    on, trust_on, value_on = ctx.switches.burnout, ctx.switches.trust, ctx.switches.public_value
    burnouts = 0
    returned = 0
    gone = 0
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
                if trust_on:
                    c.trust_b[i] += BURNOUT_TRUST_EVENTS * p.trust_loss
                    c.trust[i] = trust_of(c.trust_a[i], c.trust_b[i])
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
                    gone += 1
        else:
            e = rest_exhaustion(c.exhaustion[i], p.recovery_rate, 0.0)
            c.exhaustion[i] = e
            if s == Role.IDLE:  # those gone for good stay cynical
                c.cynicism[i] = update_cynicism(c.cynicism[i], e, IDLE_CYNICISM * p.cynicism_rate)
    lost = BURNOUT_TRUST_EVENTS * p.trust_loss * burnouts if trust_on else 0.0
    return BurnoutTally(burnouts, returned, gone, lost)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> BurnoutTally:
    """The kernel's readable twin: citizen by citizen."""
    seed, step = ctx.seed, ctx.step
    on, trust_on, value_on = ctx.switches.burnout, ctx.switches.trust, ctx.switches.public_value
    burnouts = returned = gone = 0
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
                if trust_on:
                    citizen.trust_b = citizen.trust_b + BURNOUT_TRUST_EVENTS * p.trust_loss
                    citizen.trust = trust_of(citizen.trust_a, citizen.trust_b)
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
                    gone += 1
        else:
            e = rest_exhaustion(citizen.exhaustion, p.recovery_rate, 0.0)
            citizen.exhaustion = e
            if s == Role.IDLE:  # those gone for good stay cynical
                citizen.cynicism = update_cynicism(
                    citizen.cynicism, e, IDLE_CYNICISM * p.cynicism_rate
                )
    lost = BURNOUT_TRUST_EVENTS * p.trust_loss * burnouts if trust_on else 0.0
    return BurnoutTally(burnouts, returned, gone, lost)
