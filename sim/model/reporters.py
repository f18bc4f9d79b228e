"""What a user reads off: model-level reporters and per-group breakdowns.

:func:`compute` returns, after each step, every model-level reporter the
:class:`mesa.DataCollector` records (:data:`REPORTERS`). :func:`group_rows` returns the
per-neighbourhood and per-quintile breakdowns for that step. Both are shared by the two
engines and assembled from the week's census (:func:`sim.model.census.take_census`), one
compiled pass over the citizens, so that no per-citizen numpy runs in the weekly loop.

The dark side is measured (MODEL.md; Steen, Brandsen & Verschuere 2018, seven evils):

=====================================  =========================================
evil                                   indicator
=====================================  =========================================
deliberate rejection of responsibility ``responsibility_withdrawn``, ``unmet_need_share_q1``
failing accountability                 ``unanswered_voices``, ``promise_checks_broken``
rising transaction costs               ``coordination_hours``
loss of democracy                      ``participant_representativeness``
reinforced inequalities                ``*_gap_q5_q1``, ``ward_*_gap``,
                                       ``wellbeing_q1``
implicit demands                       ``implicit_demand_hours``
co-destruction of public value         ``value_destroyed``, ``trust_destroyed``,
                                       ``arenas_closed``
=====================================  =========================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.params import HOURS_PER_WEEK, QUINTILES, Measure
from sim.core.state import Level, Role
from sim.model.census import Census, neediest_unmet, positives, take_census, weight_sums

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Tallies

_SHARE = (0.0, 1.0)
_COUNT = (0.0, None)
_GAP = (-1.0, 1.0)
_ANY = (None, None)

# fmt: off
_REPORTERS: tuple[Measure, ...] = (
    Measure("participation_rate", "share of adults", *_SHARE,
            "share of citizens who took part this week"),
    Measure("volunteers", "persons", *_COUNT, "citizens in an active volunteering role"),
    Measure("champions", "persons", *_COUNT, "volunteers giving at least champion_hours a week"),
    Measure("volunteer_hours", "hours per week", *_COUNT, "volunteer hours given this week"),
    Measure("top10_hours_share", "share of hours", *_SHARE,
            "share of the last year's hours given by the top 10% of citizens"),
    Measure("burnouts", "persons per week", *_COUNT, "volunteers who burnt out this week"),
    Measure("volunteers_high_exhaustion_share", "share of volunteers", *_SHARE,
            "share of current volunteers at or above the MBI's high emotional exhaustion "
            "cut-off (27 of 54, scaled to 0.5)"),
    Measure("volunteers_high_cynicism_share", "share of volunteers", *_SHARE,
            "share of current volunteers at or above the MBI's high depersonalisation "
            "cut-off (13 of 30)"),
    Measure("mean_trust", "score, 0-1", *_SHARE, "mean trust in the municipality"),
    Measure("civic_participation_12m", "share of adults", *_SHARE,
            "share of adults who spoke up to the council (answered or not) at least once in "
            "the last 12 months: the Community Life Survey's civic participation, "
            "contacting officials and the like, asked apart from volunteering"),
    Measure("formal_volunteering_monthly", "share of adults", *_SHARE,
            "share of adults with a volunteering occasion in the last four weeks (Community "
            "Life Survey: at least once a month; occasions of session_hours)"),
    Measure("formal_volunteering_yearly", "share of adults", *_SHARE,
            "share of adults with a volunteering occasion in the last 12 months (Community "
            "Life Survey: at least once a year)"),
    Measure("high_trust_share", "share of adults", *_SHARE,
            "share of adults whose trust, answered on a 0-10 scale as round(10 × trust), is "
            "6-10 (OECD Trust Survey: high or moderately high)"),
    Measure("high_trust_gap_heard", "difference in share of adults", *_GAP,
            "high-trust share of adults who spoke up and were answered in the last 52 weeks "
            "minus that of the adults who were not"),
    Measure("trust_gap_q5_q1", "difference in score, 0-1 scale", *_GAP,
            "mean trust of the top resource quintile minus the bottom"),
    Measure("mean_wellbeing", "score, 0-1", *_SHARE, "mean wellbeing"),
    Measure("wellbeing_gap_q5_q1", "difference in score, 0-1 scale", *_GAP,
            "mean wellbeing of the top quintile minus the bottom"),
    Measure("wellbeing_q1", "score, 0-1", *_SHARE,
            "mean wellbeing of the bottom resource quintile"),
    Measure("unmet_need_share_q1", "share of need", *_SHARE,
            "share of the bottom quintile's service need left unmet this week, after what "
            "they replace privately"),
    Measure("public_value", "model units per week", *_COUNT,
            "arena value plus services valued at the start's hours per citizen, weighted by "
            "quality (so prevention that lowers demand is not counted as lost value), each "
            "counted with the distributional weights of those it reaches (Green Book; "
            "distributional_elasticity; an arena's value with its members' weights)"),
    Measure("public_value_unweighted", "model units per week", *_COUNT,
            "public_value counted without distributional weights, whoever it reaches (the "
            "Green Book asks for both)"),
    Measure("service_demand", "hours per week", *_COUNT, "frontline service hours asked this week"),
    Measure("net_cost", "GBP per week", *_ANY,
            "spending minus revenue this week (positive is a deficit)"),
    Measure("participant_representativeness", "index, 1 = mirrors the population", *_SHARE,
            "1 minus the dissimilarity of participants' quintiles from the population, "
            "scaled by the largest the quintiles' sizes allow (1 = a mirror)"),
    Measure("professional_strain", "index", *_SHARE, "mean strain of professionals"),
    # further indicators
    Measure("mean_mattering", "score, 0-1", *_SHARE, "mean mattering"),
    Measure("mattering_gap_q5_q1", "difference in score, 0-1 scale", *_GAP,
            "mean mattering of the top quintile minus the bottom"),
    Measure("participation_q1", "share of adults", *_SHARE,
            "participation rate of the bottom quintile"),
    Measure("participation_q5", "share of adults", *_SHARE,
            "participation rate of the top quintile"),
    Measure("recovering", "persons", *_COUNT, "volunteers recovering from burnout"),
    Measure("gone", "persons", *_COUNT, "former volunteers gone for good"),
    Measure("exits", "persons per week", *_COUNT, "volunteers who stopped this week (not burnout)"),
    Measure("recruits_tie", "persons per week", *_COUNT,
            "volunteers recruited through ties this week"),
    Measure("recruits_anchor", "persons per week", *_COUNT,
            "volunteers recruited through anchor institutions this week"),
    Measure("recruits_outreach", "persons per week", *_COUNT,
            "volunteers recruited by outreach this week"),
    Measure("recruits_call", "persons per week", *_COUNT,
            "volunteers recruited by a deal's call to every citizen this week"),
    Measure("open_arenas", "arenas", *_COUNT, "arenas open"),
    Measure("arenas_closed", "arenas per week", *_COUNT,
            "arenas closed this week for want of hours or of a grant"),
    Measure("arena_value", "model units per week", *_COUNT, "value produced by arenas this week"),
    Measure("service_quality", "score, 0-1", *_SHARE, "population-weighted service quality"),
    Measure("unmet_demand", "hours per week", *_COUNT, "service hours not met this week"),
    Measure("neediest_unmet_share", "share of need", *_SHARE,
            "share of the service need of the fifth of citizens with the highest need left "
            "unmet this week (after private cover)"),
    Measure("cocreation_hours_share", "share of staff hours", *_SHARE,
            "share of professional hours spent facilitating"),
    Measure("coordination_hours", "hours per week", *_COUNT,
            "coordination hours (transaction costs) this week"),
    Measure("responsibility_withdrawn", "share of service demand", *_SHARE,
            "share of this week's service demand withdrawn as citizens co-produce"),
    Measure("implicit_demand_hours", "hours per week", *_COUNT,
            "unchosen hours pushed onto volunteers this week"),
    Measure("unanswered_voices", "persons per week", *_COUNT,
            "participants who spoke up and heard nothing back this week"),
    Measure("voices_raised", "persons per week", *_COUNT,
            "participants who spoke up this week"),
    Measure("value_destroyed", "model units per week", *_COUNT,
            "public value lost this week: to exhausted volunteers' hours, a season of each "
            "group that closed, and service need left unmet"),
    Measure("trust_destroyed", "evidence events per week", *_COUNT,
            "bad trust evidence added this week (experiences, promises, burnouts)"),
    Measure("promises_kept", "evidence events per citizen", *_COUNT,
            "weight of the deal's promises seen kept this week"),
    Measure("promises_broken", "evidence events per citizen", *_COUNT,
            "weight of the deal's promises seen broken this week"),
    Measure("promise_checks", "promises per week", *_COUNT,
            "the deal's promises checked this week (at a review)"),
    Measure("promise_checks_broken", "promises per week", *_COUNT,
            "of them, those found broken"),
    Measure("ward_participation_gap", "difference in share of adults", *_SHARE,
            "highest minus lowest neighbourhood participation rate"),
    Measure("ward_wellbeing_gap", "difference in score, 0-1 scale", *_SHARE,
            "highest minus lowest neighbourhood mean wellbeing"),
    Measure("income", "GBP per week", *_ANY, "revenue this week"),
    Measure("costs", "GBP per week", *_ANY, "spending this week"),
    Measure("reserves", "GBP", *_ANY, "cumulative revenue minus spending"),
    Measure("cost_staff", "GBP per week", *_COUNT, "staff cost this week"),
    Measure("cost_fund", "GBP per week", *_COUNT, "community fund this week"),
    Measure("cost_coordination", "GBP per week", *_COUNT, "coordination cost this week"),
    Measure("cost_support", "GBP per week", *_COUNT, "volunteer support cost this week"),
    Measure("cost_acute", "GBP per week", *_COUNT,
            "acute care bought for unmet demand this week"),
    Measure("pullbacks", "times", *_COUNT, "times political leaders have pulled back so far"),
    Measure("budget_factor", "ratio to the start", *_COUNT, "revenue relative to the start"),
    Measure("staff_factor", "ratio to the start", *_COUNT,
            "professionals' paid hours relative to the start"),
)
# fmt: on

REPORTERS: dict[str, Measure] = {m.name: m for m in _REPORTERS}
"""Every model-level reporter, by name, in the order of the DataCollector's columns."""

