"""Mechanism 8: public value and wellbeing.

Arenas produce value by a CES co-production function of professional facilitation and
volunteer hours (:func:`coproduction`; Parks et al. 1981; Jakobsen & Andersen 2013); an
arena starved of hours or of hands (:func:`starved`) for :data:`STARVE_WEEKS` weeks closes.
The community fund opens new ones (a set-up cost) and keeps them going with a yearly grant
(``arena_grant``; Wigan's Community Investment Fund gave about GBP 18k per group over five
years): when the fund is cut below what its groups' grants need, one of them folds each week
until the grants fit. Money that finds no slot to open is not kept. At the end of the week
each arena's gap (:func:`sim.phases.recruitment.arena_gap`) sets how hard its ward recruits
next week.

Services meet what professionals' capacity and (where services are withdrawn) volunteers'
hours cover; quality is the share of demand met, lowered where sectors work in silos.
Taking part with recognition raises mattering and wellbeing; exclusion, loneliness and
exhaustion lower them (seed 000). Local value lowers need for services later (prevention,
Wigan: Naylor & Wellings 2019).

Sources: Parks et al. 1981; Jakobsen & Andersen 2013; Naylor & Wellings 2019; seed 000
(mattering, wellbeing); Prilleltensky 2020; Wahrendorf, von dem Knesebeck & Siegrist 2006;
Marmot Review 2010.

Switch: ``mechanisms.public_value``. Off, arenas produce no value, and mattering, wellbeing
and need stay where they are; arenas still starve, close and open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.core.jit import jit, rule
from sim.core.params import WEEKS_PER_YEAR
from sim.core.state import rows
from sim.phases.burnout import strain_ratio
from sim.phases.common import clip01, ties_share, ties_share_of
from sim.phases.recruitment import arena_gap

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

STARVED_SHARE = 0.3
"""An arena with under 30% of its need in hours or in hands is starved (assumption)."""

STARVE_WEEKS = 8
"""Weeks in a row an arena can be starved before it closes (assumption: about two
months)."""

PROFESSIONAL_WEIGHT = 0.3
"""α, the weight of professional input in the CES co-production function (assumption;
Jakobsen & Andersen 2013 model co-production as joint input without a number)."""

NUMERICAL_ZERO = 1e-9
"""A CES exponent closer to zero than this is taken as zero (Cobb-Douglas)."""

VOLUNTEER_COVER = 0.5
"""Withdrawn service hours one volunteer hour covers (assumption: volunteers replace
professional service at half an hour per hour)."""

SILO_QUALITY_FLOOR = 0.75
"""Service quality at full cover when sectors work fully in silos; bridging them raises it
to one (assumption; seed 002, Table 2)."""

MATTERING_TAKING_PART = (0.45, 0.45, 0.3)
"""Mattering a participant drifts to: base, gain at full recognition, and loss per unit of
overload without recognition (assumption; seed 000; Prilleltensky 2020; Wahrendorf, von
dem Knesebeck & Siegrist 2006: effort without reward)."""

MATTERING_APART = (0.25, 0.2)
"""Mattering a non-participant drifts to: base, and gain per share of ties taking part
(assumption; seed 000: loneliness)."""

WELLBEING_WEIGHTS = (0.3, 0.2, 0.2, 0.15, 0.15, 0.2)
"""Weights of mattering, resources, health (1 − need), ties taking part, service quality
and (subtracted) exhaustion in the wellbeing citizens drift to (assumption; seed 000;
Marmot Review 2010; Wahrendorf et al. 2006)."""

NEED_SCALE = (0.2, 2.0)
"""Prevention moves need between these multiples of structural need (assumption)."""


class PublicValueTally(NamedTuple):
    """What the public-value phase counted this week."""

    arenas_closed: int  # starved, or folded for want of a grant
    arenas_opened: int  # by the community fund
    unmet_demand: float  # service hours asked and not delivered


# ------------------------------------------------------------------------------ rules


@rule
def starved(need: float, received: float, members: int, hours_per_member: float) -> bool:
    """Whether an arena is starved this week: under 30% of its need in hours or in hands.

    A group kept going by two or three people working past their time is not thriving:
    it folds as surely as one nobody gives hours to, if it stays that way
    (:data:`STARVE_WEEKS`). Hands are members times the hours the arena plans on from each
    (:func:`sim.phases.recruitment.arena_gap`).
    """
    return received < STARVED_SHARE * need or members * hours_per_member < STARVED_SHARE * need


@rule
def coproduction(professional: float, citizen: float, rho: float, productivity: float) -> float:
    """Co-production output Q = A·(α R^ρ + (1−α) S^ρ)^(1/ρ), a CES function.

    R is professional (facilitation) input, S citizen input, α
    (:data:`PROFESSIONAL_WEIGHT`). ρ → 1 makes them substitutes, ρ < 0 complements;
    ρ = 0 is Cobb-Douglas.

    Sources: Parks et al. 1981; Jakobsen & Andersen 2013, PAR 73(5).
    """
    alpha = PROFESSIONAL_WEIGHT
    if professional <= 0.0 and citizen <= 0.0:
        return 0.0
    if abs(rho) < NUMERICAL_ZERO:
        if professional <= 0.0 or citizen <= 0.0:
            return 0.0
        return productivity * professional**alpha * citizen ** (1.0 - alpha)
    if rho < 0.0 and (professional <= 0.0 or citizen <= 0.0):
        return 0.0
    inner = alpha * professional**rho + (1.0 - alpha) * citizen**rho
    return productivity * inner ** (1.0 / rho)


@rule
def mattering_target(
    participated: bool,
    recognition: float,
    ratio: float,
    ties_share: float,
) -> float:
    """Level mattering drifts to: valued and adding value when taking part.

    Taking part with recognition raises mattering (seed 000, "mattering"; Prilleltensky
    2020); effort without reward lowers it (Wahrendorf, von dem Knesebeck & Siegrist
    2006); being cut off from active ties lowers it (seed 000, loneliness).
    """
    if participated:
        base, recognised, overworked = MATTERING_TAKING_PART
        over = ratio - 1.0 if ratio > 1.0 else 0.0
        return clip01(base + recognised * recognition - overworked * over * (1.0 - recognition))
    base, connected = MATTERING_APART
    return base + connected * ties_share


@rule
def wellbeing_target(
    mattering: float,
    ses: float,
    need: float,
    ties_share: float,
    service_quality: float,
    exhaustion: float,
) -> float:
    """Level wellbeing drifts to.

    Mattering, resources, health (low need), social connection and services that work
    raise it; exhaustion lowers it (seed 000; Marmot 2010; Wahrendorf et al. 2006).
    """
    w_matter, w_ses, w_health, w_ties, w_service, w_exhaustion = WELLBEING_WEIGHTS
    return clip01(
        w_matter * mattering
        + w_ses * ses
        + w_health * (1.0 - need)
        + w_ties * ties_share
        + w_service * service_quality
        - w_exhaustion * exhaustion
    )


@rule
def update_need(
    need: float, need0: float, drift: float, prevention: float, value: float, reference: float
) -> float:
    """Need for services drifts to a level that local public value lowers.

    The level is the structural need scaled by 1 − prevention·(value/reference − 1),
    kept within :data:`NEED_SCALE` times the structural need: neighbourhoods with more
    co-created value than the reference need fewer costly services later (prevention,
    Wigan Deal; Naylor & Wellings 2019), and those with less need more.
    """
    low, high = NEED_SCALE
    scale = 1.0 - prevention * (value / reference - 1.0)
    if scale < low:
        scale = low
    if scale > high:
        scale = high
    return clip01(need + drift * (need0 * scale - need))


@rule
def service_quality(served: float, demand: float, silo_bridging: float) -> float:
    """Quality of a ward's services: the share of demand met, lowered by silos."""
    if demand <= 0.0:
        return 1.0
    ratio = served / demand
    bridged = SILO_QUALITY_FLOOR + (1.0 - SILO_QUALITY_FLOOR) * silo_bridging
    return (ratio if ratio < 1.0 else 1.0) * bridged


