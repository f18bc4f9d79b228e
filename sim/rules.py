"""The behavioural rules of the model, one scalar function per decision.

These are plain Python functions of scalars. The reference engine
(:mod:`sim.reference`) calls them agent by agent as ordinary Python; the numba engine
(:mod:`sim.kernels`) compiles the very same source into its loops (each function is
registered with ``numba.extending.register_jitable``, which leaves it a plain Python
function when called from Python). So the two engines cannot drift apart in their formulas;
``tests/test_engines.py`` checks they also agree in orchestration.

Each function cites the source of its functional form. Parameter meanings, units and
defaults are in :mod:`sim.core.params`.
"""

from __future__ import annotations

import math

from numba.extending import register_jitable

from sim.core.state import Channel, Role

HOURS_PER_WEEK = 37.5
"""Contracted hours of a full-time professional."""

NO_LIMIT = 1.0e18
"""Arena places when the capacity limit does not apply (re-placing stranded volunteers)."""

# Plain integers for the kernels, until each phase reads the enums itself.
IDLE = int(Role.IDLE)
VOLUNTEER = int(Role.VOLUNTEER)
RECOVERING = int(Role.RECOVERING)
GONE = int(Role.GONE)
NOT_RECRUITED = int(Channel.NONE)
BY_TIE = int(Channel.TIE)
BY_ANCHOR = int(Channel.ANCHOR)
BY_OUTREACH = int(Channel.OUTREACH)
INITIAL = int(Channel.INITIAL)


@register_jitable
def sigmoid(x: float) -> float:
    """Logistic function."""
    return 1.0 / (1.0 + math.exp(-x))


@register_jitable
def clip01(x: float) -> float:
    """Clip to [0, 1]."""
    if x < 0.0:
        return 0.0
    if x > 1.0:
        return 1.0
    return x


# ----------------------------------------------------------------------------- trust


@register_jitable
def trust_of(a: float, b: float) -> float:
    """Trust as the expected value of a beta reputation, (a+1)/(a+b+2).

    Source: Jøsang & Ismail 2002, "The Beta Reputation System".
    """
    return (a + 1.0) / (a + b + 2.0)


@register_jitable
def evidence_for(trust: float, n: float) -> tuple[float, float]:
    """Return evidence counts (a, b) with total ``n`` whose trust is ``trust``.

    Used to initialise trust and to move it by word of mouth without changing how
    much evidence a citizen holds (Jøsang & Ismail 2002).
    """
    a = trust * (n + 2.0) - 1.0
    if a < 0.0:
        a = 0.0
    if a > n:
        a = n
    return a, n - a


@register_jitable
def update_trust(
    a: float,
    b: float,
    forgetting: float,
    good: float,
    bad: float,
    gain: float,
    loss: float,
    bias: float,
) -> tuple[float, float]:
    """One week of beta-reputation trust updating with asymmetry and prior colouring.

    Evidence decays by the forgetting factor λ, then ``good`` experiences add
    ``gain`` (w⁺) each to ``a`` and ``bad`` ones add ``loss`` (w⁻) each to ``b``.
    With w⁻ > w⁺ a broken promise costs more than a kept one earns (Slovic 1993,
    Risk Analysis 13(6)). Prior trust colours how evidence is read: trusting
    citizens weigh good news more and bad news less, sceptics the reverse
    (Poortinga & Pidgeon 2004, Risk Analysis 24(6)), scaled by ``bias``.

    Sources: Jøsang & Ismail 2002; Slovic 1993; Poortinga & Pidgeon 2004.
    """
    t = trust_of(a, b)
    tilt = bias * (2.0 * t - 1.0)
    a = a * forgetting + good * gain * (1.0 + tilt)
    b = b * forgetting + bad * loss * (1.0 - tilt)
    return a, b


@register_jitable
def word_of_mouth(own: float, other: float, confidence: float, convergence: float) -> float:
    """Bounded-confidence averaging of trust along one tie.

    If the two views differ by less than ``confidence``, ``own`` moves a share
    ``convergence`` towards ``other``; otherwise nothing changes.

    Source: Deffuant, Neau, Amblard & Weisbuch 2000, Advances in Complex Systems 3.
    """
    if abs(own - other) < confidence:
        return own + convergence * (other - own)
    return own


