"""Model state as struct-of-arrays, and how the initial municipality is built.

State is held in named tuples of 1-D numpy arrays (one array per field) so that numba
kernels can update it in place at full speed; the Mesa agents in :mod:`sim.agents` are
views of one row each. Building the population is vectorised numpy, shared by both
engines, and keyed by (seed, purpose) so that scenarios with the same municipality and
seed get the same population (common random numbers).
"""

from __future__ import annotations

from collections import namedtuple
from typing import NamedTuple

import numpy as np

from sim import rules
from sim.params import PARAMS, SECTORS
from sim.rng import stream_seed

# --------------------------------------------------------------------------- containers


class Citizens(NamedTuple):
    """Per-citizen state (one row per adult citizen)."""

    hood: np.ndarray  # int32, neighbourhood index
    ses: np.ndarray  # socioeconomic resources in [0, 1]
    quintile: np.ndarray  # int8, 0 = lowest resources .. 4 = highest
    free_time: np.ndarray  # h/week a citizen could give
    threshold: np.ndarray  # Granovetter threshold in [0, 1]
    episodic: np.ndarray  # int8, 1 if this citizen volunteers in occasional stints
    need0: np.ndarray  # structural need for services in [0, 1]
    need: np.ndarray  # current need in [0, 1]
    trust_a: np.ndarray  # beta-reputation good evidence
    trust_b: np.ndarray  # beta-reputation bad evidence
    trust: np.ndarray  # (a+1)/(a+b+2), cached
    mattering: np.ndarray  # in [0, 1]
    wellbeing: np.ndarray  # in [0, 1]
    state: np.ndarray  # int8, rules.IDLE/VOLUNTEER/RECOVERING/GONE
    arena: np.ndarray  # int32, arena of a volunteer or -1
    channel: np.ndarray  # int8, how the current/last role was recruited
    joined: np.ndarray  # int32, step the current role started (-1 none)
    commitment: np.ndarray  # in [0, 1], engagement in the role
    load: np.ndarray  # h/week asked of a volunteer this week
    hours: np.ndarray  # h given this week
    hours_total: np.ndarray  # h given since the start
    hours_recent: np.ndarray  # exponentially weighted hours, ~1 year memory
    exhaustion: np.ndarray  # in [0, 1]
    cynicism: np.ndarray  # in [0, 1]
    burnouts: np.ndarray  # int32, burnouts so far
    part: np.ndarray  # int8, took part this week
    asked: np.ndarray  # int8, asked by council outreach this week


class Professionals(NamedTuple):
    """Per-professional state (frontline public employees)."""

    hood: np.ndarray  # int32
    sector: np.ndarray  # int8, index into params.SECTORS
    mandate: np.ndarray  # what they may decide, [0, 1]
    competence: np.ndarray  # facilitation competence, [0, 1]
    strain: np.ndarray  # [0, 1]
    core: np.ndarray  # core service hours delivered this week
    facilitation: np.ndarray  # co-creation hours this week
    overload: np.ndarray  # demand over effective hours minus one, >= 0


class Arenas(NamedTuple):
    """Per-arena state (co-creation activities, including closed slots)."""

    hood: np.ndarray  # int32
    kind: np.ndarray  # int8, index into params.ARENA_KINDS
    anchor: np.ndarray  # int8, hosted by an anchor institution
    open: np.ndarray  # int8
    demand: np.ndarray  # volunteer hours/week the arena needs
    load: np.ndarray  # hours/week it needs this week, after support and implicit demands
    received: np.ndarray  # volunteer hours received this week
    facilitation: np.ndarray  # professional hours this week
    value: np.ndarray  # public value produced this week
    starve: np.ndarray  # int32, consecutive starved weeks
    funded: np.ndarray  # int8, kept open by a yearly grant from the community fund
    gap: np.ndarray  # hours it has no hands for (last week's, less recruits since)
    weight: np.ndarray  # sum of volunteers' load weights this week
    volunteers: np.ndarray  # int32, volunteers this week


class Hoods(NamedTuple):
    """Per-neighbourhood state and weekly aggregates."""

    deprivation: np.ndarray  # [0, 1]
    population: np.ndarray  # int64
    first_citizen: np.ndarray  # int64, citizens are stored sorted by neighbourhood
    first_arena: np.ndarray  # int64, arenas sorted by neighbourhood
    n_arenas: np.ndarray  # int64, arena slots (open or closed)
    start_arenas: np.ndarray  # int64, arenas open at the start
    professionals: np.ndarray  # int64
    fund_weight: np.ndarray  # share of the community fund
    fund_pot: np.ndarray  # GBP waiting to open an arena
    demand: np.ndarray  # service hours asked this week
    capacity: np.ndarray  # service hours delivered this week
    facilitation: np.ndarray  # professional co-creation hours this week
    quality: np.ndarray  # service quality in [0, 1]
    value: np.ndarray  # arena value this week
    volunteer_hours: np.ndarray  # volunteer hours this week
    withdrawn: np.ndarray  # service hours withdrawn as citizens co-produce
    open_arenas: np.ndarray  # int64
    open_anchors: np.ndarray  # int64
    participants: np.ndarray  # int64, took part this week
    implicit: np.ndarray  # unchosen hours pushed on volunteers this week
    shortfall: np.ndarray  # share of its arenas' need without hands last week, in [0, 1]


