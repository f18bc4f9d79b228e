"""Building the initial municipality: wards, people, their network, arenas, staff, leaders.

Building the population is vectorised numpy, shared by both engines, and keyed by
(seed, purpose) (:func:`sim.core.rng.stream_seed`) so that scenarios with the same
municipality and seed get the same population (common random numbers).

The shapes below that are not parameters are named constants. They set how people and
places differ at the start; none has a published value, so each is an assumption chosen to
give plausible spreads, and ``docs/odd.md`` (section 5) lists them with the parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.core.params import MIDPOINT, PROMISE_KINDS, QUINTILES, SECTORS
from sim.core.rng import stream_seed
from sim.core.state import (
    COST_LINES,
    Arenas,
    Channel,
    Citizens,
    Council,
    Deal,
    Hoods,
    Leaders,
    Level,
    Network,
    Professionals,
    Role,
    World,
    beta_trust,
)

# ------------------------------------------------------------------- named constants

WARD_SIZE_SPREAD = 0.3
"""Relative sd of ward populations around an even split (assumption; floored at 0.3)."""

WARD_SIZE_FLOOR = 0.3
"""Smallest ward, relative to an even split (assumption)."""

SEGREGATION_SCALE = 0.25
"""Shift of mean resources between the least and most deprived ward per unit of
``segregation``, each way (structure: at 1, ward means run from 0.25 to 0.75, so that
``segregation`` alone sets how far apart wards are; its default, 0.8, and the reasons,
English Indices of Deprivation 2019 and the Community Life Survey's area gradient, are
in the registry)."""

SES_BOUNDS = (0.01, 0.99)
"""Resources are kept inside (0, 1) (assumption)."""

FREE_TIME_SPREAD = 0.4
"""Log-sd of free time: a lognormal with most people between half and twice the mean
(assumption, UK Time Use Survey order of magnitude)."""

FREE_TIME_SHIFT = 0.08
"""Log-shift that keeps the lognormal's mean at ``free_time_mean`` (0.4² / 2)."""

FREE_TIME_MIN = 0.1
"""Least free time anyone has, hours a week (assumption)."""

RESOURCE_TIME_FLOOR = 0.1
"""Least multiplier of free time from the resource gradient (assumption)."""

NEED_MEAN = 0.4
"""Mean structural need for services (assumption; the need at which a citizen's service
contacts happen at ``service_contact_rate``)."""

NEED_SES_SCALE = 0.6
"""Need gained per unit of resources below the middle, per unit of ``need_ses_gradient``."""

NEED_SPREAD = 0.1
"""Sd of structural need among people of equal resources (assumption)."""

NEED_BOUNDS = (0.02, 1.0)
"""Structural need is kept inside these bounds (assumption)."""

TRUST_BOUNDS = (0.05, 0.95)
"""Initial trust is kept inside these bounds (assumption)."""

MATTERING_START = (0.4, 0.2, 0.1)
"""Initial mattering: mean, gain per unit of resources above the middle, and sd
(assumption; seed 000: the better-off feel they matter more)."""

WELLBEING_START = (0.5, 0.3, 0.1)
"""Initial wellbeing: mean, gain per unit of resources above the middle, and sd
(assumption; Marmot Review 2010: the social gradient in health)."""

CIVIC_CORE_TILT = 3.0
"""How strongly the initial volunteers are drawn from the better-resourced: weight
exp(3·(resources − ½)) times free time (Mohan & Bulloch 2012, the civic core)."""

INITIAL_COMMITMENT = (0.05, 0.6)
"""Range of the initial volunteers' commitment (assumption)."""

SIMILAR_RANK = 20
"""A homophilous tie goes to someone at most this many places away in the ward's
resource order (assumption; McPherson, Smith-Lovin & Cook 2001)."""

ARENA_DEMAND_SPREAD = (0.75, 0.5)
"""An arena's demand is ``arena_demand_hours`` times a uniform draw from 0.75 to 1.25."""

ARENA_KINDS_OTHER = 3
"""Arenas not hosted by an anchor are street deals, workshops or help services, evenly."""

MANDATE_SPREAD = 0.1
"""Sd of frontline mandate among professionals (assumption)."""

COMPETENCE_RANGE = (0.4, 0.9)
"""Range of professionals' facilitation competence (assumption)."""