# ---------------------------------------------------------------------- participation


@register_jitable
def participation_probability(
    ses: float,
    trust: float,
    mattering: float,
    free_time_ratio: float,
    cynicism: float,
    ties_share: float,
    burnt_ties: float,
    threshold: float,
    asked: float,
    access: float,
    base: float,
    w_resources: float,
    w_trust: float,
    w_social: float,
    w_asked: float,
    w_fatigue: float,
    trust_gate: float,
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
    most to those with the fewest resources of their own (Jakobsen 2013, JPART 23(1):
    public input raises co-production most among those in greatest need). The result is
    scaled by ``access`` (open arenas relative to those open at the start, at most one)
    and gated by
    trust (:func:`trust_gate_factor`): below the gate, invitations fall on deaf ears.
    """
    social = sigmoid((ties_share - threshold) / 0.05)
    x = (
        base
        + w_resources * (ses - 0.5)
        + w_trust * (trust - 0.5)
        + (mattering - 0.5)
        + 0.5 * math.log(free_time_ratio + 0.05)
        + w_social * social
        + w_asked * asked * (1.5 - ses)
        - w_fatigue * (cynicism + burnt_ties)
    )
    return sigmoid(x) * access * trust_gate_factor(trust, trust_gate)


@register_jitable
def trust_gate_factor(trust: float, gate: float) -> float:
    """How far trust opens the door to co-creation: a smooth step at ``gate``.

    Trust is a precondition: co-creation needs trust to start (seed 001, "needs
    trust"; seed 002, Wigan pitfall), and legitimacy gates action as in the grievance
    threshold of Epstein's civil-violence model. The step is 0.16 wide (10-90%).
    """
    return sigmoid((trust - gate) / 0.04)


# ------------------------------------------------------------------------ recruitment


@register_jitable
def arena_gap(need: float, received: float, members: int, hours_per_member: float) -> float:
    """Hours of an arena's need it has no hands for: what drives its recruitment.

    An arena looks for people while it is short of hours (its members gave less than it
    needs) or short of hands: it plans on ``hours_per_member`` a week from each member,
    and while its members times that fall short of its need it asks for more, so that
    the work is shared rather than resting on a few (the Wigan pitfall of unrealistic
    expectations of enthusiasts, seed 002). An arena with the hands it plans for stops
    asking, so volunteering settles where the arenas' need puts it rather than growing
    by contagion through ties (Smaldino & Lubell 2011 on arenas' capacity as an
    institutional rule).
    """
    short_hours = need - received
    short_hands = need - members * hours_per_member
    gap = short_hours if short_hours > short_hands else short_hands
    return gap if gap > 0.0 else 0.0


@register_jitable
def starved(need: float, received: float, members: int, hours_per_member: float) -> bool:
    """Whether an arena is starved this week: under 30% of its need in hours or in hands.

    A group kept going by two or three people working past their time is not thriving:
    it folds as surely as one nobody gives hours to, if it stays that way (eight weeks,
    :func:`sim.kernels.arena_phase`). Hands are members times the hours the arena plans
    on from each (:func:`arena_gap`).
    """
    return received < 0.3 * need or members * hours_per_member < 0.3 * need


@register_jitable
def ask_probabilities(
    volunteer_ties: int,
    tie_rate: float,
    anchor_rate: float,
    outreach_rate: float,
) -> tuple[float, float, float]:
    """Chances of being asked this week through ties, anchor institutions and outreach.

    The rates passed in are already scaled by the neighbourhood's vacancy: the share
    of its arenas' need they had no hands for last week (:func:`arena_gap`). Where
    arenas have the hands they plan for, asking stops.

    Each volunteering tie asks independently with ``tie_rate``; most volunteers are
    asked by someone they know (NCVO, Time Well Spent 2019). Anchor institutions
    reach everyone in their neighbourhood, ties or not (seed 002, Preston case);
    outreach reaches whom it is aimed at (proportionate universalism, Marmot 2010).
    """
    p_tie = 1.0 - (1.0 - tie_rate) ** volunteer_ties
    return p_tie, anchor_rate, outreach_rate


@register_jitable
def acceptance_probability(
    ses: float,
    trust: float,
    mattering: float,
    free_time_ratio: float,
    cynicism: float,
    base: float,
    w_resources: float,
    w_trust: float,
    w_fatigue: float,
    trust_gate: float,
) -> float:
    """Chance of saying yes to a volunteering role when asked.

    Benefit against cost (Ren & Kraut's online-community model): resources, trust
    and mattering raise it, lack of time and cynicism lower it.
    """
    x = (
        base
        + w_resources * (ses - 0.5)
        + w_trust * (trust - 0.5)
        + (mattering - 0.5)
        + math.log(free_time_ratio + 0.05)
        - w_fatigue * cynicism
    )
    return sigmoid(x) * trust_gate_factor(trust, trust_gate)


@register_jitable
def outreach_rate(ses: float, reach: float, intensity: float, targeting: float) -> float:
    """Weekly chance that council outreach asks this citizen.

    ``reach`` times ``intensity`` times a relative weight with mean about one: 0
    targeting reaches everyone alike; 1 aims at the least resourced (proportionate
    universalism, Marmot Review 2010).
    """
    return reach * intensity * ((1.0 - targeting) + targeting * 2.0 * (1.0 - ses))


@register_jitable
def exit_probability(base: float, cynicism: float, mattering: float, hours: float) -> float:
    """Weekly chance a volunteer stops of their own accord.

    Volunteers leave when costs outweigh benefits (Ren & Kraut's online-community
    model, exit after inactivity): cynicism raises exit, mattering (being valued)
    lowers it, and a volunteer given little to do (under one hour last week) drifts
    away. ``base`` is calibrated to annual turnover of about a third (CNCS,
    Volunteering in America 2006-09).
    """
    idle = 1.0 - hours if hours < 1.0 else 0.0
    return base * (1.0 + 3.0 * cynicism) * (1.5 - mattering) * (1.0 + 5.0 * idle)


# --------------------------------------------------------------------------- workload


@register_jitable
def load_weight(commitment: float, concentration: float) -> float:
    """Share weight of a volunteer in their arena's hours.

    Hours fall on those already most engaged unless something spreads them: weight is
    (commitment + 0.05) to the power ``concentration`` (0 spreads evenly; the 0.05
    gives newcomers a foothold). This produces the
    civic core (Mohan & Bulloch 2012).
    """
    return (commitment + 0.05) ** concentration


@register_jitable
def usual_hours(episodic: int, hours: float, recent: float, weeks_in_role: int) -> float:
    """The weekly hours a volunteer judges their role by, for the exit decision.

    A regular volunteer goes by last week's hours. An episodic volunteer expects weeks
    without hours, so goes by the average week since joining: the year-weighted hours
    ``recent``, corrected for a role younger than that memory.
    """
    if episodic == 0:
        return hours
    memory = 1.0 - (51.0 / 52.0) ** weeks_in_role
    return recent / memory if memory > 0.0 else 1.0


@register_jitable
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
    (``gap`` > 0, :func:`arena_gap`, counted down as recruits join). Capacity
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


@register_jitable
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


@register_jitable
def arena_concentration(concentration: float, facilitation: float, demand: float) -> float:
    """Load concentration in one arena, lowered by professional facilitation.

    Facilitation spreads the work: a facilitator giving a quarter of the arena's demand
    in hours or more shares it evenly; less facilitation spreads it in proportion.
    Without it, hours concentrate on the most committed (Mohan & Bulloch 2012; MODEL.md:
    "professionals' facilitation and volunteer support lower the load").
    """
    spread = facilitation / (0.25 * demand) if demand > 0.0 else 1.0
    if spread > 1.0:
        spread = 1.0
    return concentration * (1.0 - spread)


@register_jitable
def hours_given(load: float, free_time: float, work_limit: float) -> float:
    """Hours actually given: the load, capped by a work limit on free time.

    A work limit stabilises the workaholic cycle (Homer 1985, System Dynamics Review 1(1)).
    """
    cap = work_limit * free_time
    return load if load < cap else cap


@register_jitable
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


@register_jitable
def update_commitment(commitment: float, hours: float, time_scale: float, growth: float) -> float:
    """Commitment follows hours given (preferential attachment to the role)."""
    target = hours / (2.0 * time_scale)
    if target > 1.0:
        target = 1.0
    return commitment + growth * (target - commitment)


# ---------------------------------------------------------------------------- burnout


@register_jitable
def strain_ratio(load: float, free_time: float) -> float:
    """Demand relative to personal resources (Demerouti et al. 2001, job demands-resources)."""
    return load / (free_time if free_time > 0.1 else 0.1)


@register_jitable
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
    e = exhaustion + sensitivity * over * (1.0 - 0.5 * support) - recovery * under * exhaustion
    return clip01(e)


@register_jitable
def update_cynicism(cynicism: float, exhaustion: float, rate: float) -> float:
    """Cynicism (depersonalisation) follows exhaustion (Leiter & Maslach 1988)."""
    return clip01(cynicism + rate * (exhaustion - cynicism))


@register_jitable
def rest_exhaustion(exhaustion: float, recovery: float, support: float) -> float:
    """Exhaustion ebbing during a recovery period; support speeds it."""
    return exhaustion * (1.0 - clip01(recovery * (1.0 + support)))


# ------------------------------------------------------------------ value & wellbeing


@register_jitable
def coproduction(professional: float, citizen: float, rho: float, productivity: float) -> float:
    """Co-production output Q = A·(α R^ρ + (1−α) S^ρ)^(1/ρ), a CES function.

    R is professional (facilitation) input, S citizen input, α = 0.3. ρ → 1 makes
    them substitutes, ρ < 0 complements; ρ = 0 is Cobb-Douglas.

    Sources: Parks et al. 1981; Jakobsen & Andersen 2013, PAR 73(5).
    """
    alpha = 0.3
    if professional <= 0.0 and citizen <= 0.0:
        return 0.0
    if abs(rho) < 1e-9:
        if professional <= 0.0 or citizen <= 0.0:
            return 0.0
        return productivity * professional**alpha * citizen ** (1.0 - alpha)
    if rho < 0.0 and (professional <= 0.0 or citizen <= 0.0):
        return 0.0
    inner = alpha * professional**rho + (1.0 - alpha) * citizen**rho
    return productivity * inner ** (1.0 / rho)


@register_jitable
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
        over = ratio - 1.0 if ratio > 1.0 else 0.0
        return clip01(0.45 + 0.45 * recognition - 0.3 * over * (1.0 - recognition))
    return 0.25 + 0.2 * ties_share


@register_jitable
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
    return clip01(
        0.3 * mattering
        + 0.2 * ses
        + 0.2 * (1.0 - need)
        + 0.15 * ties_share
        + 0.15 * service_quality
        - 0.2 * exhaustion
    )


@register_jitable
def update_need(
    need: float, need0: float, drift: float, prevention: float, value: float, reference: float
) -> float:
    """Need for services drifts to a level that local public value lowers.

    The level is the structural need scaled by 1 − prevention·(value/reference − 1),
    kept within [0.2, 2] times the structural need: neighbourhoods with more co-created
    value than the reference need fewer costly services later (prevention, Wigan Deal;
    Naylor & Wellings 2019), and those with less need more.
    """
    scale = 1.0 - prevention * (value / reference - 1.0)
    if scale < 0.2:
        scale = 0.2
    if scale > 2.0:
        scale = 2.0
    return clip01(need + drift * (need0 * scale - need))


# ----------------------------------------------------------------------- professionals


@register_jitable
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
    fixed = hours * 0.25 * (rules_weight + targets_weight)
    facilitation = hours * facilitation_share * (0.5 + 0.5 * mandate)
    free = effective - fixed - facilitation
    if free < 0.0:
        facilitation = facilitation + free
        if facilitation < 0.0:
            facilitation = 0.0
        free = 0.0
    core = core_demand if core_demand < free else free
    overload = (fixed + hours * facilitation_share * (0.5 + 0.5 * mandate) + core_demand) / (
        effective if effective > 1e-9 else 1e-9
    ) - 1.0
    if overload < 0.0:
        overload = 0.0
    return core, facilitation, overload


@register_jitable
def update_strain(strain: float, overload: float, rate: float) -> float:
    """Strain builds with overload and eases without it (Rudolph & Repenning 2002)."""
    target = clip01(2.0 * overload)
    return clip01(strain + rate * (target - strain))
