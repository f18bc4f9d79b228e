"""Mechanism 6: professionals' cross-pressure.

Rules (bureaucracy), targets (NPM) and co-creation compete for the same contracted hours;
leaders' logic and the frontline mandate set the split, and core services get the rest.
Service hours the council withdraws as citizens co-produce (``service_withdrawal``, a lever
of responsibility shift, seed 004) come off the professionals' core demand and paid time.
Overload builds strain, and strain eats effective hours, so an office can tip into
self-escalating overload (Rudolph & Repenning 2002, ASQ 47). Logics are not normalised:
co-creation piled on unchanged targets overloads staff (seed 002, Stange "Hjelpa").

Sources: seed 001 (three governance logics); seed 002 (Stange "Hjelpa" staff overload);
Rudolph & Repenning 2002.

Switch: ``mechanisms.cross_pressure``. Off, strain stays where it is; the hours are still
split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.core.jit import jit, rule
from sim.core.params import HOURS_PER_WEEK
from sim.core.state import rows
from sim.phases.common import clip01

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

LOGIC_SLICE = 0.25
"""Share of contracted hours that rules (bureaucracy) or targets (NPM) each take at full
weight (assumption; seed 001: each logic claims its own slice of the week)."""

MANDATE_FLOOR = 0.5
"""Share of the co-creation hours leaders allow that a professional with no mandate still
gives; a full mandate gives them all (assumption; seed 002, Stange "Hjelpa")."""

STRAIN_PER_OVERLOAD = 2.0
"""Strain a sustained overload settles at, per unit of overload (so 50% overload is full
strain; assumption, Rudolph & Repenning 2002 give the shape, not the scale)."""

TINY = 1e-9
"""Guards a division by effective hours that strain has driven to zero."""


class CrossPressureTally(NamedTuple):
    """What the cross-pressure phase counted this week."""

    overloaded: int  # professionals asked for more than their effective hours
    withdrawn_share: float  # share of this week's service demand withdrawn, in [0, 1]


# ------------------------------------------------------------------------------ rules


@rule
def professional_week(
    hours: float,
    strain: float,
    rules_weight: float,
    targets_weight: float,
    facilitation_share: float,
    mandate: float,
    core_demand: float,
    strain_productivity: float,
) -> tuple[float, float, float]:
    """Split a professional's week between rules, targets, co-creation and services.

    Rules (bureaucracy) and targets (NPM) take a fixed slice each, co-creation takes
    what leaders and the mandate allow, and core services get what is left. Strain
    lowers effective hours, so an overloaded office can tip from a self-correcting to a
    self-escalating regime (Rudolph & Repenning 2002, ASQ 47). Logics are not
    normalised: co-creation piled on unchanged targets overloads staff (seed 002,
    Stange "Hjelpa").

    Returns:
        (core hours delivered, facilitation hours, overload ratio)
    """
    effective = hours * (1.0 - strain_productivity * strain)
    fixed = hours * LOGIC_SLICE * (rules_weight + targets_weight)
    facilitation = hours * facilitation_share * (MANDATE_FLOOR + (1.0 - MANDATE_FLOOR) * mandate)
    free = effective - fixed - facilitation
    if free < 0.0:
        facilitation = facilitation + free
        if facilitation < 0.0:
            facilitation = 0.0
        free = 0.0
    core = core_demand if core_demand < free else free
    asked = fixed + hours * facilitation_share * (MANDATE_FLOOR + (1.0 - MANDATE_FLOOR) * mandate)
    overload = (asked + core_demand) / (effective if effective > TINY else TINY) - 1.0
    if overload < 0.0:
        overload = 0.0
    return core, facilitation, overload


@rule
def update_strain(strain: float, overload: float, rate: float) -> float:
    """Strain builds with overload and eases without it (Rudolph & Repenning 2002)."""
    target = clip01(STRAIN_PER_OVERLOAD * overload)
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
    overloaded = 0
    for k in range(pr.hood.shape[0]):
        h = pr.hood[k]
        core_demand = (hd.demand[h] - hd.withdrawn[h]) * pr.fte[k] / hd.fte[h]
        if core_demand < 0.0:
            core_demand = 0.0
        core, fac, over = professional_week(
            hours * pr.fte[k],
            pr.strain[k],
            pol.rules_weight,
            pol.targets_weight,
            pol.facilitation_share,
            pr.mandate[k],
            core_demand,
            p.strain_productivity,
        )
        pr.core[k] = core
        pr.facilitation[k] = fac
        pr.overload[k] = over
        if over > 0.0:
            overloaded += 1
        if ctx.switches.cross_pressure:
            pr.strain[k] = update_strain(pr.strain[k], over, p.strain_rate)
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
    overloaded = 0
    for pro in rows(world.professionals):
        h = pro.hood
        core_demand = max(0.0, (hd.demand[h] - hd.withdrawn[h]) * pro.fte / hd.fte[h])
        core, fac, over = professional_week(
            hours * pro.fte,
            pro.strain,
            pol.rules_weight,
            pol.targets_weight,
            pol.facilitation_share,
            pro.mandate,
            core_demand,
            p.strain_productivity,
        )
        pro.core = core
        pro.facilitation = fac
        pro.overload = over
        overloaded += over > 0.0
        if ctx.switches.cross_pressure:
            pro.strain = update_strain(pro.strain, over, p.strain_rate)
        hd.capacity[h] += core
        hd.facilitation[h] += fac * pro.competence
    share = withdrawn_share(sum(hd.withdrawn.tolist()), sum(hd.demand.tolist()))
    return CrossPressureTally(int(overloaded), share)
