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
from sim.core.rng import check_seed
from sim.core.state import COST_LINES, LEADER_LEVELS, Level, ParamTuple, Role, Switches
from sim.core.world import build_deal, build_world
from sim.model import reporters
from sim.model.agents import Arena, Citizen, Leader, Neighbourhood, Professional
from sim.model.census import take_census
from sim.phases.leadership import compose_policy

if TYPE_CHECKING:
    from sim.core.scenario import Scenario


def _metric(model: CoCreationModel, name: str) -> Any:
    return model.metrics[name]


def _week_table(model: CoCreationModel, which: str) -> pd.DataFrame:
    """This week's rows of a group table, for a DataCollector column (``group_tables``)."""
    if which == "neighbourhoods":
        rows, columns, key = model._hood_rows[-1:], reporters.HOOD_COLUMNS, "neighbourhood"
    else:
        rows, columns, key = model._quintile_rows[-1:], reporters.QUINTILE_COLUMNS, "quintile"
    table = model._table(rows, columns, key)
    table["step"] = model.week
    return table


def _resolve(
    scenario: Scenario | str | os.PathLike[str] | None,
    years: int | None,
    overrides: dict[str, Any],
) -> Scenario:
    """The scenario a model runs: loaded by name or path, overrides and years applied."""
    from sim.core.scenario import Scenario, default_scenario, load_scenario

    if scenario is None:
        spec = default_scenario()
    elif isinstance(scenario, Scenario):
        spec = scenario
    else:
        spec = load_scenario(scenario)
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if key == "mechanisms" and isinstance(value, dict):
            changes.update({f"mechanisms.{name}": on for name, on in value.items()})
        else:
            changes[key] = value
    if years is not None:
        changes["years"] = years
    return spec.with_overrides(changes) if changes else spec


