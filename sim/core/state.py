"""The model's state records: struct-of-arrays named tuples, and the named categories.

State is held in named tuples of 1-D numpy arrays (one array per field) so that numba
kernels can update it in place at full speed; the Mesa agents in :mod:`sim.model.agents`
are views of one row each. :mod:`sim.core.world` builds the initial state.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Iterator
from enum import IntEnum
from typing import Any, NamedTuple

import numpy as np

from sim.core.jit import rule
from sim.core.params import PARAMS


class Role(IntEnum):
    """A citizen's volunteering role (MODEL.md, Volunteer), stored in ``Citizens.state``."""

    IDLE = 0
    VOLUNTEER = 1
    RECOVERING = 2  # after a burnout
    GONE = 3  # gone for good from volunteering


class Level(IntEnum):
    """A leadership level (seed 002, chapter 3): the row of its leader in ``World.leaders``."""

    POLITICAL = 0
    STRATEGIC = 1
    TACTICAL = 2
    OPERATIONAL = 3


class Channel(IntEnum):
    """How a volunteer was recruited, stored in ``Citizens.channel``."""

    NONE = 0
    TIE = 1
    ANCHOR = 2
    OUTREACH = 3
    INITIAL = 4  # in a role at the start
    CALL = 5  # a deal's call to every citizen to do their bit


LEADER_LEVELS: tuple[str, ...] = tuple(level.name.lower() for level in Level)
"""Leadership levels (seed 002, chapter 3), in the order of ``World.leaders``' rows."""

STATE_NAMES: tuple[str, ...] = tuple(r.name.lower() for r in Role)
"""The roles as words, in index order."""

CHANNEL_NAMES: tuple[str, ...] = tuple(c.name.lower() for c in Channel)
"""The recruitment channels as words, in index order."""


@rule
def beta_trust(
    a: float | np.ndarray, b: float | np.ndarray, disposition: float | np.ndarray, weight: float
) -> float | np.ndarray:
    """Trust from beta-reputation evidence and a lasting disposition: ``(a + w·d) / (a + b + w)``.

    What ``Citizens.trust`` holds, for good evidence ``a``, bad evidence ``b``, disposition
    ``d`` and its weight ``w``; numbers or arrays alike, with ``a + b + w`` above zero. The
    world's start (:func:`sim.core.world.build_world`) and the trust rule
    (:func:`sim.phases.trust.trust_of`, which also takes an empty total) both use it, so the
    two cannot differ.
    """
    return (a + weight * disposition) / (a + b + weight)


# --------------------------------------------------------------------------- containers


class Citizens(NamedTuple):
    """Per-citizen state (one row per adult citizen)."""

    hood: np.ndarray  # int32, neighbourhood index
    ses: np.ndarray  # socioeconomic resources in [0, 1]
    quintile: np.ndarray  # int8, 0 = lowest resources .. 4 = highest
    free_time: np.ndarray  # h/week a citizen could give
    threshold: np.ndarray  # Granovetter threshold in [0, 1]
    episodic: np.ndarray  # int8, 1 if this citizen volunteers in occasional stints
    susceptibility: np.ndarray  # how easily this citizen tires, a multiplier of mean one
    need0: np.ndarray  # structural need for services in [0, 1]
    need: np.ndarray  # current need in [0, 1]
    trust_a: np.ndarray  # beta-reputation good evidence
    trust_b: np.ndarray  # beta-reputation bad evidence
    disposition: np.ndarray  # lasting disposition to trust the municipality, [0, 1]
    trust: np.ndarray  # (a + w d)/(a + b + w), cached (beta_trust)
    mattering: np.ndarray  # in [0, 1]
    wellbeing: np.ndarray  # in [0, 1]
    state: np.ndarray  # int8, a Role
    arena: np.ndarray  # int32, arena of a volunteer or -1
    channel: np.ndarray  # int8, a Channel: how the current/last role was recruited
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
    unmet: np.ndarray  # share of own service need left unmet this week, in [0, 1]
    harm: np.ndarray  # lasting harm (burnout, gone, closed group, unmet need), >= 0
    heard: np.ndarray  # int32, last step the citizen spoke up and was answered (-1 never)
    ignored: np.ndarray  # int32, last step the citizen spoke up and heard nothing back (-1 never)
    last_part: np.ndarray  # int32, last step the citizen took part (-1 never)
    last_occasion: np.ndarray  # int32, last step with a volunteering occasion (-1 never)


class Professionals(NamedTuple):
    """Per-professional state (frontline public employees)."""

    hood: np.ndarray  # int32
    sector: np.ndarray  # int8, index into params.SECTORS
    fte: np.ndarray  # contracted hours as a share of a full-time week
    mandate: np.ndarray  # what they may decide, [0, 1]
    competence: np.ndarray  # facilitation competence, [0, 1]
    strain: np.ndarray  # [0, 1]
    core: np.ndarray  # core service hours delivered this week
    facilitation: np.ndarray  # co-creation hours this week
    coordination: np.ndarray  # hours coordinating across silos this week
    support: np.ndarray  # hours of volunteer support this week
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
    effective: np.ndarray  # those hours, less what volunteers' exhaustion takes off them
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
    professionals: np.ndarray  # int64, headcount
    fte: np.ndarray  # professionals' full-time equivalents (their summed ``fte``)
    fund_weight: np.ndarray  # share of the community fund
    fund_pot: np.ndarray  # GBP waiting to open an arena
    demand: np.ndarray  # service hours asked this week
    capacity: np.ndarray  # service hours delivered this week
    unmet: np.ndarray  # service hours asked and not delivered this week
    facilitation: np.ndarray  # professional co-creation hours this week
    quality: np.ndarray  # service quality in [0, 1]
    value: np.ndarray  # arena value this week
    value_q: np.ndarray  # (ward, resource quintile): arena value reaching each quintile
    population_q: np.ndarray  # int64 (ward, resource quintile): residents of each quintile
    volunteer_hours: np.ndarray  # volunteer hours this week
    service_hours: np.ndarray  # those of them given in arenas that co-produce services
    met: np.ndarray  # share of service demand met by professionals and co-production
    withdrawn: np.ndarray  # service hours withdrawn as citizens co-produce
    redirected: np.ndarray  # care hours met by community support a conversation found, not staff
    open_arenas: np.ndarray  # int64
    open_anchors: np.ndarray  # int64
    participants: np.ndarray  # int64, took part this week
    implicit: np.ndarray  # unchosen hours pushed on volunteers this week
    shortfall: np.ndarray  # share of its arenas' need without hands last week, in [0, 1]