OPEN_CALL_TILT = 1.1
"""An open call's share follows population × (1.1 − deprivation) (Local Trust & OCSI
2019: the most deprived get less; the 0.1 keeps the most deprived ward's share above 0)."""

NEED_TILT = 0.1
"""A targeted fund's share follows population × (deprivation + 0.1) (Marmot Review 2010;
the 0.1 keeps the least deprived ward's share above 0)."""

START_SHORTFALL = 0.5
"""Share of its arenas' need a ward is taken to lack hands for before the first week
(assumption; arenas recruit from the first week)."""

# ------------------------------------------------------------------------------ set-up

_PURPOSE_HOODS = 1
_PURPOSE_PEOPLE = 2
_PURPOSE_NETWORK = 3
_PURPOSE_STAFF = 5
_PURPOSE_VOLUNTEERS = 6
_PURPOSE_EPISODIC = 7
_PURPOSE_SUSCEPTIBILITY = 8
_PURPOSE_ARENA_SLOTS = 1000  # + neighbourhood index


def _allocate(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split an integer total by weights (largest remainder), at least ``minimum`` each."""
    n = len(weights)
    base = np.full(n, minimum, dtype=np.int64)
    rest = total - base.sum()
    if rest <= 0:
        return base
    share = weights / weights.sum() * rest
    out = np.floor(share).astype(np.int64)
    left = rest - out.sum()
    order = np.argsort(-(share - out), kind="stable")
    out[order[:left]] += 1
    return base + out


def build_world(values: dict[str, float], seed: int) -> World:
    """Build the initial municipality.

    Args:
        values: flat mapping of every parameter name to its value.
        seed: run seed.

    Returns:
        The initial :class:`World`.
    """
    n = int(values["citizens"])
    n_hoods = int(values["neighbourhoods"])

    # Neighbourhoods: deprivation spread evenly and shuffled, populations uneven.
    g = stream_seed(seed, _PURPOSE_HOODS)
    deprivation = (np.linspace(0.0, 1.0, n_hoods) if n_hoods > 1 else np.array([MIDPOINT]))[
        g.permutation(n_hoods)
    ]
    spread = 1.0 + WARD_SIZE_SPREAD * g.standard_normal(n_hoods)
    pop = _allocate(n, np.clip(spread, WARD_SIZE_FLOOR, None), 1)
    first = np.concatenate([[0], np.cumsum(pop)[:-1]]).astype(np.int64)
    hood = np.repeat(np.arange(n_hoods, dtype=np.int32), pop)

    # Citizens: resources shaped by ward deprivation (segregation), time, need, trust.
    g = stream_seed(seed, _PURPOSE_PEOPLE)
    z = g.standard_normal((7, n))
    ses = np.clip(
        MIDPOINT
        + values["segregation"] * SEGREGATION_SCALE * (1.0 - 2.0 * deprivation[hood])
        + values["ses_spread"] * z[0],
        *SES_BOUNDS,
    )
    rank = np.argsort(np.argsort(ses, kind="stable"), kind="stable")
    quintile = (rank * QUINTILES // n).astype(np.int8)
    free_time = np.maximum(
        FREE_TIME_MIN,
        values["free_time_mean"]
        * np.exp(FREE_TIME_SPREAD * z[1] - FREE_TIME_SHIFT)
        * np.clip(1.0 + values["time_ses_gradient"] * (ses - MIDPOINT), RESOURCE_TIME_FLOOR, None),
    )
    need0 = np.clip(
        NEED_MEAN
        + NEED_SES_SCALE * values["need_ses_gradient"] * (MIDPOINT - ses)
        + NEED_SPREAD * z[2],
        *NEED_BOUNDS,
    )
    # The disposition is where trust returns without evidence (lasting); the start is
    # where the status quo keeps trust, so that the calibrated status quo is at rest. Both
    # rise with resources alike, from the same draw (sim.core.state.beta_trust).
    spread = values["trust_ses_gradient"] * (ses - MIDPOINT) + values["trust_spread"] * z[3]
    trust0 = np.clip(values["initial_trust"] + spread, *TRUST_BOUNDS)
    disposition = np.clip(values["trust_disposition"] + spread, *TRUST_BOUNDS)
    prior = values["trust_prior_weight"]
    trust_a = trust0 * prior
    trust_b = prior - trust_a
    weight = values["trust_disposition_weight"]
    mean, gradient, sd = MATTERING_START
    mattering = np.clip(mean + gradient * (ses - MIDPOINT) + sd * z[4], 0.0, 1.0)
    mean, gradient, sd = WELLBEING_START
    wellbeing = np.clip(mean + gradient * (ses - MIDPOINT) + sd * z[5], 0.0, 1.0)
    threshold = np.clip(values["threshold_mean"] + values["threshold_spread"] * z[6], 0.0, 1.0)

    # A separate stream, so that the share of episodic volunteers moves no other draw.
    episodic = (stream_seed(seed, _PURPOSE_EPISODIC).random(n) < values["episodic_share"]).astype(
        np.int8
    )

    # How easily each citizen tires in a role (sim.phases.burnout): a separate stream too.
    susceptibility = susceptibility_multiplier(
        stream_seed(seed, _PURPOSE_SUSCEPTIBILITY).standard_normal(n),
        values["burnout_susceptibility_spread"],
    )

    network = build_network(hood, ses, first, pop, values, seed)
    arenas, first_arena, n_arena = build_arenas(pop, deprivation, values, seed)
    need_by_hood = np.bincount(hood, need0, n_hoods)
    professionals, n_prof = build_professionals(pop, need_by_hood, values, seed)

    # Initial volunteers: drawn with weight on resources and time (civic core).
    g = stream_seed(seed, _PURPOSE_VOLUNTEERS)
    n_vol = round(values["initial_volunteer_share"] * n)
    state = np.full(n, Role.IDLE, dtype=np.int8)
    arena = np.full(n, -1, dtype=np.int32)
    channel = np.zeros(n, dtype=np.int8)
    joined = np.full(n, -1, dtype=np.int32)
    commitment = np.zeros(n)
    if n_vol > 0:
        w = np.exp(CIVIC_CORE_TILT * (ses - MIDPOINT)) * free_time
        chosen = np.sort(g.choice(n, size=n_vol, replace=False, p=w / w.sum()))
        state[chosen] = Role.VOLUNTEER
        channel[chosen] = Channel.INITIAL
        joined[chosen] = 0
        commitment[chosen] = g.uniform(*INITIAL_COMMITMENT, n_vol)
        h = hood[chosen]
        # Open slots come first in each neighbourhood (build_arenas).
        n_open = np.bincount(arenas.hood, arenas.open, len(pop)).astype(np.int64)
        arena[chosen] = (first_arena[h] + (g.random(n_vol) * n_open[h]).astype(np.int64)).astype(
            np.int32
        )

    citizens = Citizens(
        hood=hood,
        ses=ses,
        quintile=quintile,
        free_time=free_time,
        threshold=threshold,
        episodic=episodic,
        susceptibility=susceptibility,
        need0=need0,
        need=need0.copy(),
        trust_a=trust_a,
        trust_b=trust_b,
        disposition=disposition,
        trust=beta_trust(trust_a, trust_b, disposition, weight),
        mattering=mattering,
        wellbeing=wellbeing,
        state=state,
        arena=arena,
        channel=channel,
        joined=joined,
        commitment=commitment,
        load=np.zeros(n),
        hours=np.zeros(n),
        hours_total=np.zeros(n),
        hours_recent=np.zeros(n),
        exhaustion=np.zeros(n),
        cynicism=np.zeros(n),
        burnouts=np.zeros(n, dtype=np.int32),
        part=(state == Role.VOLUNTEER).astype(np.int8),
        asked=np.zeros(n, dtype=np.int8),
        unmet=np.zeros(n),
        harm=np.zeros(n),
        heard=np.full(n, -1, dtype=np.int32),
        ignored=np.full(n, -1, dtype=np.int32),
        last_part=np.full(n, -1, dtype=np.int32),
        last_occasion=np.full(n, -1, dtype=np.int32),
    )
    zeros = np.zeros(n_hoods)
    hoods = Hoods(
        deprivation=deprivation,
        population=pop.astype(np.int64),
        first_citizen=first,
        first_arena=first_arena,
        n_arenas=n_arena,
        start_arenas=np.bincount(arenas.hood, arenas.open, n_hoods).astype(np.int64),
        professionals=n_prof,
        fte=np.bincount(professionals.hood, professionals.fte, n_hoods),
        fund_weight=fund_shares(pop, deprivation, values["fund_targeting"]),
        fund_pot=zeros.copy(),
        demand=np.bincount(hood, need0, n_hoods) * values["service_hours_per_need"],
        capacity=zeros.copy(),
        unmet=zeros.copy(),
        facilitation=zeros.copy(),
        quality=np.ones(n_hoods),
        value=zeros.copy(),
        value_q=np.zeros((n_hoods, QUINTILES)),
        population_q=np.bincount(
            hood.astype(np.int64) * QUINTILES + quintile, minlength=n_hoods * QUINTILES
        ).reshape(n_hoods, QUINTILES),
        volunteer_hours=zeros.copy(),
        service_hours=zeros.copy(),
        met=np.ones(n_hoods),
        withdrawn=zeros.copy(),
        redirected=zeros.copy(),
        open_arenas=np.zeros(n_hoods, dtype=np.int64),
        open_anchors=np.zeros(n_hoods, dtype=np.int64),
        participants=np.zeros(n_hoods, dtype=np.int64),
        implicit=zeros.copy(),
        shortfall=np.full(n_hoods, START_SHORTFALL),
    )
    leaders = build_leaders(values)
    council = build_council(values, float(hoods.demand.sum()))
    return World(citizens, professionals, arenas, hoods, network, leaders, council)


def susceptibility_multiplier(z: np.ndarray, spread: float) -> np.ndarray:
    """How easily each citizen tires in a role: a lognormal multiplier of mean one.

    ``exp(spread · z − spread² / 2)`` for standard normal draws ``z``, so that the mean
    multiplier is one whatever the spread: the spread makes some tire faster and others
    slower without changing how fast volunteers tire on average. A spread of zero gives
    exactly one for everyone. Personality predicts burnout (Swider & Zimmerman 2010, the
    Big Five's multiple true-score correlation with emotional exhaustion .57; Alarcon,
    Eschleman & Bowling 2009); the multiplier stands for it in ``sim.phases.burnout``.
    """
    return np.exp(spread * z - 0.5 * spread * spread)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for integers: the distinct values, sorted, by one sort.

    numpy 2.5's ``np.unique`` finds the distinct values by hashing before it sorts them,
    and took 5.3 s on the 5 million tie keys of a borough of 330,000 where a sort and a
    comparison of neighbours take 0.09 s, for the same array (measured on 2 cores).
    """
    ordered = np.sort(values)
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def build_network(
    hood: np.ndarray,
    ses: np.ndarray,
    first: np.ndarray,
    pop: np.ndarray,
    values: dict[str, float],
    seed: int,
) -> Network:
    """A local, homophilous social network.

    Each citizen draws about ``network_degree / 2`` ties. A share ``tie_locality`` is
    within the own neighbourhood; of those a share ``homophily`` goes to someone of
    similar resources (a near rank in the neighbourhood's resource order), the rest to
    anyone there. Other ties go to anyone in the municipality. Ties are undirected,
    without self-loops or duplicates (McPherson, Smith-Lovin & Cook 2001 on homophily).
    """
    n = len(hood)
    g = stream_seed(seed, _PURPOSE_NETWORK)
    m = round(n * values["network_degree"] / 2.0)
    if m == 0 or n < 2:
        return Network(np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int32))
    src = g.integers(0, n, m)
    h = hood[src]
    local = g.random(m) < values["tie_locality"]
    similar = g.random(m) < values["homophily"]
    # Citizens of each hood sorted by resources, to find similar neighbours by rank.
    order = np.lexsort((ses, hood))
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    offset = g.integers(1, SIMILAR_RANK + 1, m) * np.where(g.random(m) < MIDPOINT, -1, 1)
    near = np.clip(pos[src] + offset, first[h], first[h] + pop[h] - 1)
    anyone_here = first[h] + (g.random(m) * pop[h]).astype(np.int64)
    anyone = g.integers(0, n, m)
    dst = np.where(local, np.where(similar, order[near], order[anyone_here]), anyone)
    keep = src != dst
    a = np.concatenate([src[keep], dst[keep]])
    b = np.concatenate([dst[keep], src[keep]])
    key = sorted_unique(a.astype(np.int64) * n + b)
    a, b = key // n, key % n
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=ptr[1:])
    return Network(ptr, b.astype(np.int32))


