"""Mechanism 8: public value and wellbeing.

Arenas produce value by a CES co-production function of professional facilitation and
volunteer hours (:func:`coproduction`; Parks et al. 1981; Jakobsen & Andersen 2013). Value
has diminishing returns: hours beyond what an arena needs add little
(``oversupply_return``), and a group of exhausted volunteers does worse work
(:func:`efficacy`, :func:`sim.phases.burnout.effective_hours`; Salyers et al. 2017). An
arena starved of hours or of hands (:func:`starved`) for :data:`STARVE_WEEKS` weeks closes.
The community fund opens new ones (a set-up cost) and keeps them going with a yearly grant
(``arena_grant``; Wigan's Community Investment Fund gave about GBP 18k per group over five
years): when the fund is cut below what its groups' grants need, one of them folds each week
until the grants fit. Money that finds no slot to open is not kept. At the end of the week
each arena's gap (:func:`sim.phases.recruitment.arena_gap`) sets how hard its ward recruits
next week.

**Co-production is not substitution.** Professionals meet the need they have hours for.
Citizens can co-produce only part of each sector's need (``coproducible_*``: befriending and
meals in care, little of clinical health), and only with the hours of arenas that do
service-like work (:data:`SERVICE_ARENA_SHARE`). In that part their input complements
professional input through a CES function with substitution ``service_substitution``
(:func:`service_met`; Parks et al. 1981; Jakobsen & Andersen 2013): with professionals
withdrawn, volunteers' hours do little. Withdrawn service that nobody takes over is unmet
need. The best-resourced replace part of a shortfall privately and the least resourced none
(``private_cover``; :func:`own_unmet`; Tudor Hart 1971, the inverse care law), so it falls
on them. Rules share a ward's shortfall uniformly over need; NPM targets serve easy cases
first (``target_creaming``, :func:`creamed`; Lipsky 1980; Koning & Heinrich 2013), so it
falls on the neediest. Unmet need lowers wellbeing, adds lasting harm and, through worse
service contacts, trust (:mod:`sim.phases.trust`); it raises the citizen's need later
(``unmet_deterioration``, failure demand, Seddon 2008), and the council buys acute care for
it at a higher unit cost (:mod:`sim.phases.accounting`).

**A different conversation connects people to what their community already offers.**
Where the council holds social-care assessments as asset-based "different conversations"
(``asset_based_assessment``, a lever: Wigan's Deal for Adult Social Care and Health), the
assessor connects a citizen to community support for the co-producible part of their care
need (befriending, meals, transport, activities) instead of a paid package. Wigan relied
less on day centres, closing four (Wigan Today 2014), connected people "into their local
communities through activities they enjoy" (Wigan Council 2017), and turned a projected
GBP 6.9m overspend in adult social care (2011) into a balanced budget by 2017/18, while the
Care Quality Commission rated more of its care homes good (Naylor & Wellings 2019). The
hours so met (:func:`redirected_hours`) are bounded twice: by the co-producible share of
care need (``coproducible_care`` of the care sector's share, :data:`SECTOR_NEED_SHARE`), so
personal care and safeguarding stay professional, and by the service hours the ward's
arenas actually give (at :data:`VOLUNTEER_COVER`), so nobody is referred to support that is
not there. They come off what professionals are asked for (:mod:`sim.phases.cross_pressure`)
and what staffing is sized to (:mod:`sim.phases.leadership`); if the groups fold before the
week is out, the part they no longer cover is unmet (:func:`redirected_met`). This is not
withdrawal (``service_withdrawal``): withdrawal takes paid hours away per volunteer hour
given, whether or not anyone meets the need. With no different conversations nothing
changes. Different conversations take years to embed (:func:`embedded_share`): Wigan
trained all 4,500 frontline staff in them (Hall 2016, SCIE), and its adult social care
took from 2011 to 2017/18 to balance, so the share of assessments held this way follows
the lever with a lag of ``assessment_embedding`` weeks rather than at once.

Taking part with recognition raises mattering and wellbeing; exclusion, loneliness and
exhaustion lower them (seed 000). **Harm lasts**: burnout, leaving for good, a closed group
and unmet need add to ``Citizens.harm``, which lowers wellbeing and mattering while it is
felt (:func:`sim.phases.common.harm_felt`) and fades by ``harm_memory`` a week (Wahrendorf,
von dem Knesebeck & Siegrist 2006). Local value lowers need for services later, but
prevention is bounded: need can fall by at most ``prevention_effect`` (:func:`update_need`;
Naylor & Wellings 2019 report prevention without an elasticity). A group works on its
members' priorities: part of an arena's value (``benefit_homophily``) reaches residents
like its members, the rest its ward at large (:func:`reach_share`; Mansuri & Rao 2013, ch.
5), so an arena captured by the better-off lowers the need of the better-off.

The tally counts the **value destroyed** each week (co-destruction, Steen, Brandsen &
Verschuere 2018): arena value lost to exhausted volunteers' worse work, a season of value
from each group that closed (:data:`CLOSURE_LOST_WEEKS`), and service need left unmet,
valued as the ``public_value`` reporter values a service hour.

Sources: Parks et al. 1981; Jakobsen & Andersen 2013; Brandsen & Honingh 2016; Salyers et
al. 2017; Tudor Hart 1971; Seddon 2008; Naylor & Wellings 2019; Wigan Council 2017 ("Adult
social care on budget for efficient Wigan Council"); Wigan Today 2014 ("Wigan's GBP 64.4m
care bill"); Hall 2016 (SCIE, "Managing demand in health and social care through the Wigan
Deal"); seed 000 (mattering, wellbeing); Prilleltensky 2020; Wahrendorf, von dem Knesebeck &
Siegrist 2006; Marmot Review 2010; Steen, Brandsen & Verschuere 2018; Lipsky 1980; Koning &
Heinrich 2013; Mansuri & Rao 2013; Fung 2015.

Switch: ``mechanisms.public_value``. Off, arenas produce no value, and mattering, wellbeing,
harm and need stay where they are; arenas still starve, close and open, and unmet need is
still counted and bought in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import prange

from sim.core.jit import jit, jit_parallel, rule
from sim.core.params import QUINTILES, SECTORS, WEEKS_PER_YEAR
from sim.core.state import Role, rows
from sim.core.world import NEED_MEAN
from sim.phases.burnout import strain_ratio
from sim.phases.common import clip01, harm_felt, ordered_sum, ties_share, ties_share_of
from sim.phases.recruitment import arena_gap, sought_per_member
from sim.phases.trust import passed_on
from sim.phases.workload import supported_worth

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

STARVED_SHARE = 0.3
"""An arena with under 30% of its need in hours or in hands is starved (assumption)."""

STARVE_WEEKS = 8
"""Weeks in a row an arena can be starved before it closes (assumption: about two
months)."""

PROFESSIONAL_WEIGHT = 0.3
"""α, the weight of professional input in an arena's CES co-production function
(assumption; Jakobsen & Andersen 2013 model co-production as joint input without a
number)."""

NUMERICAL_ZERO = 1e-9
"""A CES exponent closer to zero than this is taken as zero (Cobb-Douglas)."""

CLOSURE_LOST_WEEKS = 13
"""Weeks of a closed group's value counted as destroyed at its closure: the season it takes
to regroup, if anyone does (assumption)."""

SERVICE_VALUE_PER_HOUR = 1.0
"""Public value of one service hour, in the unit of ``public_value`` (which values services
at their hours: :mod:`sim.model.reporters`)."""

VOLUNTEER_COVER = 0.5
"""Service hours one volunteer hour is worth in co-produced services (assumption: a
volunteer is less trained and less regular than a professional)."""

SERVICE_PROFESSIONAL_WEIGHT = 0.5
"""α, the weight of professional input in the CES function of the co-producible part of
services (assumption: equal weights; Parks et al. 1981 give the form, not the weights)."""

SECTOR_NEED_SHARE: tuple[float, ...] = tuple(1.0 / len(SECTORS) for _ in SECTORS)
"""Each sector's share of service need, in the order of ``SECTORS``: equal, as
professionals are spread evenly over the sectors (:func:`sim.core.world.build_professionals`;
assumption)."""

SERVICE_ARENA_SHARE: tuple[float, ...] = (0.5, 0.25, 0.0, 1.0)
"""Share of an arena's work that co-produces services, by kind in the order of
``ARENA_KINDS``: a low-threshold help service all, a community group half, a street deal a
quarter, a planning workshop none (assumption: a street project does not replace home
care). The work is the arena's input to its own value (:func:`arena_input`, with
:func:`efficacy`): hours beyond its need, or given exhausted, do little here too."""

MATTERING_TAKING_PART = (0.45, 0.45, 0.3)
"""Mattering a participant drifts to: base, gain at full recognition, and loss per unit of
overload without recognition (assumption; seed 000; Prilleltensky 2020; Wahrendorf, von
dem Knesebeck & Siegrist 2006: effort without reward)."""

MATTERING_APART = (0.25, 0.2)
"""Mattering a non-participant drifts to: base, and gain per share of ties taking part
(assumption; seed 000: loneliness)."""

MATTERING_HARM = 0.2
"""Mattering lost at full lasting harm (:func:`sim.phases.common.harm_felt` of 1;
assumption; Wahrendorf et al. 2006)."""

WELLBEING_WEIGHTS = (0.3, 0.2, 0.2, 0.15, 0.15, 0.2, 0.15)
"""Weights of mattering, resources, health (1 − need), ties taking part, the service a
citizen gets, and (subtracted) exhaustion and lasting harm in the wellbeing citizens drift
to (assumption; seed 000; Marmot Review 2010; Wahrendorf et al. 2006)."""

UNMET_HARM = 0.02
"""Lasting harm a week of fully unmet need adds at average need (assumption: a year of it
is about a burnout's worth)."""


class PublicValueTally(NamedTuple):
    """What the public-value phase counted this week."""

    arenas_closed: int  # starved, or folded for want of a grant
    arenas_opened: int  # by the community fund
    unmet_demand: float  # service hours asked and not delivered, after private cover
    value_destroyed: float  # by exhaustion, closures and unmet need, in public_value units


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
def ces(x: float, y: float, rho: float, alpha: float) -> float:
    """CES aggregate (α x^ρ + (1−α) y^ρ)^(1/ρ) of two inputs.

    ρ → 1 makes them substitutes, ρ < 0 complements (either input at zero gives zero);
    ρ = 0 is Cobb-Douglas.
    """
    if x <= 0.0 and y <= 0.0:
        return 0.0
    if abs(rho) < NUMERICAL_ZERO:
        if x <= 0.0 or y <= 0.0:
            return 0.0
        return x**alpha * y ** (1.0 - alpha)
    if rho < 0.0 and (x <= 0.0 or y <= 0.0):
        return 0.0
    return (alpha * x**rho + (1.0 - alpha) * y**rho) ** (1.0 / rho)


@rule
def coproduction(professional: float, citizen: float, rho: float, productivity: float) -> float:
    """An arena's output Q = A·(α R^ρ + (1−α) S^ρ)^(1/ρ), a CES function.

    R is professional (facilitation) input, S citizen input, α
    (:data:`PROFESSIONAL_WEIGHT`).

    Sources: Parks et al. 1981; Jakobsen & Andersen 2013, PAR 73(5).
    """
    return productivity * ces(professional, citizen, rho, PROFESSIONAL_WEIGHT)


@rule
def arena_input(hours: float, need: float, support: float, oversupply: float) -> float:
    """Citizen input that counts towards an arena's value: diminishing beyond its need.

    Hours count at what support makes them worth
    (:func:`sim.phases.workload.supported_worth`); up to the arena's need they count
    fully, beyond it ``oversupply`` each (``oversupply_return``, an uncertainty: more
    hands on the same activities add little, the Ringelmann effect, Kravitz & Martin
    1986): overwork is not value.
    """
    worth = hours * supported_worth(support)
    if worth <= need:
        return worth
    return need + oversupply * (worth - need)


@rule
def closure_loss(facilitation: float, need: float, rho: float, productivity: float) -> float:
    """Value destroyed when a group closes: :data:`CLOSURE_LOST_WEEKS` of its value at its need."""
    return CLOSURE_LOST_WEEKS * coproduction(facilitation, need, rho, productivity)


@rule
def reach_share(
    homophily: float, members_q: float, members: float, residents_q: float, residents: float
) -> float:
    """Share of an arena's value that reaches one resource quintile of its ward.

    A group works on its members' priorities: the share ``homophily``
    (``benefit_homophily``) of its value reaches residents like its members, in
    proportion to the members of that quintile (``members_q`` of ``members``), and the
    rest reaches the ward at large, in proportion to its residents (``residents_q`` of
    ``residents``). An arena captured by the better-off thus serves the better-off: the
    benefits of participatory projects follow those who take part and set the agenda
    (Mansuri & Rao 2013, ch. 5; Fung 2015). An arena without members serves the ward.
    """
    public = residents_q / residents
    if members <= 0.0:
        return public
    return homophily * members_q / members + (1.0 - homophily) * public


@jit_parallel
def members_by_quintile(state, arena, quintile, n_arenas, first_citizen, population):
    """Volunteers of each arena by resource quintile, ward by ward in parallel.

    A volunteer's arena is in their own ward, so each ward counts its own arenas' members
    (:mod:`sim.phases` on the wards' sums).
    """
    counts = np.zeros((n_arenas, QUINTILES))
    for h in prange(first_citizen.shape[0]):
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            if state[i] == Role.VOLUNTEER and arena[i] >= 0:
                counts[arena[i], quintile[i]] += 1.0
    return counts


@rule
def efficacy(effective: float, received: float) -> float:
    """Share of an arena's value its volunteers' exhaustion leaves.

    Their hours-weighted efficacy (:func:`sim.phases.burnout.effective_hours`), 1 with no
    hours.

    Exhaustion lowers the quality of the work, not only its quantity, so it scales the
    arena's whole output: burnout goes with worse quality and safety of care (Salyers et
    al. 2017, a meta-analysis of professionals; assumed to hold for volunteers).
    """
    return effective / received if received > 0.0 else 1.0


@rule
def coproducible_share(p: ParamTuple) -> float:
    """Share of service need citizens can co-produce: the sectors' shares, need-weighted.

    Each sector's ``coproducible_*`` uncertainty times its share of need
    (:data:`SECTOR_NEED_SHARE`; Parks et al. 1981; Brandsen & Honingh 2016).
    """
    health, care, schools, culture = SECTOR_NEED_SHARE
    return (
        health * p.coproducible_health
        + care * p.coproducible_care
        + schools * p.coproducible_schools
        + culture * p.coproducible_culture
    )


@rule
def service_met(
    capacity: float, volunteer_hours: float, demand: float, coproducible: float, rho: float
) -> float:
    """Share of a ward's service need met by professionals and co-production, in [0, 1].

    Professionals meet the share ``capacity / demand`` of every part of the need. In the
    co-producible part (share ``coproducible``), volunteers' hours, worth
    :data:`VOLUNTEER_COVER` each, combine with professional input through a CES function
    (:func:`ces`, weight :data:`SERVICE_PROFESSIONAL_WEIGHT`, exponent ``rho``), and help
    only where that beats professionals alone. With ρ < 0 they complement professional
    work and cannot replace it: withdrawn professionals leave the rest unmet (Parks et al.
    1981; Jakobsen & Andersen 2013).
    """
    if demand <= 0.0:
        return 1.0
    professional = capacity / demand
    if professional > 1.0:
        professional = 1.0
    joint = professional
    if coproducible > 0.0 and volunteer_hours > 0.0:
        citizen = VOLUNTEER_COVER * volunteer_hours / (coproducible * demand)
        combined = ces(professional, citizen, rho, SERVICE_PROFESSIONAL_WEIGHT)
        if combined > joint:
            joint = combined if combined < 1.0 else 1.0
    return (1.0 - coproducible) * professional + coproducible * joint


@rule
def care_coproducible(p: ParamTuple) -> float:
    """Share of all service need that is co-producible social care.

    The care sector's share of need (:data:`SECTOR_NEED_SHARE`) times ``coproducible_care``:
    the most a different conversation can connect to community support.
    """
    care = SECTOR_NEED_SHARE[1]  # SECTORS: health, care, schools, culture
    return care * p.coproducible_care


@rule
def redirected_hours(
    demand: float, service_hours: float, care_share: float, assessment: float
) -> float:
    """Care hours a ward's different conversations connect to community support.

    ``assessment`` (``asset_based_assessment`` as embedded so far, :func:`embedded_share`)
    of the least of the co-producible care need
    (``care_share`` of ``demand``, :func:`care_coproducible`) and what the ward's arenas
    give in service hours, each worth :data:`VOLUNTEER_COVER` (Naylor & Wellings 2019;
    Wigan Council 2017). Zero without different conversations.
    """
    if assessment <= 0.0:
        return 0.0
    need = care_share * demand
    offered = VOLUNTEER_COVER * service_hours
    return assessment * (need if need < offered else offered)


@rule
def embedded_share(embedded: float, lever: float, weeks: float) -> float:
    """This week's share of assessments held as different conversations.

    A first-order lag: the share moves ``1/weeks`` of the way to the lever
    (``asset_based_assessment``) each week, so it reaches 63% of a new lever after
    ``weeks`` (``assessment_embedding``) and 95% after three times that, as staff are
    trained and the practice spreads (Hall 2016; Wigan Council 2017). At a week or less it
    follows the lever at once.
    """
    if weeks <= 1.0:
        return lever
    return embedded + (lever - embedded) / weeks


@rule
def redirected_met(
    capacity: float,
    volunteer_hours: float,
    demand: float,
    coproducible: float,
    rho: float,
    redirected: float,
) -> float:
    """Share of a ward's need met when ``redirected`` hours of it go to community support.

    The redirected hours are met by the ward's service hours this week, as far as these
    cover them (:data:`VOLUNTEER_COVER`); what the community no longer covers is unmet.
    The rest of the need, whose co-producible share is smaller by the redirected hours, is
    met by :func:`service_met` with professionals' ``capacity`` and the volunteer hours
    left. With nothing redirected it is :func:`service_met` itself.
    """
    if redirected <= 0.0 or demand <= 0.0:
        return service_met(capacity, volunteer_hours, demand, coproducible, rho)
    covered = VOLUNTEER_COVER * volunteer_hours
    used = redirected if redirected < covered else covered
    left = volunteer_hours - used / VOLUNTEER_COVER
    rest = demand - redirected
    if rest <= 0.0:
        return used / demand
    rest_coproducible = (coproducible * demand - redirected) / rest
    if rest_coproducible < 0.0:
        rest_coproducible = 0.0
    met_rest = service_met(capacity, left if left > 0.0 else 0.0, rest, rest_coproducible, rho)
    return (used + met_rest * rest) / demand


@rule
def creamed(need: float, creaming: float) -> float:
    """A citizen's weight in the ward's shortfall when easy cases are served first.

    ``need`` to the power ``creaming`` (``target_creaming`` times the targets' weight): 1
    for everyone with no targets, so the shortfall is shared uniformly, as rules give
    (Weber: "without regard to persons"); rising with need under targets, as providers
    judged on measured outputs serve the quick, easy cases first and park the hard ones
    (creaming: Lipsky 1980; Koning & Heinrich 2013).
    """
    if creaming <= 0.0:
        return 1.0
    return need**creaming


@rule
def shortfall_share(ward_met: float, weight: float, norm: float) -> float:
    """Share of a citizen's need the ward's services leave unmet, in [0, 1].

    The ward's shortfall 1 − ``ward_met`` times the citizen's :func:`creamed` weight over
    its need-weighted ward mean ``norm``, so that the ward's unmet hours stay what its
    services leave unmet (up to the cap at the whole of a citizen's need).
    """
    if norm <= 0.0:
        return 1.0 - ward_met
    return clip01((1.0 - ward_met) * weight / norm)


@rule
def own_unmet(shortfall: float, ses: float, private_cover: float) -> float:
    """Share of a citizen's own need left unmet: their shortfall, less private cover.

    The better-resourced replace part of a shortfall themselves (buying care, family and
    friends), up to ``private_cover`` of it at the top of the resource scale; the least
    resourced replace none (Tudor Hart 1971, the inverse care law; Marmot Review 2010).
    """
    return shortfall * (1.0 - private_cover * ses)


@jit_parallel
def creaming_norms(first_citizen, population, need, creaming, weight=None):
    """Each ward's need-weighted mean :func:`creamed` weight, Σ need·w / Σ need.

    Ward by ward in parallel, each ward's citizens in row order, so both engines add in
    the same order. ``weight``, if given, holds each citizen's :func:`creamed` weight
    already (:func:`creamed_weights`).
    """
    norms = np.zeros(first_citizen.shape[0])
    for h in prange(first_citizen.shape[0]):
        weighted = 0.0
        total = 0.0
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            w = creamed(need[i], creaming) if weight is None else weight[i]
            weighted += need[i] * w
            total += need[i]
        norms[h] = weighted / total if total > 0.0 else 0.0
    return norms


@jit_parallel
def creamed_weights(need, creaming):
    """Every citizen's :func:`creamed` weight, in parallel (a power each, under targets)."""
    weight = np.empty(need.shape[0])
    for i in prange(need.shape[0]):
        weight[i] = creamed(need[i], creaming)
    return weight


@rule
def mattering_target(
    participated: bool,
    recognition: float,
    ratio: float,
    ties_share: float,
    harm: float,
) -> float:
    """Level mattering drifts to: valued and adding value when taking part.

    Taking part with recognition raises mattering (seed 000, "mattering"; Prilleltensky
    2020); effort without reward lowers it (Wahrendorf, von dem Knesebeck & Siegrist
    2006); being cut off from active ties lowers it (seed 000, loneliness); lasting harm
    lowers it while it is felt (:data:`MATTERING_HARM`).
    """
    hurt = MATTERING_HARM * harm_felt(harm)
    if participated:
        base, recognised, overworked = MATTERING_TAKING_PART
        over = ratio - 1.0 if ratio > 1.0 else 0.0
        return clip01(
            base + recognised * recognition - overworked * over * (1.0 - recognition) - hurt
        )
    base, connected = MATTERING_APART
    return clip01(base + connected * ties_share - hurt)


@rule
def wellbeing_target(
    mattering: float,
    ses: float,
    need: float,
    ties_share: float,
    service: float,
    exhaustion: float,
    harm: float,
) -> float:
    """Level wellbeing drifts to.

    Mattering, resources, health (low need), social connection and the service a citizen
    gets raise it; exhaustion and lasting harm lower it (seed 000; Marmot 2010; Wahrendorf
    et al. 2006).
    """
    w_matter, w_ses, w_health, w_ties, w_service, w_exhaustion, w_harm = WELLBEING_WEIGHTS
    return clip01(
        w_matter * mattering
        + w_ses * ses
        + w_health * (1.0 - need)
        + w_ties * ties_share
        + w_service * service
        - w_exhaustion * exhaustion
        - w_harm * harm_felt(harm)
    )


@rule
def update_harm(harm: float, memory: float, unmet: float, need: float) -> float:
    """Lasting harm fades by ``memory`` a week; unmet need adds to it (:data:`UNMET_HARM`).

    Burnout, leaving for good and a closed group add to it where they happen
    (:mod:`sim.phases.burnout`, :mod:`sim.phases.participation`).
    """
    return harm * memory + UNMET_HARM * unmet * need / NEED_MEAN


@rule
def update_need(
    need: float,
    need0: float,
    drift: float,
    prevention: float,
    value: float,
    reference: float,
    unmet: float,
    deterioration: float,
) -> float:
    """Need for services drifts to a level that local value lowers and unmet need raises.

    Prevention is bounded: with relative value x = value/reference − 1, the level is the
    structural need times 1 − prevention·x/(1 + |x|), so need falls by at most
    ``prevention`` however much value there is, and rises by at most as much where there
    is none (Naylor & Wellings 2019 report prevention, not its size). Need left unmet
    comes back as more need (failure demand, Seddon 2008): the level rises by
    ``deterioration`` times the share left unmet.
    """
    x = value / reference - 1.0
    scale = 1.0 - prevention * x / (1.0 + abs(x))
    return clip01(need + drift * (need0 * scale * (1.0 + deterioration * unmet) - need))


@rule
def service_quality(
    met: float, need: float, silo_bridging: float, complex_share: float, failure: float
) -> float:
    """Quality of the service at ``need``: the share of need met, less what silos pass on.

    See :func:`sim.phases.trust.passed_on`.
    """
    return met * (1.0 - passed_on(need, silo_bridging, complex_share, failure))


# ------------------------------------------------------------ arenas and services


@jit
def arena_kernel(ar, hd, p, pol, n_citizens, on, members):
    """Arenas produce value, starve and close; the fund keeps, folds and opens them.

    Each arena's value reaches its ward's resource quintiles by :func:`reach_share`, with
    its volunteers by quintile ``members`` (:func:`members_by_quintile`).

    Returns (arenas closed, arenas opened, value destroyed by exhaustion and closures). A
    loop over arenas and wards with no agent in it, so the reference engine runs this very
    function as plain Python.
    """
    closed = 0
    opened = 0
    destroyed = 0.0
    planned = p.hours_per_member * pol.expectation  # hours an arena plans on per member
    rho, productivity, support = p.cocreation_substitution, p.arena_productivity, pol.support
    hd.value[:] = 0.0
    hd.value_q[:, :] = 0.0
    hd.volunteer_hours[:] = 0.0
    hd.service_hours[:] = 0.0
    for a in range(ar.open.shape[0]):
        ar.value[a] = 0.0
        if ar.open[a] == 0:
            continue
        h = ar.hood[a]
        hd.volunteer_hours[h] += ar.received[a]
        hours = arena_input(ar.received[a], ar.demand[a], support, p.oversupply_return)
        worth = efficacy(ar.effective[a], ar.received[a])
        hd.service_hours[h] += SERVICE_ARENA_SHARE[ar.kind[a]] * hours * worth
        if on:
            rested = coproduction(ar.facilitation[a], hours, rho, productivity)
            v = rested * worth
            ar.value[a] = v
            hd.value[h] += v
            destroyed += rested - v
            n_members = 0.0
            for q in range(QUINTILES):
                n_members += members[a, q]
            for q in range(QUINTILES):
                hd.value_q[h, q] += v * reach_share(
                    p.benefit_homophily,
                    members[a, q],
                    n_members,
                    float(hd.population_q[h, q]),
                    float(hd.population[h]),
                )
        if starved(ar.load[a], ar.received[a], ar.volunteers[a], planned):
            ar.starve[a] += 1
        else:
            ar.starve[a] = 0
        if ar.starve[a] >= STARVE_WEEKS:
            ar.open[a] = 0
            ar.funded[a] = 0
            ar.starve[a] = 0
            closed += 1
            if on:
                destroyed += closure_loss(ar.facilitation[a], ar.demand[a], rho, productivity)
    need = np.zeros(hd.population.shape[0])
    gap = np.zeros(hd.population.shape[0])
    for a in range(ar.open.shape[0]):
        ar.gap[a] = 0.0
        if ar.open[a] == 1:
            sought = sought_per_member(planned, support)
            ar.gap[a] = arena_gap(ar.load[a], ar.received[a], ar.volunteers[a], sought)
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
                    if on:
                        destroyed += closure_loss(
                            ar.facilitation[a], ar.demand[a], rho, productivity
                        )
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
    return closed, opened, destroyed


@jit
def services_kernel(hd, p):
    """Share of need met and service quality per ward.

    A loop over wards with no agent in it, so the reference engine runs this very
    function as plain Python.
    """
    coproducible = coproducible_share(p)
    for h in range(hd.population.shape[0]):
        hd.met[h] = redirected_met(
            hd.capacity[h],
            hd.service_hours[h],
            hd.demand[h],
            coproducible,
            p.service_substitution,
            hd.redirected[h],
        )
        hd.quality[h] = service_quality(
            hd.met[h], NEED_MEAN, p.silo_bridging, p.complex_need_share, p.silo_failure
        )
        hd.unmet[h] = 0.0


@jit
def redirect_kernel(hd, p, assessment):
    """Next week's redirected care hours per ward, from this week's need and service hours.

    Professionals' work (:mod:`sim.phases.cross_pressure`) and staffing
    (:mod:`sim.phases.leadership`) read them next week, as they read ``demand``. A loop over
    wards with no agent in it, so the reference engine runs this very function as plain
    Python.
    """
    share = care_coproducible(p)
    for h in range(hd.population.shape[0]):
        hd.redirected[h] = redirected_hours(hd.demand[h], hd.service_hours[h], share, assessment)


# ----------------------------------------------------------------------------- kernel


@jit_parallel
def citizens_kernel(c, hd, net, p, pol, on, creamed_weight, norms, unmet_hours):
    """Every citizen's unmet need, harm, mattering, need and wellbeing, in parallel.

    Each citizen writes only its own row, and ``unmet_hours`` its service hours left unmet;
    the wards' unmet hours and demand are then added ward by ward in parallel, each ward's
    citizens in row order. ``creamed_weight`` holds each citizen's
    :func:`creamed` weight and ``norms`` the wards' (:func:`creaming_norms`).
    """
    # The parallel loop reads and writes local names only, bound one to a line
    # (:data:`sim.core.jit.jit_parallel` says why).
    unmet = c.unmet
    harm = c.harm
    mattering = c.mattering
    need = c.need
    wellbeing = c.wellbeing
    complex_need_share = p.complex_need_share
    exhaustion = c.exhaustion
    free_time = c.free_time
    harm_memory = p.harm_memory
    hood = c.hood
    load = c.load
    mattering_rate = p.mattering_rate
    need0 = c.need0
    need_drift = p.need_drift
    part = c.part
    policy_recognition = pol.recognition
    prevention_effect = p.prevention_effect
    private_cover = p.private_cover
    quintile = c.quintile
    service_hours_per_need = p.service_hours_per_need
    ses = c.ses
    silo_bridging = p.silo_bridging
    silo_failure = p.silo_failure
    unmet_deterioration = p.unmet_deterioration
    value_reference = p.value_reference
    ward_met = hd.met
    ward_population_q = hd.population_q
    ward_value_q = hd.value_q
    wellbeing_rate = p.wellbeing_rate
    for i in prange(hood.shape[0]):
        h = hood[i]
        short = shortfall_share(ward_met[h], creamed_weight[i], norms[h])
        u = own_unmet(short, ses[i], private_cover)
        unmet[i] = u
        unmet_hours[i] = need[i] * service_hours_per_need * u
        if on:
            share = ties_share(net, part, i)
            ratio = strain_ratio(load[i], free_time[i])
            harm[i] = update_harm(harm[i], harm_memory, u, need[i])
            target = mattering_target(part[i] == 1, policy_recognition, ratio, share, harm[i])
            mattering[i] = mattering[i] + mattering_rate * (target - mattering[i])
            need[i] = update_need(
                need[i],
                need0[i],
                need_drift,
                prevention_effect,
                ward_value_q[h, quintile[i]] / ward_population_q[h, quintile[i]],
                value_reference,
                u,
                unmet_deterioration,
            )
            wb = wellbeing_target(
                mattering[i],
                ses[i],
                need[i],
                share,
                service_quality(1.0 - u, need[i], silo_bridging, complex_need_share, silo_failure),
                exhaustion[i],
                harm[i],
            )
            wellbeing[i] = wellbeing[i] + wellbeing_rate * (wb - wellbeing[i])
    ward_unmet = hd.unmet
    ward_demand = hd.demand
    first_citizen = hd.first_citizen
    population = hd.population
    for h in prange(first_citizen.shape[0]):  # the wards' sums, each ward's rows in order
        left = 0.0
        asked = 0.0
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            left += unmet_hours[i]
            asked += need[i] * service_hours_per_need
        ward_unmet[h] = left
        ward_demand[h] = asked


@jit
def kernel(world, p, pol, ctx):
    """Arenas and services, then every citizen's unmet need, mattering, need and wellbeing.

    The citizens in parallel (:func:`citizens_kernel`), then the wards' unmet hours and
    demand added up in row order.
    """
    c, hd, net = world.citizens, world.hoods, world.network
    on = ctx.switches.public_value
    members = members_by_quintile(
        c.state, c.arena, c.quintile, world.arenas.open.shape[0], hd.first_citizen, hd.population
    )
    closed, opened, destroyed = arena_kernel(world.arenas, hd, p, pol, c.hood.shape[0], on, members)
    services_kernel(hd, p)
    creaming = p.target_creaming * pol.targets_weight
    weight = creamed_weights(c.need, creaming)
    norms = creaming_norms(hd.first_citizen, hd.population, c.need, creaming, weight)
    unmet_hours = np.empty(c.hood.shape[0])
    citizens_kernel(c, hd, net, p, pol, on, weight, norms, unmet_hours)
    council = world.council
    council.embedded[0] = embedded_share(
        council.embedded[0], p.asset_based_assessment, p.assessment_embedding
    )
    redirect_kernel(hd, p, council.embedded[0])
    unmet = ordered_sum(hd.unmet)
    destroyed += SERVICE_VALUE_PER_HOUR * unmet if on else 0.0
    return PublicValueTally(closed, opened, unmet, destroyed)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> PublicValueTally:
    """The kernel's readable twin: arenas and wards as plain Python, then citizen by citizen.

    The arena and ward loops touch no agent, so the twin runs the kernel's own functions
    as plain Python (``py_func``) rather than a copy of them.
    """
    hd, net = world.hoods, world.network
    on = ctx.switches.public_value
    c = world.citizens
    members = members_by_quintile.py_func(
        c.state, c.arena, c.quintile, len(world.arenas.open), hd.first_citizen, hd.population
    )
    closed, opened, destroyed = arena_kernel.py_func(
        world.arenas, hd, p, pol, len(c.hood), on, members
    )
    services_kernel.py_func(hd, p)
    creaming = p.target_creaming * pol.targets_weight
    norms = creaming_norms.py_func(hd.first_citizen, hd.population, c.need, creaming)
    hd.demand[:] = 0.0
    part = world.citizens.part
    for citizen in rows(world.citizens):
        h = citizen.hood
        short = shortfall_share(hd.met[h], creamed(citizen.need, creaming), norms[h])
        u = own_unmet(short, citizen.ses, p.private_cover)
        citizen.unmet = u
        hd.unmet[h] += citizen.need * p.service_hours_per_need * u
        if on:
            share = ties_share_of(net, part, citizen.row)
            ratio = strain_ratio(citizen.load, citizen.free_time)
            citizen.harm = update_harm(citizen.harm, p.harm_memory, u, citizen.need)
            target = mattering_target(
                citizen.part == 1, pol.recognition, ratio, share, citizen.harm
            )
            citizen.mattering = citizen.mattering + p.mattering_rate * (target - citizen.mattering)
            citizen.need = update_need(
                citizen.need,
                citizen.need0,
                p.need_drift,
                p.prevention_effect,
                hd.value_q[h, citizen.quintile] / hd.population_q[h, citizen.quintile],
                p.value_reference,
                u,
                p.unmet_deterioration,
            )
            wb = wellbeing_target(
                citizen.mattering,
                citizen.ses,
                citizen.need,
                share,
                service_quality(
                    1.0 - u, citizen.need, p.silo_bridging, p.complex_need_share, p.silo_failure
                ),
                citizen.exhaustion,
                citizen.harm,
            )
            citizen.wellbeing = citizen.wellbeing + p.wellbeing_rate * (wb - citizen.wellbeing)
        hd.demand[h] += citizen.need * p.service_hours_per_need
    council = world.council
    council.embedded[0] = embedded_share(
        council.embedded[0], p.asset_based_assessment, p.assessment_embedding
    )
    redirect_kernel.py_func(hd, p, council.embedded[0])
    unmet = ordered_sum.py_func(hd.unmet)
    destroyed += SERVICE_VALUE_PER_HOUR * unmet if on else 0.0
    return PublicValueTally(int(closed), int(opened), float(unmet), float(destroyed))