HOOD_COLUMNS = (
    "population",
    "deprivation",
    "participation_rate",
    "volunteers",
    "volunteer_hours",
    "mean_trust",
    "mean_wellbeing",
    "mean_need",
    "unmet_need_share",
    "open_arenas",
    "arena_value",
    "service_quality",
    "civic_participation_12m",
    "high_trust_share",
    "formal_volunteering_yearly",
)
QUINTILE_COLUMNS = (
    "population",
    "participation_rate",
    "volunteers",
    "volunteer_hours",
    "hours_share",
    "mean_trust",
    "mean_wellbeing",
    "mean_mattering",
    "burnouts_total",
    "unmet_need_share",
    "civic_participation_12m",
    "high_trust_share",
    "formal_volunteering_yearly",
)


# fmt: off
_GROUP_MEASURES: tuple[Measure, ...] = (
    Measure("population", "persons", *_COUNT, "citizens in the group"),
    Measure("deprivation", "index, 0-1", *_SHARE,
            "the neighbourhood's deprivation rank, spread evenly from 0 (least deprived) to 1 "
            "(most); with segregation it lowers its residents' resources"),
    Measure("mean_need", "need, 1 = average", *_COUNT, "mean service need in the group"),
    Measure("unmet_need_share", "share of need", *_SHARE,
            "share of the group's service need left unmet this week, after private cover"),
    Measure("hours_share", "share of hours", *_SHARE,
            "the group's share of the volunteer hours given this week"),
    Measure("burnouts_total", "persons", *_COUNT,
            "burnouts of the group's citizens since the start"),
)
# fmt: on