def fund_shares(pop: np.ndarray, deprivation: np.ndarray, targeting: float) -> np.ndarray:
    """Each neighbourhood's share of the community fund, set by ``fund_targeting``.

    Untargeted (0), the fund is an open call: it goes where groups apply, and
    applications come most from the better-resourced neighbourhoods, so the share
    follows population times (1.1 - deprivation) (the Matthew effect of open grant
    funding; Local Trust & OCSI 2019, "Left behind? Understanding communities on the
    edge": the most deprived areas get less charitable grant funding per head). Fully
    targeted (1), it is proportionate to deprivation, population times (deprivation +
    0.1) (proportionate universalism, Marmot Review 2010). Half-way is about per capita
    (exactly so when the population-weighted mean deprivation is one half).
    """
    pop = pop.astype(float)
    applied = pop * (OPEN_CALL_TILT - deprivation)
    need = pop * (deprivation + NEED_TILT)
    return (1.0 - targeting) * applied / applied.sum() + targeting * need / need.sum()


def infrastructure_density(pop: np.ndarray, deprivation: np.ndarray, ratio: float) -> np.ndarray:
    """Groups per head in each neighbourhood at the start, relative to the town's.

    ``ratio`` ** (1/2 − deprivation), so the least deprived neighbourhood (deprivation 0)
    has ``ratio`` times the groups per head of the most deprived (deprivation 1), scaled so
    that the town has as many groups as at one per ``citizens_per_arena`` everywhere
    (Mohan 2011; Clifford 2012: fewer neighbourhood-level voluntary organisations per head
    in more deprived areas). At a ratio of 1 it is 1 everywhere.
    """
    pop = pop.astype(float)
    tilt = ratio ** (MIDPOINT - deprivation)
    return tilt * (pop.sum() / (pop * tilt).sum())