# ------------------------------------------------------------ arenas and services


@jit
def arena_kernel(ar, hd, p, pol, n_citizens, on):
    """Arenas produce value, starve and close; the fund keeps, folds and opens them.

    Returns (arenas closed, arenas opened). A loop over arenas and wards with no agent in
    it, so the reference engine runs this very function as plain Python.
    """
    closed = 0
    opened = 0
    planned = p.hours_per_member * pol.expectation  # hours an arena plans on per member
    hd.value[:] = 0.0
    hd.volunteer_hours[:] = 0.0
    for a in range(ar.open.shape[0]):
        ar.value[a] = 0.0
        if ar.open[a] == 0:
            continue
        h = ar.hood[a]
        hd.volunteer_hours[h] += ar.received[a]
        if on:
            v = coproduction(
                ar.facilitation[a],
                ar.received[a],
                p.cocreation_substitution,
                p.arena_productivity,
            )
            ar.value[a] = v
            hd.value[h] += v
        if starved(ar.load[a], ar.received[a], ar.volunteers[a], planned):
            ar.starve[a] += 1
        else:
            ar.starve[a] = 0
        if ar.starve[a] >= STARVE_WEEKS:
            ar.open[a] = 0
            ar.funded[a] = 0
            ar.starve[a] = 0
            closed += 1
    need = np.zeros(hd.population.shape[0])
    gap = np.zeros(hd.population.shape[0])
    for a in range(ar.open.shape[0]):
        ar.gap[a] = 0.0
        if ar.open[a] == 1:
            ar.gap[a] = arena_gap(ar.load[a], ar.received[a], ar.volunteers[a], planned)
            need[ar.hood[a]] += ar.load[a]
            gap[ar.hood[a]] += ar.gap[a]
    for h in range(hd.population.shape[0]):
        hd.shortfall[h] = clip01(gap[h] / need[h]) if need[h] > 0.0 else 0.0
    weekly_fund = pol.fund_rate * n_citizens / WEEKS_PER_YEAR
    grant = p.arena_grant / WEEKS_PER_YEAR
    for h in range(hd.population.shape[0]):
        hd.fund_pot[h] += weekly_fund * hd.fund_weight[h]
        first = hd.first_arena[h]
        last = first + hd.n_arenas[h]
        for a in range(first, last):
            if ar.open[a] == 1 and ar.funded[a] == 1:
                hd.fund_pot[h] -= grant
        if hd.fund_pot[h] < 0.0:  # the fund no longer keeps all its groups going
            for a in range(last - 1, first - 1, -1):
                if ar.open[a] == 1 and ar.funded[a] == 1:
                    ar.open[a] = 0
                    ar.funded[a] = 0
                    ar.starve[a] = 0
                    closed += 1
                    break
            hd.fund_pot[h] = 0.0
        for a in range(first, last):
            if hd.fund_pot[h] < p.arena_setup_cost or weekly_fund <= 0.0:
                break
            if ar.open[a] == 0:
                ar.open[a] = 1
                ar.funded[a] = 1
                ar.starve[a] = 0
                hd.fund_pot[h] -= p.arena_setup_cost
                opened += 1
        if hd.fund_pot[h] > p.arena_setup_cost:  # no slot left: nothing waits to open
            hd.fund_pot[h] = p.arena_setup_cost
    return closed, opened


