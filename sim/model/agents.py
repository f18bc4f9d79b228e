"""Mesa agents: each one is the readable face of one row of the state arrays.

State lives in the struct-of-arrays of :mod:`sim.core.state`, which the numba kernels
update in place. An agent holds only its row number; reading ``citizen.trust`` reads
the array, and assigning to it writes the array. So agents can be inspected, selected,
grouped and plotted with Mesa's usual tools (``AgentSet.select``, ``agg``,
``groupby``, ``DataCollector``) while the hot loop stays in numba.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import mesa

from sim.core.params import ARENA_KINDS, HOURS_PER_WEEK, SECTORS
from sim.core.state import CHANNEL_NAMES, LEADER_LEVELS, STATE_NAMES, Role

if TYPE_CHECKING:
    from sim.model import CoCreationModel


def _view(field: str, doc: str, cast: type = float) -> property:
    """A property reading and writing ``self._rows.<field>[self.row]``."""

    def get(self: Any) -> Any:
        return cast(getattr(self._rows, field)[self.row])

    def put(self: Any, value: Any) -> None:
        getattr(self._rows, field)[self.row] = value

    return property(get, put, doc=doc)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a bulk allocation, back as it was after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class Citizen(mesa.Agent):
    """An adult citizen, and a volunteer while in a volunteering role.

    The role changes over the run: idle, volunteer, recovering after a burnout, or gone
    for good from volunteering (:data:`sim.STATE_NAMES`).
    """

    def __init__(self, model: CoCreationModel, row: int) -> None:
        super().__init__(model)
        self.row = row
        self._rows = model.world.citizens

    @classmethod
    def for_rows(cls, model: CoCreationModel, count: int) -> list[Citizen]:
        """Citizens of rows ``0 .. count - 1``, as ``[Citizen(model, i) for i in range(count)]``.

        The same agents, registered with the model in the same order with the same ids,
        made in bulk. Mesa registers an agent one at a time (a signal, a debug log line,
        two set insertions), which took about 2 s of building a Wigan-sized borough of
        330,000 citizens; here it takes 0.4-0.8 s. The first citizen is made as
        usual; the others copy its attributes with their own row and id, and join the
        model's two agent sets (every agent, and its citizens) in one update each.

        No ``agents`` signal is lost: this runs while the model is being built, before
        anything can subscribe to it. Where Mesa's registry is not the one this was
        written against (Mesa 3.5's ``_all_agents`` and ``_agents_by_type``), or a data
        registry tracks citizens, every citizen is made the usual way instead.
        ``tests/test_agents.py`` checks both ways give the same agents.
        """
        if count == 0:
            return []
        first = cls(model, 0)
        everyone = getattr(model, "_all_agents", None)
        by_type = getattr(model, "_agents_by_type", {}).get(cls)
        if (
            cls._datasets
            or not isinstance(getattr(everyone, "_agents", None), dict)
            or not isinstance(getattr(by_type, "_agents", None), dict)
            or model.agent_id_counter != first.unique_id + 1
        ):
            return [first, *(cls(model, row) for row in range(1, count))]
        template = first.__dict__
        new = object.__new__
        citizens = [first]
        with _gc_paused():  # collections while 330,000 objects are made: 0.3 s wasted
            for row in range(1, count):
                citizen = new(cls)
                citizen.__dict__.update(template, row=row, unique_id=first.unique_id + row)
                citizens.append(citizen)
            rest = dict.fromkeys(citizens[1:])
            everyone._agents.update(rest)
            by_type._agents.update(rest)
        model.agent_id_counter = first.unique_id + count
        return citizens

    hood = _view("hood", "neighbourhood index", int)
    ses = _view("ses", "socioeconomic resources in [0, 1]")
    quintile = _view("quintile", "resource quintile, 0 lowest to 4 highest", int)
    free_time = _view("free_time", "hours a week this citizen could give")
    threshold = _view("threshold", "Granovetter participation threshold")
    episodic = _view("episodic", "1 if this citizen volunteers in occasional stints", int)
    susceptibility = _view("susceptibility", "how easily this citizen tires in a role (mean one)")
    need = _view("need", "need for services in [0, 1]")
    need0 = _view("need0", "structural need for services in [0, 1]")
    trust_a = _view("trust_a", "good evidence about the municipality")
    trust_b = _view("trust_b", "bad evidence about the municipality")
    trust = _view("trust", "trust in the municipality in [0, 1]")
    mattering = _view("mattering", "feeling valued and adding value, [0, 1]")
    wellbeing = _view("wellbeing", "wellbeing in [0, 1]")
    state = _view("state", "role: 0 idle, 1 volunteer, 2 recovering, 3 gone", int)
    arena = _view("arena", "arena of a volunteer, -1 if none", int)
    channel = _view("channel", "how the current or last role was recruited", int)
    joined = _view("joined", "step the current role started, -1 if none", int)
    commitment = _view("commitment", "engagement in the volunteering role, [0, 1]")
    load = _view("load", "hours a week asked of this volunteer")
    hours = _view("hours", "hours given this week")
    hours_given = _view("hours_total", "hours given since the start")
    hours_recent = _view("hours_recent", "hours given, weighted towards the last year")
    exhaustion = _view("exhaustion", "emotional exhaustion in [0, 1]")
    cynicism = _view("cynicism", "cynicism (depersonalisation) in [0, 1]")
    burnouts = _view("burnouts", "burnouts so far", int)
    part = _view("part", "1 if this citizen took part this week", int)
    asked = _view("asked", "1 if council outreach asked this citizen this week", int)

    @property
    def role(self) -> str:
        """The volunteering role as a word."""
        return STATE_NAMES[self.state]

    @property
    def is_volunteer(self) -> bool:
        """True while in an active volunteering role."""
        return self.state == Role.VOLUNTEER

    @property
    def recruited_by(self) -> str:
        """How the current or last role was recruited."""
        return CHANNEL_NAMES[self.channel]

    @property
    def is_champion(self) -> bool:
        """A volunteer carrying a champion's load (an *ildsjel*)."""
        return self.is_volunteer and self.hours >= self.model.params.champion_hours

    @property
    def ties(self) -> list[Citizen]:
        """The citizens this one has social ties with."""
        net = self.model.world.network
        citizens = self.model.citizen_list
        return [citizens[j] for j in net.idx[net.ptr[self.row] : net.ptr[self.row + 1]]]


class Professional(mesa.Agent):
    """A frontline public employee in one sector and neighbourhood."""

    def __init__(self, model: CoCreationModel, row: int) -> None:
        super().__init__(model)
        self.row = row
        self._rows = model.world.professionals

    hood = _view("hood", "neighbourhood index", int)
    mandate = _view("mandate", "what this professional may decide, [0, 1]")
    competence = _view("competence", "facilitation competence, [0, 1]")
    fte = _view("fte", "contracted hours as a share of a full-time week")
    strain = _view("strain", "strain in [0, 1]")
    core_hours = _view("core", "core service hours delivered this week")
    facilitation_hours = _view("facilitation", "co-creation hours this week")
    overload = _view("overload", "demand over effective hours, minus one")

    @property
    def sector(self) -> str:
        """Sector name."""
        return SECTORS[int(self._rows.sector[self.row])]

    @property
    def cocreation_share(self) -> float:
        """Share of contracted hours (after budget cuts) spent facilitating co-creation."""
        return self.facilitation_hours / (
            HOURS_PER_WEEK * self.model.policy.staff_factor * self._rows.fte[self.row]
        )


class Leader(mesa.Agent):
    """A leader at one of four levels, acting on a slower clock (seed 002, ch. 3).

    Political leaders hold patience and decide to pull back; strategic leaders target
    the community fund and size staffing to demand; tactical leaders ease targets when
    staff are strained; operational leaders set volunteer support and expectations. What
    each does at a review is in :mod:`sim.phases.leadership`; the state is the leader's
    row of ``world.leaders`` (a cell its level does not use is 0).
    """

    def __init__(self, model: CoCreationModel, level: str) -> None:
        super().__init__(model)
        if level not in LEADER_LEVELS:
            raise ValueError(f"unknown leader level {level!r}; allowed: {LEADER_LEVELS}")
        self.level = level
        self.row = LEADER_LEVELS.index(level)
        self._rows = model.world.leaders

    commitment = _view("commitment", "political: share of the co-creation investment kept")
    impatience = _view("impatience", "political: weeks without visible return")
    pullbacks = _view("pullbacks", "political: times the investment was halved", int)
    targets_weight = _view("targets_weight", "tactical: weight of NPM targets")
    expectation = _view("expectation", "operational: multiplier of hours expected")
    support = _view("support", "operational: support for volunteers in effect")
    reviews = _view("reviews", "reviews held so far", int)


class _RowView:
    """A read-only view of one row of a group of state arrays (not a scheduled agent)."""

    __slots__ = ("model", "row")
    _group = ""  # name of the group in sim.core.state.World

    def __init__(self, model: CoCreationModel, row: int) -> None:
        self.model = model
        self.row = row

    def __getattr__(self, name: str) -> Any:
        rows = getattr(object.__getattribute__(self, "model").world, self._group)
        return getattr(rows, name)[object.__getattribute__(self, "row")].item()


class Arena(_RowView):
    """A co-creation arena (a read-only view of one row of the arena arrays)."""

    __slots__ = ()
    _group = "arenas"

    @property
    def kind_name(self) -> str:
        """Kind of arena."""
        return ARENA_KINDS[self.kind]

    def __repr__(self) -> str:
        return f"Arena({self.row}, hood={self.hood}, open={bool(self.open)})"


class Neighbourhood(_RowView):
    """A ward (a read-only view of one row of the neighbourhood arrays)."""

    __slots__ = ()
    _group = "hoods"

    def __repr__(self) -> str:
        return f"Neighbourhood({self.row}, deprivation={self.deprivation:.2f})"