def build_arenas(
    pop: np.ndarray, deprivation: np.ndarray, values: dict[str, float], seed: int
) -> tuple[Arenas, np.ndarray, np.ndarray]:
    """Arenas per neighbourhood: open at the start, plus closed slots the fund can open.

    The arenas open at the start follow the civic infrastructure
    (:func:`infrastructure_density`): fewer groups per head where deprivation is higher.
    The fund's slots follow the fund's split (:func:`fund_shares`), counted from one group
    per ``citizens_per_arena``: more in the
    better-resourced neighbourhoods without targeting, more in deprived ones with it,
    so that a targeted fund sets up new groups where need is (proportionate
    universalism, Marmot Review 2010).
    Each neighbourhood draws its arenas' kind, anchor and demand from a stream of its
    own, slot by slot, so the arenas open at the start are the same whatever the number
    of slots: strategies run on the same seed start from the same arenas.
    """
    base = pop / values["citizens_per_arena"]
    density = infrastructure_density(pop, deprivation, values["civic_infrastructure_ratio"])
    per = np.maximum(1, np.round(base * density)).astype(np.int64)
    per_head = np.maximum(1, np.round(base)).astype(np.int64)
    # The fund's share over the per-capita share.
    tilt = fund_shares(pop, deprivation, values["fund_targeting"]) / (pop / pop.sum())
    slots = per + np.ceil(values["fund_arena_share"] * per_head * tilt).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(slots)[:-1]]).astype(np.int64)
    total = int(slots.sum())
    hood = np.repeat(np.arange(len(pop), dtype=np.int32), slots)
    local = np.arange(total) - first[hood]
    is_open = (local < per[hood]).astype(np.int8)
    # One stream per neighbourhood, three uniforms per slot (the prefix of a numpy
    # Generator's draws does not depend on how many are drawn).
    u = np.concatenate(
        [
            stream_seed(seed, _PURPOSE_ARENA_SLOTS + h).random((int(k), 3))
            for h, k in enumerate(slots)
        ]
    )
    anchor = (u[:, 0] < values["anchor_share"]).astype(np.int8)
    other = (float(ARENA_KINDS_OTHER) * u[:, 1]).astype(np.int64)
    kind = np.where(anchor == 1, 0, 1 + np.minimum(ARENA_KINDS_OTHER - 1, other))
    kind = kind.astype(np.int8)
    low, spread = ARENA_DEMAND_SPREAD
    demand = values["arena_demand_hours"] * (low + spread * u[:, 2])
    z = np.zeros(total)
    arenas = Arenas(
        hood=hood,
        kind=kind,
        anchor=anchor,
        open=is_open,
        demand=demand,
        load=z.copy(),
        received=z.copy(),
        effective=z.copy(),
        facilitation=z.copy(),
        value=z.copy(),
        starve=np.zeros(total, dtype=np.int32),
        funded=np.zeros(total, dtype=np.int8),
        gap=np.where(is_open == 1, demand, 0.0),
        weight=z.copy(),
        volunteers=np.zeros(total, dtype=np.int32),
    )
    return arenas, first, slots