@jit
def services_kernel(hd, p):
    """Service quality and unmet demand per ward; returns total unmet hours.

    A loop over wards with no agent in it, so the reference engine runs this very
    function as plain Python.
    """
    unmet = 0.0
    for h in range(hd.population.shape[0]):
        cover = VOLUNTEER_COVER * hd.volunteer_hours[h]
        if cover > hd.withdrawn[h]:
            cover = hd.withdrawn[h]
        served = hd.capacity[h] + cover
        hd.quality[h] = service_quality(served, hd.demand[h], p.silo_bridging)
        gap = hd.demand[h] - served
        hd.unmet[h] = gap if gap > 0.0 else 0.0
        unmet += hd.unmet[h]
    return unmet


# ----------------------------------------------------------------------------- kernel


@jit
def kernel(world, p, pol, ctx):
    """Arenas and services, then every citizen's mattering, need and wellbeing."""
    c, hd, net = world.citizens, world.hoods, world.network
    on = ctx.switches.public_value
    closed, opened = arena_kernel(world.arenas, hd, p, pol, c.hood.shape[0], on)
    unmet = services_kernel(hd, p)
    hd.demand[:] = 0.0
    if not on:
        for i in range(c.hood.shape[0]):
            hd.demand[c.hood[i]] += c.need[i] * p.service_hours_per_need
        return PublicValueTally(closed, opened, unmet)
    for i in range(c.hood.shape[0]):
        h = c.hood[i]
        share = ties_share(net, c.part, i)
        ratio = strain_ratio(c.load[i], c.free_time[i])
        target = mattering_target(c.part[i] == 1, pol.recognition, ratio, share)
        c.mattering[i] = c.mattering[i] + p.mattering_rate * (target - c.mattering[i])
        c.need[i] = update_need(
            c.need[i],
            c.need0[i],
            p.need_drift,
            p.prevention_effect,
            hd.value[h] / hd.population[h],
            p.value_reference,
        )
        wb = wellbeing_target(
            c.mattering[i], c.ses[i], c.need[i], share, hd.quality[h], c.exhaustion[i]
        )
        c.wellbeing[i] = c.wellbeing[i] + p.wellbeing_rate * (wb - c.wellbeing[i])
        hd.demand[h] += c.need[i] * p.service_hours_per_need
    return PublicValueTally(closed, opened, unmet)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> PublicValueTally:
    """The kernel's readable twin: arenas and wards as plain Python, then citizen by citizen.

    The arena and ward loops touch no agent, so the twin runs the kernel's own functions
    as plain Python (``py_func``) rather than a copy of them.
    """
    hd, net = world.hoods, world.network
    on = ctx.switches.public_value
    closed, opened = arena_kernel.py_func(world.arenas, hd, p, pol, len(world.citizens.hood), on)
    unmet = services_kernel.py_func(hd, p)
    hd.demand[:] = 0.0
    part = world.citizens.part
    for citizen in rows(world.citizens):
        h = citizen.hood
        if on:
            share = ties_share_of(net, part, citizen.row)
            ratio = strain_ratio(citizen.load, citizen.free_time)
            target = mattering_target(citizen.part == 1, pol.recognition, ratio, share)
            citizen.mattering = citizen.mattering + p.mattering_rate * (target - citizen.mattering)
            citizen.need = update_need(
                citizen.need,
                citizen.need0,
                p.need_drift,
                p.prevention_effect,
                hd.value[h] / hd.population[h],
                p.value_reference,
            )
            wb = wellbeing_target(
                citizen.mattering,
                citizen.ses,
                citizen.need,
                share,
                hd.quality[h],
                citizen.exhaustion,
            )
            citizen.wellbeing = citizen.wellbeing + p.wellbeing_rate * (wb - citizen.wellbeing)
        hd.demand[h] += citizen.need * p.service_hours_per_need
    return PublicValueTally(int(closed), int(opened), float(unmet))
