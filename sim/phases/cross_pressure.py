"""Mechanism 6: professionals' cross-pressure.

Rules (bureaucracy), targets (NPM) and co-creation compete for the same contracted hours;
leaders' logic and the frontline mandate set the split, and core services get the rest.
Service hours the council withdraws as citizens co-produce (``service_withdrawal``, a lever
of responsibility shift, seed 004) come off the professionals' core demand and paid time;
care hours a different conversation connected to community support
(``asset_based_assessment``, :func:`sim.phases.public_value.redirected_hours`) come off their
core demand.
Logics are not normalised: co-creation piled on unchanged targets overloads staff (seed
002, Stange "Hjelpa"). When political leaders pull co-creation back
(:mod:`sim.phases.leadership`), mandated staff keep a share of it going
(``mandate_persistence``, :func:`cocreation_share`): street-level workers with discretion
make policy in what they do (Lipsky 1980), and under pressure most often move towards
their clients (Tummers et al. 2015), so the co-creation their targets do not count is cut
from above and still asked from below.

**Rules and targets are different mechanisms.** Rules take a slice of the week for
procedure (red tape, Bozeman 2000) and give uniform service: every citizen's need is met in
the same share (Weber's treatment "without regard to persons"). Targets take a slice for
measuring and reporting too, but they also (Hood 1991; Bevan & Hood 2006) raise the need
met per core hour (``target_efficiency``, unit-cost efficiency), crowd out the facilitation
hours a target does not count (``target_crowding_out``: they are still asked for, so they
still strain), and serve easy cases first, so that unmet need falls on the neediest
(``target_creaming``, applied in :mod:`sim.phases.public_value`; Lipsky 1980; Koning &
Heinrich 2013).

**Strain is a stock that builds and recovers smoothly.** It drifts (``strain_rate``) to a
level set by the week's load, the hours asked over effective hours: zero below
``strain_onset`` (Bagust, Place & Posnett 1999: queues and risks rise past about 85%
utilisation), rising linearly to 1 over ``strain_span``. Below the tipping strain
(``strain_tipping``) strained professionals put in more effort (``strain_effort``), which
lowers the load: the office is self-correcting. Past it, productivity falls
(``strain_productivity``), the load rises with strain and the overload feeds itself, the
two regimes of Rudolph & Repenning 2002 ("Disaster dynamics", ASQ 47). Only a sustained
load well past full time tips an office.

Sources: seed 001 (three governance logics); seed 002 (Stange "Hjelpa" staff overload);
Rudolph & Repenning 2002; Bagust, Place & Posnett 1999; Hood 1991; Bevan & Hood 2006;
Lipsky 1980; Bozeman 2000; Koning & Heinrich 2013; Tummers et al. 2015.

Switch: ``mechanisms.cross_pressure``. Off, strain stays where it is; the hours are still
split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import prange

from sim.core.jit import jit, jit_parallel, rule
from sim.core.params import HOURS_PER_WEEK
from sim.core.state import Role, rows
from sim.phases.common import clip01, ordered_sum

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

LOGIC_SLICE = 0.25
"""Share of contracted hours that rules (bureaucracy) or targets (NPM) each take at full
weight (assumption; seed 001: each logic claims its own slice of the week)."""

MANDATE_FLOOR = 0.5
"""Share of the co-creation hours leaders allow that a professional with no mandate still
gives; a full mandate gives them all (assumption; seed 002, Stange "Hjelpa")."""

TINY = 1e-9
"""Guards a division by effective hours that strain has driven to zero."""


class CrossPressureTally(NamedTuple):
    """What the cross-pressure phase counted this week."""

    overloaded: int  # professionals asked for more than their effective hours
    withdrawn_share: float  # share of this week's service demand withdrawn, in [0, 1]


# ------------------------------------------------------------------------------ rules


@rule
def productivity(strain: float, effort: float, tipping: float, loss: float) -> float:
    """Effective hours per contracted hour at a strain (Rudolph & Repenning 2002, ASQ 47).

    Below the tipping strain more pressure brings more effort: productivity rises by
    ``effort`` per unit of strain. Past it, stress cuts performance: productivity falls
    linearly, by ``loss`` between the tipping strain and full strain.
    """
    if strain <= tipping:
        return 1.0 + effort * strain
    return 1.0 + effort * tipping - loss * (strain - tipping) / (1.0 - tipping)


@rule
def cocreation_share(allowed: float, withdrawn: float, mandate: float, persistence: float) -> float:
    """Share of a professional's hours asked for co-creation, before the mandate floor.

    What leaders allow (``allowed``), plus what a mandated professional keeps doing of the
    co-creation leaders pulled back (``withdrawn``): a share ``persistence`` of it at full
    mandate, less with less. A political pull-back cuts the money and the hours leaders
    ask for; it does not send home the citizens a low-threshold service has drawn in, and
    staff who may decide their own work keep helping them on top of their targets
    (Lipsky 1980; Tummers et al. 2015: frontline workers most often cope by moving towards
    clients; seed 002, Stange "Hjelpa": empowered staff, overload). Staff without a
    mandate drop it with the pull-back.
    """
    return allowed + withdrawn * mandate * persistence


@rule
def professional_week(
    hours: float,
    productive: float,
    rules_weight: float,
    targets_weight: float,
    facilitation_share: float,
    mandate: float,
    core_demand: float,
    crowding_out: float,
    efficiency: float,
    coordination: float,
    support: float,
) -> tuple[float, float, float, float, float]:
    """Split a professional's week between rules, targets, co-creation and services.

    Rules (bureaucracy) and targets (NPM) take a slice each (procedure; measuring and
    reporting), co-creation takes what leaders and the mandate ask for, less what targets
    crowd out (``crowding_out`` per unit of target weight: what's measured is what
    matters, Bevan & Hood 2006), and core services get what is left, each hour meeting
    ``1 + efficiency · targets_weight`` hours of need (unit-cost efficiency, Hood 1991).
    Co-creation's own side work comes out of the same week: ``coordination`` hours across
    silos for each facilitation hour, and ``support`` hours of volunteer support asked of
    this professional. When the week is too short for all of it, facilitation and its side
    work shrink together. The load counts the co-creation asked for, not only what is
    given: a professional told to co-create and held to targets that do not count it is
    cross-pressured. Logics are not normalised: co-creation piled on unchanged targets
    overloads staff (seed 002, Stange "Hjelpa").

    Returns:
        (core service delivered in hours of need met, facilitation hours, coordination
        hours, volunteer support hours, load: hours asked over effective hours)
    """
    effective = hours * productive
    fixed = hours * LOGIC_SLICE * (rules_weight + targets_weight)
    asked_facilitation = (
        hours * facilitation_share * (MANDATE_FLOOR + (1.0 - MANDATE_FLOOR) * mandate)
    )
    facilitation = asked_facilitation * (1.0 - crowding_out * targets_weight)
    coordinating = facilitation * coordination
    supporting = support
    speed = 1.0 + efficiency * targets_weight
    cocreation = facilitation + coordinating + supporting
    free = effective - fixed - cocreation
    if free < 0.0:
        room = effective - fixed
        scale = room / cocreation if room > 0.0 else 0.0
        facilitation *= scale
        coordinating *= scale
        supporting *= scale
        free = 0.0
    core = core_demand if core_demand < free * speed else free * speed
    asked = fixed + asked_facilitation * (1.0 + coordination) + support + core_demand / speed
    load = asked / (effective if effective > TINY else TINY)
    return core, facilitation, coordinating, supporting, load


@rule
def support_asked(support: float, volunteers: float, cost: float, hour_cost: float) -> float:
    """Staff hours of volunteer support asked in a week, for the whole council.

    ``support`` (the policy's level, 0-1) of ``cost`` (``support_cost``, GBP a volunteer a
    week at full support) for each of ``volunteers``, given as professionals' time at
    ``hour_cost`` (``service_cost_per_hour``): the council's volunteer support is its staff
    recruiting, training and backing volunteers (Gaskin 2011; Wigan reported only its fund
    as the Deal's cost, Naylor & Wellings 2019).
    """
    return support * volunteers * cost / hour_cost


@rule
def per_fte(hours: float, fte: float) -> float:
    """Hours asked of each full-time equivalent, shared in proportion to contracted hours."""
    return hours / fte if fte > 0.0 else 0.0


@rule
def coordination_per_hour(share: float, bridging: float) -> float:
    """Coordination hours across silos for each facilitation hour (Steen et al. 2018).

    ``share`` (``coordination_share``) across fully separate silos; silo bridging saves it
    in proportion.
    """
    return share * (1.0 - bridging)


@rule
def overload_of(load: float) -> float:
    """Hours asked beyond effective hours, as a share of them (0 with slack)."""
    return load - 1.0 if load > 1.0 else 0.0


@rule
def update_strain(strain: float, load: float, rate: float, onset: float, span: float) -> float:
    """Strain drifts at ``rate`` a week to the level the load sets; it recovers with slack.

    The level is 0 up to ``onset`` (hours asked over effective hours) and rises linearly
    to 1 at ``onset + span``. Strain feeds back on the load through
    :func:`productivity`: self-correcting below the tipping strain, self-escalating past
    it (Rudolph & Repenning 2002).
    """
    target = clip01((load - onset) / span)
    return clip01(strain + rate * (target - strain))


@rule
def withdrawn_hours(demand: float, volunteer_hours: float, withdrawal: float) -> float:
    """Service hours the council withdraws: ``withdrawal`` per volunteer hour, up to demand."""
    shifted = withdrawal * volunteer_hours
    return demand if demand < shifted else shifted


@rule
def withdrawn_share(withdrawn: float, demand: float) -> float:
    """Share of the week's service demand withdrawn (0 when nothing is asked)."""
    return withdrawn / demand if demand > 0.0 else 0.0


# ----------------------------------------------------------------------------- kernel


@jit_parallel
def count_volunteers(state):
    """Citizens in a volunteering role, counted in parallel (the same in any order)."""
    volunteers = 0
    for i in prange(state.shape[0]):
        if state[i] == Role.VOLUNTEER:
            volunteers += 1
    return volunteers


@jit
def kernel(world, p, pol, ctx):
    """Each professional splits the week; wards' service capacity and facilitation."""
    pr, hd = world.professionals, world.hoods
    demand = 0.0
    withdrawn = 0.0
    for h in range(hd.population.shape[0]):
        hd.withdrawn[h] = withdrawn_hours(hd.demand[h], hd.volunteer_hours[h], p.service_withdrawal)
        demand += hd.demand[h]
        withdrawn += hd.withdrawn[h]
        hd.capacity[h] = 0.0
        hd.facilitation[h] = 0.0
    hours = HOURS_PER_WEEK * pol.staff_factor
    volunteers = count_volunteers(world.citizens.state)
    support = support_asked(pol.support, volunteers, p.support_cost, p.service_cost_per_hour)
    support_per_fte = per_fte(support, ordered_sum(hd.fte))
    coordination = coordination_per_hour(p.coordination_share, p.silo_bridging)
    overloaded = 0
    for k in range(pr.hood.shape[0]):
        h = pr.hood[k]
        asked = hd.demand[h] - hd.withdrawn[h] - hd.redirected[h]
        core_demand = asked * pr.fte[k] / hd.fte[h]
        if core_demand < 0.0:
            core_demand = 0.0
        productive = productivity(
            pr.strain[k], p.strain_effort, p.strain_tipping, p.strain_productivity
        )
        core, fac, coordinating, supporting, load = professional_week(
            hours * pr.fte[k],
            productive,
            pol.rules_weight,
            pol.targets_weight,
            cocreation_share(
                pol.facilitation_share,
                pol.withdrawn_facilitation,
                pr.mandate[k],
                p.mandate_persistence,
            ),
            pr.mandate[k],
            core_demand,
            p.target_crowding_out,
            p.target_efficiency,
            coordination,
            support_per_fte * pr.fte[k],
        )
        pr.core[k] = core
        pr.facilitation[k] = fac
        pr.coordination[k] = coordinating
        pr.support[k] = supporting
        pr.overload[k] = overload_of(load)
        if pr.overload[k] > 0.0:
            overloaded += 1
        if ctx.switches.cross_pressure:
            pr.strain[k] = update_strain(
                pr.strain[k], load, p.strain_rate, p.strain_onset, p.strain_span
            )
        hd.capacity[h] += core
        hd.facilitation[h] += fac * pr.competence[k]
    return CrossPressureTally(overloaded, withdrawn_share(withdrawn, demand))


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> CrossPressureTally:
    """The kernel's readable twin: professional by professional."""
    hd = world.hoods
    np.minimum(hd.demand, p.service_withdrawal * hd.volunteer_hours, out=hd.withdrawn)
    hd.capacity[:] = 0.0
    hd.facilitation[:] = 0.0
    hours = HOURS_PER_WEEK * pol.staff_factor
    volunteers = int(np.count_nonzero(world.citizens.state == Role.VOLUNTEER))
    support = support_asked(pol.support, volunteers, p.support_cost, p.service_cost_per_hour)
    support_per_fte = per_fte(support, ordered_sum.py_func(hd.fte))
    coordination = coordination_per_hour(p.coordination_share, p.silo_bridging)
    overloaded = 0
    for pro in rows(world.professionals):
        h = pro.hood
        asked = hd.demand[h] - hd.withdrawn[h] - hd.redirected[h]
        core_demand = max(0.0, asked * pro.fte / hd.fte[h])
        productive = productivity(
            pro.strain, p.strain_effort, p.strain_tipping, p.strain_productivity
        )
        core, fac, coordinating, supporting, load = professional_week(
            hours * pro.fte,
            productive,
            pol.rules_weight,
            pol.targets_weight,
            cocreation_share(
                pol.facilitation_share,
                pol.withdrawn_facilitation,
                pro.mandate,
                p.mandate_persistence,
            ),
            pro.mandate,
            core_demand,
            p.target_crowding_out,
            p.target_efficiency,
            coordination,
            support_per_fte * pro.fte,
        )
        pro.core = core
        pro.facilitation = fac
        pro.coordination = coordinating
        pro.support = supporting
        pro.overload = overload_of(load)
        overloaded += pro.overload > 0.0
        if ctx.switches.cross_pressure:
            pro.strain = update_strain(
                pro.strain, load, p.strain_rate, p.strain_onset, p.strain_span
            )
        hd.capacity[h] += core
        hd.facilitation[h] += fac * pro.competence
    share = withdrawn_share(sum(hd.withdrawn.tolist()), sum(hd.demand.tolist()))
    return CrossPressureTally(int(overloaded), share)