GROUP_MEASURES: dict[str, Measure] = {m.name: m for m in _GROUP_MEASURES}
"""The columns of the group tables that are not model-level reporters; the others mean
what the reporter of the same name means, within the group."""

GROUP_COUNTS: frozenset[str] = frozenset(
    {"population", "volunteers", "open_arenas", "burnouts_total"}
)
"""The columns of the group tables that count persons or arenas, written as integers."""


def zero_tallies(policy: Policy) -> Tallies:
    """The tallies of week 0, the start: no week has run, so every flow is zero.

    Read by the week-0 row of the DataCollector, which shows the state the first week
    starts from. Built from the tally records' own fields, so a field added to a phase's
    tally is zero here too.
    """
    from typing import get_type_hints

    from sim.phases import Tallies

    zeros: dict[type, object] = {int: 0, float: 0.0, bool: False}
    records = []
    for record in get_type_hints(Tallies).values():
        fields = {}
        for field, kind in get_type_hints(record).items():
            if field == "policy":
                fields[field] = policy
            else:
                fields[field] = zeros.get(kind, ())
        records.append(record(**fields))
    return Tallies(*records)


TOP_SHARE = 0.1
"""The top tenth: the civic core's concentration is the share of hours its top tenth gives
(Mohan & Bulloch 2012)."""