class Network(NamedTuple):
    """Undirected social network in compressed sparse row form."""

    ptr: np.ndarray  # int64, length N + 1
    idx: np.ndarray  # int32, neighbours


ParamTuple = namedtuple("ParamTuple", [p.name for p in PARAMS])
"""All parameter values as floats, in a form numba kernels can take."""


class Policy(NamedTuple):
    """What leaders currently put into effect; reset at each leadership review."""

    rules_weight: float
    targets_weight: float
    facilitation_share: float
    fund_rate: float  # GBP per citizen per year
    outreach: float
    outreach_targeting: float
    anchor_use: float
    support: float
    expectation: float
    responsiveness: float
    recognition: float
    budget_factor: float  # revenue relative to the start
    staff_factor: float  # professionals' paid hours relative to the start
    promise_good: float  # weight of promises seen kept this week
    promise_bad: float  # weight of promises seen broken this week


class Switches(NamedTuple):
    """Which mechanisms are on."""

    participation: bool
    recruitment: bool
    workload: bool
    burnout: bool
    trust: bool
    cross_pressure: bool
    leadership: bool
    public_value: bool
    accounting: bool


class World(NamedTuple):
    """Everything the weekly step reads and writes."""

    citizens: Citizens
    professionals: Professionals
    arenas: Arenas
    hoods: Hoods
    network: Network


# ------------------------------------------------------------------------------ set-up

_PURPOSE_HOODS = 1
_PURPOSE_PEOPLE = 2
_PURPOSE_NETWORK = 3
_PURPOSE_STAFF = 5
_PURPOSE_VOLUNTEERS = 6
_PURPOSE_EPISODIC = 7
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
    deprivation = (np.linspace(0.0, 1.0, n_hoods) if n_hoods > 1 else np.array([0.5]))[
        g.permutation(n_hoods)
    ]
    pop = _allocate(n, np.clip(1.0 + 0.3 * g.standard_normal(n_hoods), 0.3, None), 1)
    first = np.concatenate([[0], np.cumsum(pop)[:-1]]).astype(np.int64)
    hood = np.repeat(np.arange(n_hoods, dtype=np.int32), pop)

    # Citizens: resources shaped by ward deprivation (segregation), time, need, trust.
    g = stream_seed(seed, _PURPOSE_PEOPLE)
    z = g.standard_normal((7, n))
    ses = np.clip(
        0.5
        + values["segregation"] * 0.25 * (1.0 - 2.0 * deprivation[hood])
        + values["ses_spread"] * z[0],
        0.01,
        0.99,
    )
    rank = np.argsort(np.argsort(ses, kind="stable"), kind="stable")
    quintile = (rank * 5 // n).astype(np.int8)
    free_time = np.maximum(
        0.1,
        values["free_time_mean"]
        * np.exp(0.4 * z[1] - 0.08)
        * np.clip(1.0 + values["time_ses_gradient"] * (ses - 0.5), 0.1, None),
    )
    need0 = np.clip(0.4 + 0.6 * values["need_ses_gradient"] * (0.5 - ses) + 0.1 * z[2], 0.02, 1.0)
    trust0 = np.clip(
        values["initial_trust"]
        + values["trust_ses_gradient"] * (ses - 0.5)
        + values["trust_spread"] * z[3],
        0.05,
        0.95,
    )
    prior = values["trust_prior_weight"]
    trust_a = np.clip(trust0 * (prior + 2.0) - 1.0, 0.0, prior)
    trust_b = prior - trust_a
    mattering = np.clip(0.4 + 0.2 * (ses - 0.5) + 0.1 * z[4], 0.0, 1.0)
    wellbeing = np.clip(0.5 + 0.3 * (ses - 0.5) + 0.1 * z[5], 0.0, 1.0)
    threshold = np.clip(values["threshold_mean"] + values["threshold_spread"] * z[6], 0.0, 1.0)

    # A separate stream, so that the share of episodic volunteers moves no other draw.
    episodic = (stream_seed(seed, _PURPOSE_EPISODIC).random(n) < values["episodic_share"]).astype(
        np.int8
    )

    network = build_network(hood, ses, first, pop, values, seed)
    arenas, first_arena, n_arena = build_arenas(pop, deprivation, values, seed)
    need_by_hood = np.bincount(hood, need0, n_hoods)
    professionals, n_prof = build_professionals(pop, need_by_hood, values, seed)

    # Initial volunteers: drawn with weight on resources and time (civic core).
    g = stream_seed(seed, _PURPOSE_VOLUNTEERS)
    n_vol = round(values["initial_volunteer_share"] * n)
    state = np.full(n, rules.IDLE, dtype=np.int8)
    arena = np.full(n, -1, dtype=np.int32)
    channel = np.zeros(n, dtype=np.int8)
    joined = np.full(n, -1, dtype=np.int32)
    commitment = np.zeros(n)
    if n_vol > 0:
        w = np.exp(3.0 * (ses - 0.5)) * free_time
        chosen = np.sort(g.choice(n, size=n_vol, replace=False, p=w / w.sum()))
        state[chosen] = rules.VOLUNTEER
        channel[chosen] = rules.INITIAL
        joined[chosen] = 0
        commitment[chosen] = g.uniform(0.05, 0.6, n_vol)
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
        need0=need0,
        need=need0.copy(),
        trust_a=trust_a,
        trust_b=trust_b,
        trust=(trust_a + 1.0) / (trust_a + trust_b + 2.0),
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
        part=(state == rules.VOLUNTEER).astype(np.int8),
        asked=np.zeros(n, dtype=np.int8),
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
        fund_weight=fund_shares(pop, deprivation, values["fund_targeting"]),
        fund_pot=zeros.copy(),
        demand=np.bincount(hood, need0, n_hoods) * values["service_hours_per_need"],
        capacity=zeros.copy(),
        facilitation=zeros.copy(),
        quality=np.ones(n_hoods),
        value=zeros.copy(),
        volunteer_hours=zeros.copy(),
        withdrawn=zeros.copy(),
        open_arenas=np.zeros(n_hoods, dtype=np.int64),
        open_anchors=np.zeros(n_hoods, dtype=np.int64),
        participants=np.zeros(n_hoods, dtype=np.int64),
        implicit=zeros.copy(),
        shortfall=np.full(n_hoods, 0.5),
    )
    return World(citizens, professionals, arenas, hoods, network)


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
    offset = g.integers(1, 21, m) * np.where(g.random(m) < 0.5, -1, 1)
    near = np.clip(pos[src] + offset, first[h], first[h] + pop[h] - 1)
    anyone_here = first[h] + (g.random(m) * pop[h]).astype(np.int64)
    anyone = g.integers(0, n, m)
    dst = np.where(local, np.where(similar, order[near], order[anyone_here]), anyone)
    keep = src != dst
    a = np.concatenate([src[keep], dst[keep]])
    b = np.concatenate([dst[keep], src[keep]])
    key = np.unique(a.astype(np.int64) * n + b)
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
    applied = pop * (1.1 - deprivation)
    need = pop * (deprivation + 0.1)
    return (1.0 - targeting) * applied / applied.sum() + targeting * need / need.sum()