def build_professionals(
    pop: np.ndarray, need: np.ndarray, values: dict[str, float], seed: int
) -> tuple[Professionals, np.ndarray]:
    """Frontline professionals: so many per 1000 citizens, placed where the need is.

    The headcount follows the population; each neighbourhood gets a share in
    proportion to its total service need at the start (``need``), at least one each.
    Needs-based allocation, as proportionate universalism asks (Marmot Review 2010),
    gives every neighbourhood the same slack at the start, so that the status quo does
    not tip the most deprived one into overload by itself. Headcounts are whole people,
    but each neighbourhood's full-time equivalents are its exact share of the total
    (``fte``: part-time posts), so rounding a small ward's headcount does not leave it
    short of staff.
    """
    g = stream_seed(seed, _PURPOSE_STAFF)
    exact = pop.sum() * values["professionals_per_1000"] / 1000.0
    total = max(len(pop), round(exact))
    per = _allocate(total, need.astype(float), 1)
    hood = np.repeat(np.arange(len(pop), dtype=np.int32), per)
    ward_fte = exact * need / need.sum() if need.sum() > 0.0 else exact * per / per.sum()
    fte = (ward_fte / per)[hood]
    sector = (np.arange(total) % len(SECTORS)).astype(np.int8)
    mandate = np.clip(
        values["frontline_mandate"] + MANDATE_SPREAD * g.standard_normal(total), 0.0, 1.0
    )
    competence = g.uniform(*COMPETENCE_RANGE, total)
    z = np.zeros(total)
    staff = Professionals(
        hood=hood,
        sector=sector,
        fte=fte,
        mandate=mandate,
        competence=competence,
        strain=z.copy(),
        core=z.copy(),
        facilitation=z.copy(),
        coordination=z.copy(),
        support=z.copy(),
        overload=z.copy(),
    )
    return staff, per