def high_share(members: np.ndarray, stock: np.ndarray, cutoff: float) -> float:
    """Share of the members (a boolean mask) whose stock is at or above a cut-off.

    Zero when there are none. The observation model of a burnout survey: the Maslach
    Burnout Inventory's "high" cut-offs on the model's 0-1 stocks
    (:data:`sim.phases.burnout.HIGH_EXHAUSTION`, :data:`sim.phases.burnout.HIGH_CYNICISM`).
    """
    n = int(np.count_nonzero(members))
    if n == 0:
        return 0.0
    return int(np.count_nonzero(stock[members] >= cutoff)) / n


def hood_participants(world: World, step: int) -> np.ndarray:
    """Participants in each neighbourhood this week.

    The participation phase counts them; before the first week (week 0, the start) it has
    not run, so they are counted from the citizens who took part in the week before.
    """
    hd = world.hoods
    if step > 0:
        return hd.participants
    c = world.citizens
    return np.bincount(c.hood, c.part, len(hd.population))


def representativeness(participants: np.ndarray, sizes: np.ndarray) -> float:
    """How far participants mirror the population across resource quintiles, in [0, 1].

    One minus the dissimilarity index of participants' quintiles from the population's
    (half the sum of the absolute differences of their shares), scaled by the largest the
    quintiles' sizes allow: all participants in the smallest quintile, 0.8 when the
    quintiles are equal. 1 is a mirror; 0 when nobody takes part.

    Args:
        participants: participants in each quintile.
        sizes: citizens in each quintile.
    """
    total = participants.sum()
    if total <= 0:
        return 0.0
    population = sizes / sizes.sum()
    largest = 1.0 - population.min()
    return float(1.0 - 0.5 * np.abs(participants / total - population).sum() / largest)


def unmet_share(group: np.ndarray, need: np.ndarray, unmet: np.ndarray, n: int) -> np.ndarray:
    """Share of each group's service need left unmet (0 for a group with no need)."""
    return _unmet_share(np.bincount(group, need, n), np.bincount(group, need * unmet, n))


def _unmet_share(need: np.ndarray, left: np.ndarray) -> np.ndarray:
    """Each group's need left unmet over its need (0 for a group with no need)."""
    return np.divide(left, need, out=np.zeros(len(need)), where=need > 0.0)


def neediest_unmet_share(need: np.ndarray, unmet: np.ndarray) -> float:
    """Share of the need of the fifth of citizens with the highest need that is left unmet.

    The fifth is everyone at or above the 80th percentile of need (``np.quantile``); 0 with
    no need. Compiled (:func:`sim.model.census.neediest_unmet`), equal to numpy's to the
    last bit.
    """
    return float(neediest_unmet(need, unmet, 1.0 - 1.0 / QUINTILES))