class CoCreationModel(mesa.Model):
    """A municipality run in silico under one co-creation strategy.

    Built the way Mesa users build a model, so that ``mesa.batch_run`` drives it unchanged::

        CoCreationModel("wigan_deal", rng=1, years=2, citizens=2_000, outreach=0.5)
        mesa.batch_run(CoCreationModel, parameters={"scenario": ["baseline", "npm"],
                       "volunteer_expectation": [1.0, 2.0]}, rng=[0, 1])

    Args:
        scenario: a bundled scenario name (``"baseline"``), a scenario file, or a resolved
            :class:`sim.core.scenario.Scenario`; the defaults if None.
        rng: the seed (a non-negative integer) of every random draw: same seed, same result,
            bit for bit. When None, a seed is drawn and recorded (:attr:`seed`, the
            ``seed`` column of the DataCollector), so that the run can be repeated.
        years: how long the run is; the scenario's own ``years`` if None. The model sets
            ``running = False`` after its last week, so ``run_model()`` and ``batch_run``
            stop by themselves.
        engine: ``"numba"`` (fast) or ``"reference"`` (plain Python, agent by agent).
        group_tables: also collect each week's ``neighbourhoods`` and ``quintiles`` tables
            (:meth:`neighbourhood_table`, :meth:`quintile_table`) as DataFrames in the
            DataCollector, so that they come back through ``mesa.batch_run``.
        **overrides: parameter values by name (``citizens=2_000``, ``outreach=0.5``), or
            ``mechanisms`` as ``{name: on}``; validated like a scenario file.

    Raises:
        sim.core.scenario.ScenarioError: an unknown scenario or parameter, or a value out
            of range (one line per problem).
        ValueError: a seed that is not one non-negative integer, or an unknown engine.

    Attributes:
        spec: the resolved scenario this model runs, overrides and years applied (Mesa's
            own ``model.scenario`` is Mesa's record of the seed).
        seed: the seed used.
        world: the state arrays (:class:`sim.core.state.World`).
        params: every parameter value, by name (a named tuple).
        policy: what leaders currently put into effect (:class:`sim.core.state.Policy`).
        tallies: what each phase counted in the last week (:class:`sim.phases.Tallies`).
        ledger: the municipal accounts.
        datacollector: one row per week from week 0 (the start) with the reporters of
            :data:`sim.model.reporters.REPORTERS` and the ``seed``.
    """

    def __init__(
        self,
        scenario: Scenario | str | os.PathLike[str] | None = None,
        rng: int | np.integer | None = None,
        years: int | None = None,
        *,
        engine: str = DEFAULT_ENGINE,
        group_tables: bool = False,
        **overrides: Any,
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
        if rng is None:
            # Drawn here, not by Mesa, so that Mesa's generators, the kernels' draws and
            # the recorded seed are one and the same number.
            seed = int(np.random.SeedSequence().entropy) % (2**63)
        else:
            seed = check_seed(rng, "rng")
        spec = _resolve(scenario, years, overrides)
        super().__init__(rng=seed)
        self.spec = spec
        self.engine = engine
        self.seed = seed

        values: dict[str, Any] = {}
        for section in SECTIONS:
            values.update(getattr(spec, section))
        self.values = values
        self.params = ParamTuple(*(float(values[p.name]) for p in PARAMS))
        self.switches = Switches(*(bool(spec.mechanisms[m]) for m in MECHANISM_NAMES))
        self.deal = build_deal(spec.deal)

        self.world = build_world(values, self.seed)
        c = self.world.citizens
        self.n_citizens = len(c.ses)
        self.quintile_sizes = np.bincount(c.quintile, minlength=QUINTILES).astype(float)

        self.citizen_list = Citizen.for_rows(self, self.n_citizens)
        self.professional_list = [
            Professional(self, k) for k in range(len(self.world.professionals.hood))
        ]
        self.leaders = {level: Leader(self, level) for level in LEADER_LEVELS}
        self.neighbourhoods = [
            Neighbourhood(self, h) for h in range(len(self.world.hoods.population))
        ]
        self.arenas = [Arena(self, a) for a in range(len(self.world.arenas.hood))]

        self.week = 0  # weeks simulated; our own counter, as Mesa 4 drops ``model.steps``
        self.weeks = spec.weeks  # the horizon: running turns False after this week
        self.running = self.weeks > 0
        self.policy = compose_policy(self.world, self.params)
        self.tallies: phases.Tallies | None = None  # what the phases counted last week
        self.promise_log: list[dict[str, Any]] = []
        self.metrics: dict[str, Any] = {}
        self._bound: tuple[Any, Any, list[Any]] | None = None
        self._hood_rows: list[np.ndarray] = []
        self._quintile_rows: list[np.ndarray] = []
        self.datacollector = mesa.DataCollector(
            model_reporters={
                **{name: functools.partial(_metric, name=name) for name in reporters.REPORTERS},
                "seed": "seed",
                **(
                    {
                        "neighbourhoods": functools.partial(_week_table, which="neighbourhoods"),
                        "quintiles": functools.partial(_week_table, which="quintiles"),
                    }
                    if group_tables
                    else {}
                ),
            }
        )
        self._collect(reporters.zero_tallies(self.policy))  # week 0: the start

    @property
    def config(self) -> Scenario:
        """The scenario this model runs: the old name of :attr:`spec`, kept for old code."""
        return self.spec

    @classmethod
    def from_scenario(
        cls, path: str | os.PathLike[str], *, rng: int | None = None, engine: str = DEFAULT_ENGINE
    ) -> CoCreationModel:
        """Load a scenario file (or bundled name) and build the model."""
        from sim.core.scenario import load_scenario

        return cls(load_scenario(path), rng=rng, engine=engine)

    def _collect(self, tallies: phases.Tallies) -> None:
        """Compute this week's reporters and group rows and record them."""
        census = take_census(self.world, self.week, self.params.champion_hours)
        hood, quint = reporters.group_rows(self.world, self.quintile_sizes, self.week, census)
        self.metrics = reporters.compute(
            self.world,
            self.params,
            self.policy,
            tallies,
            quint,
            self.quintile_sizes,
            self.week,
            census,
        )
        self._hood_rows.append(hood)
        self._quintile_rows.append(quint)
        self.datacollector.collect(self)

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
        self._collect(tallies)
        if self.week >= self.weeks:
            self.running = False

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
        counts = [c for c in columns if c in reporters.GROUP_COUNTS]
        frame[counts] = frame[counts].round().astype(np.int64)
        frame.insert(0, key, np.tile(np.arange(groups), steps))
        frame.insert(0, "step", np.repeat(np.arange(steps), groups))
        return frame

    def neighbourhood_table(self) -> pd.DataFrame:
        """Per-neighbourhood breakdown, one row per (step, neighbourhood), from week 0."""
        return self._table(self._hood_rows, reporters.HOOD_COLUMNS, "neighbourhood")

    def quintile_table(self) -> pd.DataFrame:
        """Per-quintile breakdown (0 = lowest resources), one row per (step, quintile).

        From week 0, the start; counts (population, volunteers, burnouts) are integers.
        """
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