class Network(NamedTuple):
    """Undirected social network in compressed sparse row form."""

    ptr: np.ndarray  # int64, length N + 1
    idx: np.ndarray  # int32, neighbours


class Leaders(NamedTuple):
    """The four leaders' state, one row per :class:`Level` (a cell a level does not use is 0)."""

    commitment: np.ndarray  # political: share of the planned co-creation investment kept
    impatience: np.ndarray  # political: weeks without visible return
    pullbacks: np.ndarray  # int64, political: times the investment was halved
    targets_weight: np.ndarray  # tactical: weight of NPM targets in professionals' week
    expectation: np.ndarray  # operational: multiplier of hours expected of volunteers
    support: np.ndarray  # operational: support for volunteers, [0, 1]
    burnouts_seen: np.ndarray  # int64, operational: volunteers' burnouts at the last review
    reviews: np.ndarray  # int64, reviews held so far


class Council(NamedTuple):
    """The council's books and staffing: one value per field (arrays of length one).

    ``books`` holds the weekly spending lines of the current review period, one column per
    week of the period, and ``first_books`` those of the first period, which political
    leaders compare later periods with.
    """

    budget_factor: np.ndarray  # revenue relative to the start
    staffing: np.ndarray  # frontline staffing leaders have sized to demand
    start_demand: np.ndarray  # service hours asked in the week before the first
    income: np.ndarray  # GBP this week
    costs: np.ndarray  # GBP this week
    total_income: np.ndarray  # GBP since the start
    total_costs: np.ndarray  # GBP since the start
    reserves: np.ndarray  # GBP: total income minus total costs
    cost_staff: np.ndarray  # GBP this week
    cost_fund: np.ndarray  # GBP this week
    cost_coordination: np.ndarray  # GBP this week
    cost_support: np.ndarray  # GBP this week
    cost_acute: np.ndarray  # GBP this week
    embedded: np.ndarray  # share of care assessments held as different conversations
    voices_raised: np.ndarray  # participants who spoke up since the last review
    voices_answered: np.ndarray  # of them, those told what came of it
    books: np.ndarray  # (len(COST_LINES), leader_period) GBP per week
    first_books: np.ndarray  # (len(COST_LINES), leader_period) GBP per week


COST_LINES: tuple[str, ...] = (
    "cost_staff",
    "cost_fund",
    "cost_coordination",
    "cost_support",
    "cost_acute",
)
"""The council's spending lines, in the order of the rows of ``Council.books``."""


class Deal(NamedTuple):
    """A two-sided Wigan-style deal (a scenario's ``deal``), in a form kernels can take."""

    kind: np.ndarray  # int8, each council promise's index into params.PROMISE_KINDS
    level: np.ndarray  # each promise's promised level
    weight: np.ndarray  # each promise's weight
    expected_hours: float  # the citizens' part: hours a week asked of every citizen


ParamTuple = namedtuple("ParamTuple", [p.name for p in PARAMS])
"""All parameter values as floats, in a form numba kernels can take."""


class Policy(NamedTuple):
    """What leaders currently put into effect; reset at each leadership review."""

    rules_weight: float
    targets_weight: float
    facilitation_share: float  # share of staff hours leaders ask for co-creation
    withdrawn_facilitation: float  # share of staff hours for co-creation leaders pulled back
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
    leaders: Leaders
    council: Council


# ---------------------------------------------------------------------- rows as agents


class Row:
    """One agent seen as a row of a struct-of-arrays record.

    Reading ``row.trust`` reads ``record.trust[row.row]`` as a Python number, and
    assigning to it writes the array. The reference engine's twins walk the agents with
    these views, so that they read as agent-by-agent code over the same arrays the
    kernels update.
    """

    __slots__ = ("_cells", "row")

    def __init__(self, cells: Any, row: int) -> None:
        object.__setattr__(self, "_cells", cells)
        object.__setattr__(self, "row", row)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.row})"


def _cell(field: str) -> property:
    def get(self: Row) -> Any:
        return getattr(self._cells, field).item(self.row)

    def put(self: Row, value: Any) -> None:
        getattr(self._cells, field)[self.row] = value

    return property(get, put)


@functools.cache
def row_class(record: type) -> type[Row]:
    """The :class:`Row` class of a record type: one property per field."""
    fields = {name: _cell(name) for name in record._fields}
    return type(f"{record.__name__}Row", (Row,), {"__slots__": (), **fields})


def rows(record: Any) -> Iterator[Any]:
    """Every row of a struct-of-arrays record as a :class:`Row`, in order."""
    view = row_class(type(record))
    for i in range(len(record[0])):
        yield view(record, i)