def _fraction(count: int, n: int) -> float:
    """``count / n``, 0 when ``n`` is 0: a share of a count, as a survey reads it."""
    return count / n if n else 0.0


def top_share(values: np.ndarray, share: float = TOP_SHARE) -> float:
    """Share of the total held by the top ``share`` of entries (0 if the total is 0).

    The positive entries are picked out compiled (:func:`sim.model.census.positives`); the
    top ones are then found and added by numpy, whose partition (x86-simd-sort where the CPU
    has it) leaves them in an order of its own that the pairwise sum depends on.
    """
    k = max(1, int(np.ceil(share * len(values))))
    positive = positives(values)  # most citizens give nothing; skip them
    total = positive.sum()
    if total <= 0.0:
        return 0.0
    if len(positive) <= k:
        return 1.0
    return float(np.partition(positive, len(positive) - k)[len(positive) - k :].sum() / total)


def distributional_weights(ses: np.ndarray, quintile: np.ndarray, elasticity: float) -> np.ndarray:
    """Each resource quintile's distributional weight, of population mean 1.

    The Green Book's weights (HM Treasury 2022, Annex A3.12-A3.14): a unit of value
    reaching a group counts (mean resources / the group's mean resources) to the power
    ``elasticity`` (1.3 there, the elasticity of the marginal utility of income; Layard,
    Mayraz & Nickell 2008), with the model's resources read as relative income, by
    quintile as in the Green Book's distributional analysis. The weights are rescaled so
    that their population mean is 1: value spread like the population counts as it did
    unweighted. ``elasticity`` 0 gives 1 for every quintile.
    """
    return _quintile_weights(
        np.bincount(quintile, minlength=QUINTILES),
        np.bincount(quintile, ses, QUINTILES),
        float(ses.mean()),
        elasticity,
    )


def _quintile_weights(
    sizes: np.ndarray, ses_sums: np.ndarray, ses_mean: float, elasticity: float
) -> np.ndarray:
    """:func:`distributional_weights` from each quintile's size and summed resources."""
    sizes = sizes.astype(float)
    means = ses_sums / np.maximum(sizes, 1.0)
    floor = np.finfo(float).tiny  # an empty or resourceless quintile weighs as the rest
    weights = (ses_mean / np.maximum(means, floor)) ** elasticity
    weights = np.where(sizes > 0.0, weights, 1.0)
    return weights / (weights * sizes).sum() * sizes.sum()


def weighted_value(world: World, weights: np.ndarray, start_demand: float) -> tuple[float, float]:
    """Arena value and service value, each counted with the distributional weights.

    Services reach the residents of each ward, so a ward's service value counts with its
    residents' weights. An arena's value counts with its members' mean weight: those who
    take part set its agenda and are its first beneficiaries (elite capture: Mansuri &
    Rao 2013, "Localizing Development", ch. 5; Fung 2015), so an arena captured by the
    better-off counts for less; an arena without members counts with its ward's mean
    weight. The weights are summed in a compiled pass (:func:`sim.model.census.weight_sums`).
    """
    c, hd, ar = world.citizens, world.hoods, world.arenas
    hood_weight, members, member_weight = weight_sums(
        hd.first_citizen, hd.population, c.arena, c.quintile, weights, len(ar.value)
    )
    members = members.astype(float)
    services = float((hd.quality * hood_weight).sum()) * start_demand / len(c.hood)
    hood_mean = hood_weight / np.maximum(hd.population, 1)
    arena_weight = np.where(
        members > 0.0, member_weight / np.maximum(members, 1.0), hood_mean[ar.hood]
    )
    return float((ar.value * arena_weight).sum()), services