def build_arenas(
    pop: np.ndarray, deprivation: np.ndarray, values: dict[str, float], seed: int
) -> tuple[Arenas, np.ndarray, np.ndarray]:
    """Arenas per neighbourhood: open at the start, plus closed slots the fund can open.

    The slots follow the fund's split (:func:`fund_shares`): more in the
    better-resourced neighbourhoods without targeting, more in deprived ones with it,
    so that a targeted fund sets up new groups where need is (proportionate
    universalism, Marmot Review 2010).
    Each neighbourhood draws its arenas' kind, anchor and demand from a stream of its
    own, slot by slot, so the arenas open at the start are the same whatever the number
    of slots: strategies run on the same seed start from the same arenas.
    """
    per = np.maximum(1, np.round(pop / values["citizens_per_arena"])).astype(np.int64)
    # The fund's share over the per-capita share.
    tilt = fund_shares(pop, deprivation, values["fund_targeting"]) / (pop / pop.sum())
    slots = per + np.ceil(values["fund_arena_share"] * per * tilt).astype(np.int64)
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
    kind = np.where(anchor == 1, 0, 1 + np.minimum(2, (3.0 * u[:, 1]).astype(np.int64)))
    kind = kind.astype(np.int8)
    demand = values["arena_demand_hours"] * (0.75 + 0.5 * u[:, 2])
    z = np.zeros(total)
    arenas = Arenas(
        hood=hood,
        kind=kind,
        anchor=anchor,
        open=is_open,
        demand=demand,
        load=z.copy(),
        received=z.copy(),
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
    not tip the most deprived one into overload by itself.
    """
    g = stream_seed(seed, _PURPOSE_STAFF)
    total = max(len(pop), round(pop.sum() * values["professionals_per_1000"] / 1000.0))
    per = _allocate(total, need.astype(float), 1)
    hood = np.repeat(np.arange(len(pop), dtype=np.int32), per)
    sector = (np.arange(total) % len(SECTORS)).astype(np.int8)
    mandate = np.clip(values["frontline_mandate"] + 0.1 * g.standard_normal(total), 0.0, 1.0)
    competence = g.uniform(0.4, 0.9, total)
    z = np.zeros(total)
    staff = Professionals(
        hood=hood,
        sector=sector,
        mandate=mandate,
        competence=competence,
        strain=z.copy(),
        core=z.copy(),
        facilitation=z.copy(),
        overload=z.copy(),
    )
    return staff, per