def build_leaders(values: Mapping[str, Any]) -> Leaders:
    """The four leaders at the start of a run, one row per :class:`~sim.core.state.Level`.

    Political leaders start fully committed and patient; tactical leaders hold the
    scenario's NPM targets; operational leaders its volunteer expectation and support.
    """
    n = len(Level)
    leaders = Leaders(
        commitment=np.zeros(n),
        impatience=np.zeros(n),
        pullbacks=np.zeros(n, dtype=np.int64),
        targets_weight=np.zeros(n),
        expectation=np.zeros(n),
        support=np.zeros(n),
        burnouts_seen=np.zeros(n, dtype=np.int64),
        reviews=np.zeros(n, dtype=np.int64),
    )
    leaders.commitment[Level.POLITICAL] = 1.0
    leaders.targets_weight[Level.TACTICAL] = float(values["logic_npm"])
    leaders.expectation[Level.OPERATIONAL] = float(values["volunteer_expectation"])
    leaders.support[Level.OPERATIONAL] = float(values["volunteer_support"])
    return leaders


def build_council(values: Mapping[str, Any], start_demand: float) -> Council:
    """The council at the start: full revenue and staffing, empty books."""
    books = (len(COST_LINES), int(values["leader_period"]))
    one, zero = np.ones(1), np.zeros(1)
    return Council(
        budget_factor=one.copy(),
        staffing=one.copy(),
        start_demand=np.array([start_demand]),
        **{f: zero.copy() for f in Council._fields[3:-2]},
        books=np.zeros(books),
        first_books=np.zeros(books),
    )


def build_deal(deal: Mapping[str, Any]) -> Deal:
    """A scenario's ``deal`` as a :class:`~sim.core.state.Deal` record."""
    kinds = tuple(PROMISE_KINDS)
    council: Sequence[Mapping[str, Any]] = deal["council"]
    return Deal(
        kind=np.array([kinds.index(p["promise"]) for p in council], dtype=np.int8),
        level=np.array([float(p["level"]) for p in council]),
        weight=np.array([float(p["weight"]) for p in council]),
        expected_hours=float(deal["citizens"]["expected_hours"]),
    )