def compute(
    world: World,
    params: ParamTuple,
    policy: Policy,
    tallies: Tallies,
    quint: np.ndarray,
    quintile_sizes: np.ndarray,
    step: int,
    census: Census | None = None,
) -> dict[str, float]:
    """All model-level reporters for the current step.

    The survey figures read the state through :mod:`sim.core.survey`'s rules, in the census.

    Args:
        world: the state after the step.
        params: the parameter values.
        policy: the policy in effect this week.
        tallies: what each phase counted this week.
        quint: this step's per-quintile rows from :func:`group_rows`.
        quintile_sizes: citizens in each resource quintile.
        step: the week just run (the survey windows end with it).
        census: this step's census (:func:`sim.model.census.take_census`, with
            ``params.champion_hours``), taken here if not given.
    """
    c, hd, pr, council = world.citizens, world.hoods, world.professionals, world.council
    if census is None:
        census = take_census(world, step, params.champion_hours)
    n = len(c.ses)
    qn = quintile_sizes
    states = census.states
    volunteers = int(states[Role.VOLUNTEER])
    heard = census.heard
    column = {name: k for k, name in enumerate(QUINTILE_COLUMNS)}
    part_q = quint[:, column["participation_rate"]]
    trust_q = quint[:, column["mean_trust"]]
    wb_q = quint[:, column["mean_wellbeing"]]
    matter_q = quint[:, column["mean_mattering"]]
    participants = census.participants
    hood_part = hood_participants(world, step) / hd.population
    hood_wellbeing = census.hood_wellbeing / hd.population
    demand = float(hd.demand.sum())
    arena_value = float(hd.value.sum())
    start_demand = float(council.start_demand[0])
    weights = _quintile_weights(
        census.q_size, census.q_ses, float(c.ses.mean()), params.distributional_elasticity
    )
    weighted_arena, weighted_services = weighted_value(world, weights, start_demand)

    def books(name: str) -> float:
        return float(getattr(council, name)[0])

    return {
        "participation_rate": participants / n,
        "volunteers": volunteers,
        "champions": census.champions,
        "volunteer_hours": float(c.hours.sum()),
        "top10_hours_share": top_share(c.hours_recent),
        "burnouts": tallies.burnout.burnouts,
        "volunteers_high_exhaustion_share": _fraction(
            census.volunteers_high_exhaustion, volunteers
        ),
        "volunteers_high_cynicism_share": _fraction(census.volunteers_high_cynicism, volunteers),
        "mean_trust": float(c.trust.mean()),
        "civic_participation_12m": _fraction(census.spoke, n),
        "formal_volunteering_monthly": _fraction(census.volunteered_month, n),
        "formal_volunteering_yearly": _fraction(census.volunteered_year, n),
        "high_trust_share": _fraction(census.high_trust, n),
        # survey.high_trust_gap_heard: 0 when everyone or no one was heard
        "high_trust_gap_heard": _fraction(census.heard_high_trust, heard)
        - _fraction(census.high_trust - census.heard_high_trust, n - heard)
        if 0 < heard < n
        else 0.0,
        "trust_gap_q5_q1": float(trust_q[-1] - trust_q[0]),
        "mean_wellbeing": float(c.wellbeing.mean()),
        "wellbeing_gap_q5_q1": float(wb_q[-1] - wb_q[0]),
        "wellbeing_q1": float(wb_q[0]),
        "unmet_need_share_q1": float(quint[0, column["unmet_need_share"]]),
        "public_value": weighted_arena + weighted_services,
        "public_value_unweighted": arena_value
        + float((hd.quality * hd.population).sum()) * start_demand / n,
        "service_demand": demand,
        "net_cost": books("costs") - books("income"),
        "participant_representativeness": representativeness(
            census.q_participants.astype(float), qn
        ),
        "professional_strain": float(pr.strain.mean()),
        "mean_mattering": float(c.mattering.mean()),
        "mattering_gap_q5_q1": float(matter_q[-1] - matter_q[0]),
        "participation_q1": float(part_q[0]),
        "participation_q5": float(part_q[-1]),
        "recovering": int(states[Role.RECOVERING]),
        "gone": int(states[Role.GONE]),
        "exits": tallies.participation.exits + tallies.participation.stranded,
        "recruits_tie": tallies.recruitment.tie,
        "recruits_anchor": tallies.recruitment.anchor,
        "recruits_outreach": tallies.recruitment.outreach,
        "recruits_call": tallies.recruitment.call,
        "open_arenas": int(world.arenas.open.sum()),
        "arenas_closed": tallies.public_value.arenas_closed,
        "arena_value": arena_value,
        "service_quality": float(np.average(hd.quality, weights=hd.population)),
        "unmet_demand": tallies.public_value.unmet_demand,
        "neediest_unmet_share": neediest_unmet_share(c.need, c.unmet),
        "cocreation_hours_share": float(
            pr.facilitation.sum() / (HOURS_PER_WEEK * policy.staff_factor * pr.fte.sum())
        ),
        "coordination_hours": tallies.accounting.coordination_hours,
        "responsibility_withdrawn": tallies.cross_pressure.withdrawn_share,
        "implicit_demand_hours": tallies.workload.implicit_hours,
        "unanswered_voices": tallies.trust.unanswered,
        "voices_raised": tallies.trust.raised,
        "value_destroyed": tallies.public_value.value_destroyed,
        "trust_destroyed": tallies.trust.destroyed + tallies.burnout.trust_lost,
        "promises_kept": tallies.leadership.kept_weight,
        "promises_broken": tallies.leadership.broken_weight,
        "promise_checks": len(tallies.leadership.promises),
        "promise_checks_broken": sum(not kept for _, kept in tallies.leadership.promises),
        "ward_participation_gap": float(hood_part.max() - hood_part.min()),
        "ward_wellbeing_gap": float(hood_wellbeing.max() - hood_wellbeing.min()),
        "income": books("income"),
        "costs": books("costs"),
        "reserves": books("reserves"),
        "cost_staff": books("cost_staff"),
        "cost_fund": books("cost_fund"),
        "cost_coordination": books("cost_coordination"),
        "cost_support": books("cost_support"),
        "cost_acute": books("cost_acute"),
        "pullbacks": int(world.leaders.pullbacks[Level.POLITICAL]),
        "budget_factor": books("budget_factor"),
        "staff_factor": float(policy.staff_factor),
    }


