"""The co-creation model: a Mesa model over a numba core.

>>> from sim import CoCreationModel
>>> model = CoCreationModel.from_scenario("scenarios/wigan_deal.yaml", rng=42)
>>> model.run_for(52)                      # one step is one week
>>> df = model.datacollector.get_model_vars_dataframe()

The weekly step runs the schedule of :mod:`sim.phases`, one phase per mechanism, then
collects the reporters (:mod:`sim.model.reporters`). State lives in numpy arrays
(:mod:`sim.core.state`); citizens, professionals and leaders are Mesa agents that view their
rows (:mod:`sim.model.agents`).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import pandas as pd

from sim import phases
from sim.core.params import (
    DEFAULT_ENGINE,
    ENGINES,
    MECHANISM_NAMES,
    PARAMS,
    QUINTILES,
    SECTIONS,
)
from sim.core.state import COST_LINES, LEADER_LEVELS, Level, ParamTuple, Role, Switches
from sim.core.world import build_deal, build_world
from sim.model import reporters
from sim.model.agents import Arena, Citizen, Leader, Neighbourhood, Professional
from sim.phases.leadership import compose_policy

if TYPE_CHECKING:
    from sim.core.scenario import Scenario


def _metric(model: CoCreationModel, name: str) -> Any:
    return model.metrics[name]


class CoCreationModel(mesa.Model):
    """A municipality run in silico under one co-creation strategy.

    Args:
        scenario: a resolved :class:`sim.core.scenario.Scenario`; the defaults if None.
        rng: seed (int) for all random draws. Same seed, same result, bit for bit.
        engine: ``"numba"`` (fast) or ``"reference"`` (plain Python, agent by agent).

    Attributes:
        config: the scenario this model runs.
        world: the state arrays (:class:`sim.core.state.World`).
        params: every parameter value, by name (a named tuple).
        policy: what leaders currently put into effect (:class:`sim.core.state.Policy`).
        tallies: what each phase counted in the last week (:class:`sim.phases.Tallies`).
        ledger: the municipal accounts.
        datacollector: one row per step with the reporters of
            :data:`sim.model.reporters.REPORTERS`.
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        rng: int | np.integer | None = None,
        engine: str = DEFAULT_ENGINE,
    ) -> None:
        super().__init__(rng=rng)
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
        if scenario is None:
            from sim.core.scenario import default_scenario

            scenario = default_scenario()
        self.config = scenario
        self.engine = engine
        if isinstance(rng, (int, np.integer)):
            self.seed = int(rng)
        else:
            self.seed = int(self.rng.integers(0, 2**62))
        if self.seed < 0:
            raise ValueError(f"rng seed must be a non-negative integer, not {self.seed}")

        values: dict[str, Any] = {}
        for section in SECTIONS:
            values.update(getattr(scenario, section))
        self.values = values
        self.params = ParamTuple(*(float(values[p.name]) for p in PARAMS))
        self.switches = Switches(*(bool(scenario.mechanisms[m]) for m in MECHANISM_NAMES))
        self.deal = build_deal(scenario.deal)

        self.world = build_world(values, self.seed)
        c = self.world.citizens
        self.n_citizens = len(c.ses)
        self.quintile_sizes = np.bincount(c.quintile, minlength=QUINTILES).astype(float)

        self.citizen_list = [Citizen(self, i) for i in range(self.n_citizens)]
        self.professional_list = [
            Professional(self, k) for k in range(len(self.world.professionals.hood))
        ]
        self.leaders = {level: Leader(self, level) for level in LEADER_LEVELS}
        self.neighbourhoods = [
            Neighbourhood(self, h) for h in range(len(self.world.hoods.population))
        ]
        self.arenas = [Arena(self, a) for a in range(len(self.world.arenas.hood))]

        self.week = 0  # weeks simulated; our own counter, as Mesa 4 drops ``model.steps``
        self.policy = compose_policy(self.world, self.params)
        self.tallies: phases.Tallies | None = None  # what the phases counted last week
        self.promise_log: list[dict[str, Any]] = []
        self.metrics: dict[str, Any] = {}
        self._bound: tuple[Any, Any, list[Any]] | None = None
        self._hood_rows: list[np.ndarray] = []
        self._quintile_rows: list[np.ndarray] = []
        self.datacollector = mesa.DataCollector(
            model_reporters={
                name: functools.partial(_metric, name=name) for name in reporters.REPORTERS
            }
        )

    @classmethod
    def from_scenario(
        cls, path: str | os.PathLike[str], *, rng: int | None = None, engine: str = DEFAULT_ENGINE
    ) -> CoCreationModel:
        """Load a scenario file (or bundled name) and build the model."""
        from sim.core.scenario import load_scenario

        return cls(load_scenario(path), rng=rng, engine=engine)

    # ------------------------------------------------------------------------- step
    def step(self) -> None:
        """Advance one week: the schedule's phases in order, then collect data."""
        self.week += 1
        ctx = phases.Context(
            seed=self.seed,
            step=self.week,
            switches=self.switches,
            deal=self.deal,
            before=phases.snapshot(self.world),
        )
        tallies = phases.run_week(self._functions(ctx), self.world, self.params, self.policy, ctx)
        self.tallies = tallies
        self.policy = tallies.leadership.policy
        self.promise_log.extend(
            {"step": self.week, "promise": kind, "kept": kept}
            for kind, kept in tallies.leadership.promises
        )
        hood, quint = reporters.group_rows(self.world, self.quintile_sizes, self.week)
        self.metrics = reporters.compute(
            self.world, self.params, self.policy, tallies, quint, self.quintile_sizes, self.week
        )
        self._hood_rows.append(hood)
        self._quintile_rows.append(quint)
        self.datacollector.collect(self)

    def _functions(self, ctx: phases.Context) -> list[Any]:
        """The schedule bound to this model's engine and argument types.

        See :func:`sim.phases.bind`; bound again if ``params`` or ``switches`` are replaced.
        """
        bound = self._bound
        if bound is None or bound[0] is not self.params or bound[1] is not self.switches:
            args = (self.world, self.params, self.policy, ctx)
            bound = (self.params, self.switches, phases.bind(self.engine, args))
            self._bound = bound
        return bound[2]

    # ---------------------------------------------------------------------- council
    @property
    def ledger(self) -> dict[str, float]:
        """The council's accounts this week and since the start, in GBP."""
        council = self.world.council
        names = ("income", "costs", "total_income", "total_costs", "reserves", *COST_LINES)
        return {name: float(getattr(council, name)[0]) for name in names}

    @property
    def budget_factor(self) -> float:
        """Revenue relative to the start."""
        return float(self.world.council.budget_factor[0])

    @property
    def initial_demand(self) -> float:
        """Service hours asked in the week before the first."""
        return float(self.world.council.start_demand[0])

    @property
    def pullbacks(self) -> int:
        """Times political leaders have halved the co-creation investment so far."""
        return int(self.world.leaders.pullbacks[Level.POLITICAL])

    # ------------------------------------------------------------------- agent sets
    @property
    def citizens(self) -> mesa.agent.AgentSet:
        """All citizens as an AgentSet."""
        return self.agents_by_type[Citizen]

    @property
    def professionals(self) -> mesa.agent.AgentSet:
        """All professionals as an AgentSet."""
        return self.agents_by_type[Professional]

    @property
    def volunteers(self) -> mesa.agent.AgentSet:
        """The citizens currently in an active volunteering role, as an AgentSet."""
        rows = np.flatnonzero(self.world.citizens.state == Role.VOLUNTEER)
        return mesa.agent.AgentSet([self.citizen_list[i] for i in rows], random=self.random)

    @property
    def champions(self) -> mesa.agent.AgentSet:
        """Volunteers carrying a champion's load this week, as an AgentSet."""
        c = self.world.citizens
        rows = np.flatnonzero((c.state == Role.VOLUNTEER) & (c.hours >= self.params.champion_hours))
        return mesa.agent.AgentSet([self.citizen_list[i] for i in rows], random=self.random)

    # ----------------------------------------------------------------------- tables
    def _table(self, rows: list[np.ndarray], columns: tuple[str, ...], key: str) -> pd.DataFrame:
        if not rows:
            return pd.DataFrame(columns=["step", key, *columns])
        stacked = np.stack(rows)  # (steps, groups, columns)
        steps, groups, _ = stacked.shape
        frame = pd.DataFrame(stacked.reshape(steps * groups, -1), columns=list(columns))
        frame.insert(0, key, np.tile(np.arange(groups), steps))
        frame.insert(0, "step", np.repeat(np.arange(1, steps + 1), groups))
        return frame

    def neighbourhood_table(self) -> pd.DataFrame:
        """Per-neighbourhood breakdown, one row per (step, neighbourhood)."""
        return self._table(self._hood_rows, reporters.HOOD_COLUMNS, "neighbourhood")

    def quintile_table(self) -> pd.DataFrame:
        """Per-quintile breakdown (0 = lowest resources), one row per (step, quintile)."""
        return self._table(self._quintile_rows, reporters.QUINTILE_COLUMNS, "quintile")

    def promise_table(self) -> pd.DataFrame:
        """The deal's promises at each review: kept or broken."""
        return pd.DataFrame(self.promise_log, columns=["step", "promise", "kept"])

    def social_network(self) -> Any:
        """The social network as a networkx Graph (built on demand)."""
        import networkx as nx

        net = self.world.network
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n_citizens))
        src = np.repeat(np.arange(self.n_citizens), np.diff(net.ptr))
        graph.add_edges_from(zip(src.tolist(), net.idx.tolist(), strict=True))
        return graph