def group_rows(
    world: World, quintile_sizes: np.ndarray, step: int, census: Census | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-neighbourhood and per-quintile breakdowns for the current step.

    ``step`` is the week just run, where the survey figures' windows end
    (:mod:`sim.core.survey`). ``census`` is this step's census
    (:func:`sim.model.census.take_census`), taken here if not given.

    Returns:
        Two float arrays, shaped (neighbourhoods, len(HOOD_COLUMNS)) and
        (5, len(QUINTILE_COLUMNS)).
    """
    hd, ar = world.hoods, world.arenas
    cs = take_census(world, step) if census is None else census
    n_h = len(hd.population)
    pop = hd.population.astype(float)
    hood = np.column_stack(
        [
            pop,
            hd.deprivation,
            hood_participants(world, step) / pop,
            cs.hood_volunteers,
            hd.volunteer_hours,
            cs.hood_trust / pop,
            cs.hood_wellbeing / pop,
            cs.hood_need / pop,
            _unmet_share(cs.hood_need, cs.hood_need_unmet),
            np.bincount(ar.hood, ar.open, n_h),
            hd.value,
            hd.quality,
            cs.hood_spoke / pop,
            cs.hood_high_trust / pop,
            cs.hood_volunteered / pop,
        ]
    )
    qn = quintile_sizes
    hours = cs.q_hours
    total = hours.sum()
    quint = np.column_stack(
        [
            qn,
            cs.q_participants / qn,
            cs.q_volunteers,
            hours,
            hours / total if total > 0 else np.zeros(5),
            cs.q_trust / qn,
            cs.q_wellbeing / qn,
            cs.q_mattering / qn,
            cs.q_burnouts,
            _unmet_share(cs.q_need, cs.q_need_unmet),
            cs.q_spoke / qn,
            cs.q_high_trust / qn,
            cs.q_volunteered / qn,
        ]
    )
    return hood, quint
