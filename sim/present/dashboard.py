"""The interactive dashboard: ``cocreate dashboard [SCENARIO]``, a Mesa SolaraViz web app.

The page offers a scenario picker (the bundled strategies), sliders and switches for the
strategy levers, the main uncertainties and the nine mechanisms, Mesa's play, step and
reset controls, live charts, a neighbourhood map coloured by a chosen outcome and the
history of one volunteer.

The harm panel (:data:`sim.runs.outcomes.HARM_PANEL`) is live next to the map: a table of
the eight harms of the run so far, computed as ``cocreate compare`` computes them, beside
the previous run's at the same week; on the second page ("Page 1"), two charts of the
harms week by week, the previous run dashed. A student who switches a mechanism off and
presses Reset sees which harm moves, and which way.

Moving a slider takes effect on **Reset**, as everywhere in SolaraViz: the model is then
rebuilt from the picked scenario with the moved values as overrides
(:meth:`sim.core.scenario.Scenario.with_overrides`). Picking another scenario rebuilds the
model at once and puts every slider at that scenario's values.

The model code is not changed: :class:`DashboardModel` is a thin subclass that builds
:class:`sim.model.CoCreationModel` from a scenario name plus overrides, gives it a Mesa
grid with one cell per neighbourhood (so that :class:`mesa.visualization.SpaceRenderer`
can draw it) and records what the charts need.

Run it with ``cocreate dashboard`` (see :func:`serve`), or with ``solara run sim.present.dashboard``
after setting ``COCREATE_DASHBOARD_SCENARIO`` (and optionally
``COCREATE_DASHBOARD_CITIZENS``).
"""

from __future__ import annotations

import functools
import html
import json
import math
import os
import socket
import sys
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

# Solara reads its settings when it is imported; no usage statistics leave the machine.
os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")

import solara
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from mesa.discrete_space import FixedAgent, OrthogonalMooreGrid
from mesa.visualization import SolaraViz, SpaceRenderer
from mesa.visualization.components import AgentPortrayalStyle, PropertyLayerStyle
from mesa.visualization.utils import force_update

from sim.core.catalogue import bundled_strategies
from sim.core.params import MECHANISMS, PARAM_BY_NAME, WEEKS_PER_YEAR, Param, params_in
from sim.core.scenario import Scenario, load_scenario
from sim.core.state import Role
from sim.model import CoCreationModel, reporters
from sim.present import figures
from sim.runs.outcomes import HARM_HIGHER_IS_WORSE, HARM_PANEL, OUTCOMES, outcomes

__all__ = [
    "ENV_CITIZENS",
    "ENV_OVERRIDES",
    "ENV_SCENARIO",
    "HARM_CHARTS",
    "MAP_OUTCOMES",
    "UNCERTAINTY_SLIDERS",
    "DashboardModel",
    "Page",
    "PreviousRun",
    "harm_series",
    "harms_so_far",
    "model_params",
    "serve",
]

ENV_SCENARIO = "COCREATE_DASHBOARD_SCENARIO"
"""Environment variable naming the scenario (file or bundled name) the page opens with."""
ENV_CITIZENS = "COCREATE_DASHBOARD_CITIZENS"
ENV_OVERRIDES = "COCREATE_DASHBOARD_OVERRIDES"
"""JSON ``{key: value}`` of the overrides (``--years``, ``--set``) every scenario runs with."""
"""Environment variable overriding the population of every scenario the page runs."""
DEFAULT_SCENARIO = "wigan_deal"
"""The scenario the dashboard opens with when none is given (also ``cocreate dashboard``'s)."""

UNCERTAINTY_SLIDERS: tuple[str, ...] = (
    "initial_trust",
    "trust_loss",
    "free_time_mean",
    "threshold_mean",
    "load_concentration",
    "burnout_sensitivity",
    "recovery_rate",
    "prevention_effect",
    "implicit_demand_share",
    "segregation",
    "budget_pressure",
)
"""The uncertainties offered as sliders (every lever is offered)."""


@dataclass(frozen=True)
class MapOutcome:
    """One outcome the neighbourhood map can show.

    Attributes:
        column: the column of :data:`sim.model.reporters.HOOD_COLUMNS`.
        per_1000: divide by the population and show per 1,000 residents.
        share: a value in [0, 1], drawn on a fixed 0-1 scale.
    """

    column: str
    per_1000: bool = False
    share: bool = True


MAP_OUTCOMES: dict[str, MapOutcome] = {
    "participation rate": MapOutcome("participation_rate"),
    "volunteers per 1,000": MapOutcome("volunteers", per_1000=True, share=False),
    "volunteer hours per 1,000": MapOutcome("volunteer_hours", per_1000=True, share=False),
    "mean trust": MapOutcome("mean_trust"),
    "mean wellbeing": MapOutcome("mean_wellbeing"),
    "mean need": MapOutcome("mean_need"),
    "service quality": MapOutcome("service_quality"),
    "open arenas per 1,000": MapOutcome("open_arenas", per_1000=True, share=False),
    "deprivation": MapOutcome("deprivation"),
}
"""Map outcomes by label; each is a property layer named by its label."""


# --------------------------------------------------------------------------- the model


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _current_value(scenario: Scenario, key: str) -> Any:
    section, _, name = key.partition(".")
    return scenario.mechanisms[name] if section == "mechanisms" else scenario.param(name)


@functools.lru_cache(maxsize=32)
def _load(ref: str) -> Scenario:
    return load_scenario(ref)


def _launch_citizens() -> int | None:
    value = os.environ.get(ENV_CITIZENS)
    return int(value) if value else None


def base_scenario(ref: str, citizens: int | None = None) -> Scenario:
    """Return the scenario ``ref`` (file or bundled name), with ``citizens`` if given.

    Raises:
        sim.core.scenario.ScenarioError: if the scenario or the population is invalid.
    """
    scenario = _load(ref)
    overrides = json.loads(os.environ.get(ENV_OVERRIDES) or "{}")
    if citizens is not None:
        overrides["citizens"] = citizens
    return scenario.with_overrides(overrides) if overrides else scenario


class NeighbourhoodTile(FixedAgent):
    """A neighbourhood's place on the dashboard's map (one grid cell each)."""

    def __init__(self, model: DashboardModel, hood: int, cell: Any) -> None:
        super().__init__(model)
        self.hood = hood
        self.cell = cell


class DashboardModel(CoCreationModel):
    """The co-creation model as the dashboard runs it.

    Args:
        scenario_name: the scenario to run (file or bundled name).
        citizens: population override, or ``None`` for the scenario's own.
        seed: random seed.
        scenario: ignored; SolaraViz's reset passes Mesa's own experiment scenario.
        **settings: slider and switch values keyed like
            :meth:`~sim.core.scenario.Scenario.with_overrides` (``levers.outreach``,
            ``mechanisms.trust``); those that differ from the scenario are applied.

    Attributes:
        scenario_name: the scenario picked.
        overrides: ``{key: (scenario value, value run)}`` of the settings applied.
        grid: a Mesa grid with one cell (and one :class:`NeighbourhoodTile`) per
            neighbourhood, laid out row by row; its property layers hold the
            :data:`MAP_OUTCOMES` of the last step.
        trust_by_quintile: mean trust of each resource quintile after each step.
        history: per step, ``(rows, values)`` of the citizens in a volunteering role or
            recovering from burnout: their row numbers and (load, exhaustion, hours).
        previous: the run the page showed before this one (:class:`PreviousRun`), set by
            the page when Reset or the scenario picker replaces the model; None for the
            first.
    """

    def __init__(
        self,
        *,
        scenario_name: str = DEFAULT_SCENARIO,
        citizens: int | None = None,
        seed: int = 0,
        scenario: Any = None,
        **settings: Any,
    ) -> None:
        base = base_scenario(scenario_name, citizens)
        moved = {k: v for k, v in settings.items() if not _same(v, _current_value(base, k))}
        super().__init__(base.with_overrides(moved) if moved else base, rng=int(seed))
        self.scenario_name = scenario_name
        self.overrides = {k: (_current_value(base, k), v) for k, v in moved.items()}
        self.trust_by_quintile: list[np.ndarray] = []
        self.history: list[tuple[np.ndarray, np.ndarray]] = []
        self.previous: PreviousRun | None = None
        self._build_map()
        _ = self.default_volunteer  # chosen now, before the first step
        self.running = self.spec.weeks > 0

    def _build_map(self) -> None:
        n = len(self.world.hoods.population)
        cols = math.ceil(math.sqrt(n))
        rows = math.ceil(n / cols)
        self.grid = OrthogonalMooreGrid((cols, rows), torus=False, capacity=1, random=self.random)
        self.tiles = [
            NeighbourhoodTile(self, h, self.grid[(h % cols, rows - 1 - h // cols)])
            for h in range(n)
        ]
        with warnings.catch_warnings():  # NaN (no neighbourhood) is meant: drawn blank
            warnings.filterwarnings("ignore", "Default value nan", UserWarning)
            self._layers = {
                label: self.grid.create_property_layer(label, default_value=np.nan)
                for label in MAP_OUTCOMES
            }
        self._update_map(reporters.group_rows(self.world, self.quintile_sizes, self.week)[0])

    def _update_map(self, hood: np.ndarray) -> None:
        column = {name: k for k, name in enumerate(reporters.HOOD_COLUMNS)}
        population = hood[:, column["population"]]
        for label, outcome in MAP_OUTCOMES.items():
            values = hood[:, column[outcome.column]]
            if outcome.per_1000:
                values = 1000.0 * values / population
            data = self._layers[label].data
            for tile in self.tiles:
                data[tile.cell.coordinate] = values[tile.hood]

    def map_values(self, label: str) -> np.ndarray:
        """The values of one :data:`MAP_OUTCOMES` entry, by neighbourhood."""
        data = self._layers[label].data
        return np.array([data[tile.cell.coordinate] for tile in self.tiles])

    def step(self) -> None:
        """One week of the model, then record the map, the quintiles and the volunteers."""
        super().step()
        hood, quint = reporters.group_rows(self.world, self.quintile_sizes, self.week)
        self._update_map(hood)
        self.trust_by_quintile.append(
            quint[:, reporters.QUINTILE_COLUMNS.index("mean_trust")].copy()
        )
        c = self.world.citizens
        rows = np.flatnonzero((c.state == Role.VOLUNTEER) | (c.state == Role.RECOVERING)).astype(
            np.int32
        )
        values = np.column_stack([c.load[rows], c.exhaustion[rows], c.hours[rows]])
        self.history.append((rows, values.astype(np.float32)))
        self.running = self.week < self.spec.weeks

    def volunteer_history(self, row: int) -> np.ndarray:
        """Load, exhaustion and hours of one citizen after each step (NaN when not in a role).

        Mesa may be stepping the model in another thread: the history is read from a copy
        taken at one moment (it grew while being read, and raised).

        Returns:
            An array shaped (steps, 3).
        """
        history = list(self.history)
        out = np.full((len(history), 3), np.nan)
        for k, (rows, values) in enumerate(history):
            j = np.searchsorted(rows, row)
            if j < len(rows) and rows[j] == row:
                out[k] = values[j]
        return out

    @functools.cached_property
    def default_volunteer(self) -> int:
        """A volunteer worth following: the most committed one at the start (-1 if none)."""
        c = self.world.citizens
        rows = np.flatnonzero(c.state == Role.VOLUNTEER)
        return int(rows[np.argmax(c.commitment[rows])]) if len(rows) else -1


# --------------------------------------------------------------------------- parameters


def _step(p: Param, value: float) -> float:
    """A round slider step that puts ``p.low`` and ``value`` on the slider's grid."""
    step = 10.0 ** math.floor(math.log10((p.high - p.low) / 100.0))
    while step > 1e-6 and not all(
        math.isclose(x / step, round(x / step), abs_tol=1e-6) for x in (p.low, value)
    ):
        step /= 10.0
    return step


def _slider(p: Param, value: Any, kind: str) -> dict[str, Any]:
    label = f"{kind} · {p.name}" + (f" ({p.unit})" if p.unit != "-" else "")
    if p.kind == "int":
        return {
            "type": "SliderInt",
            "value": int(value),
            "min": int(p.low),
            "max": int(p.high),
            "step": 1,
            "label": label,
        }
    return {
        "type": "SliderFloat",
        "value": float(value),
        "min": p.low,
        "max": p.high,
        "step": _step(p, float(value)),
        "label": label,
    }


def model_params(scenario_name: str, citizens: int | None = None) -> dict[str, Any]:
    """SolaraViz ``model_params`` for one scenario: its values as the sliders' start.

    Fixed entries (``scenario_name``, ``citizens``) pass through to
    :class:`DashboardModel`; the others are inputs: a seed, every lever, the
    :data:`UNCERTAINTY_SLIDERS` and a switch per mechanism.
    """
    scenario = base_scenario(scenario_name, citizens)
    params: dict[str, Any] = {
        "scenario_name": scenario_name,
        "citizens": citizens,
        "seed": {"type": "SliderInt", "value": 0, "min": 0, "max": 99, "step": 1, "label": "seed"},
    }
    for p in params_in("levers"):
        params[f"levers.{p.name}"] = _slider(p, scenario.levers[p.name], "lever")
    for name in UNCERTAINTY_SLIDERS:
        p = PARAM_BY_NAME.get(name)
        if p is not None and p.section == "uncertainties":
            params[f"uncertainties.{name}"] = _slider(
                p, scenario.uncertainties[name], "uncertainty"
            )
    for m in MECHANISMS:
        params[f"mechanisms.{m.name}"] = {
            "type": "Checkbox",
            "value": bool(scenario.mechanisms[m.name]),
            "label": f"mechanism · {m.name}",
        }
    return params


def _initial_settings(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v["value"] if isinstance(v, dict) else v for k, v in params.items()}


# --------------------------------------------------------------------------- components

map_outcome = solara.reactive(next(iter(MAP_OUTCOMES)))
"""The outcome the neighbourhood map shows (one per browser session)."""
volunteer_pick = solara.reactive(-1)
"""The citizen whose history is charted; -1 follows the model's default volunteer."""
scenario_pick = solara.reactive("")
"""The scenario picked in the page; empty until the user picks one."""


def _tile_portrayal(tile: NeighbourhoodTile) -> AgentPortrayalStyle:
    population = tile.model.world.hoods.population
    share = population[tile.hood] / population.max()
    return AgentPortrayalStyle(
        color="white",
        marker="o",
        size=60 + 540 * share,
        edgecolors="black",
        linewidths=1.0,
        alpha=0.9,
        zorder=2,
    )


def _layer_portrayal(layer: Any) -> PropertyLayerStyle | None:
    outcome = MAP_OUTCOMES.get(layer.name)
    if outcome is None or layer.name != map_outcome.value:
        return None
    if outcome.share:
        vmin, vmax = 0.0, 1.0
    else:
        vmin, vmax = 0.0, max(float(np.nanmax(layer.data)), 1e-9)
    return PropertyLayerStyle(colormap="viridis", vmin=vmin, vmax=vmax, alpha=0.9, colorbar=True)


def _map_axes(ax: Axes) -> None:
    ax.set_title("Neighbourhoods: colour = chosen outcome, circle = population", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def make_renderer(model: DashboardModel) -> SpaceRenderer:
    """The neighbourhood map: property layers for colour, one circle per neighbourhood."""
    renderer = SpaceRenderer(model, backend="matplotlib")
    renderer.setup_structure(color="white", linewidth=2)
    renderer.setup_agents(_tile_portrayal)
    renderer.setup_propertylayer(_layer_portrayal)
    renderer.post_process = _map_axes
    renderer.canvas.get_figure().set_size_inches(5.0, 3.0)
    return renderer.render()


def _chart(
    key: str,
    title: str,
    caption: str,
    draw: Callable[[Axes], None],
    height: float = 2.8,
    bottom: float = 0.17,
) -> Any:
    # A fixed layout: constrained layout would double the drawing time of every frame.
    fig = Figure(figsize=(5.0, height))
    fig.subplots_adjust(left=0.15, right=0.85, bottom=bottom, top=1.0 - 0.28 / height)
    ax = fig.subplots()
    draw(ax)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("week")
    ax.grid(alpha=0.3)
    with solara.Column(classes=["cocreate-chart", f"cocreate-{key}"], gap="0px") as column:
        solara.FigureMatplotlib(fig, format="png")
        solara.Text(caption, classes=["cocreate-caption"])
    return column


def _series(model: DashboardModel, *names: str) -> list[list[float]]:
    """Copies of reporters' series, cut to a common length.

    Mesa plays the model in another thread, so the DataCollector may append to one series
    while a chart reads them; a chart draws copies taken at one moment.
    """
    columns = [list(model.datacollector.model_vars.get(name, [])) for name in names]
    weeks = min(len(column) for column in columns)
    return [column[:weeks] for column in columns]


def _caption(model: DashboardModel, parts: list[tuple[str, float, str]]) -> str:
    if not model.week:
        return "week 0: press Step or ▶ to run"
    shown = ", ".join(f"{label} {value:{fmt}}" for label, value, fmt in parts)
    return f"week {model.week}: {shown}"


def _reporter_chart(key: str, title: str, fmt: str) -> Callable[[DashboardModel], Any]:
    def component(model: DashboardModel) -> Any:
        (values,) = _series(model, key)
        return _chart(
            key,
            title,
            _caption(model, [(key.replace("_", " "), values[-1] if values else 0.0, fmt)]),
            lambda ax: ax.plot(range(len(values)), values, color="tab:blue"),
        )

    return component


def volunteers_chart(model: DashboardModel) -> Any:
    """Volunteers (left axis) and burnouts per week (right axis)."""
    volunteers, burnouts = _series(model, "volunteers", "burnouts")
    weeks = range(len(volunteers))

    def draw(ax: Axes) -> None:
        ax.plot(weeks, volunteers, color="tab:green", label="volunteers")
        ax.set_ylabel("volunteers", color="tab:green")
        right = ax.twinx()
        right.plot(weeks, burnouts, color="tab:red", alpha=0.6, drawstyle="steps-mid")
        right.set_ylabel("burnouts / week", color="tab:red")

    caption = _caption(
        model,
        [
            ("volunteers", volunteers[-1] if volunteers else 0, ",.0f"),
            ("burnouts so far", float(np.sum(burnouts)), ",.0f"),
        ],
    )
    return _chart("volunteers", "Volunteers and burnouts", caption, draw)


def trust_chart(model: DashboardModel) -> Any:
    """Mean trust of each resource quintile (1 = least resourced)."""
    trust = np.array(list(model.trust_by_quintile)).reshape(-1, 5)  # a copy: see _series
    weeks = range(1, len(trust) + 1)
    colours = colormaps["viridis"](np.linspace(0.0, 0.9, 5))

    def draw(ax: Axes) -> None:
        for q in range(5):
            ax.plot(weeks, trust[:, q], color=colours[q], label=f"Q{q + 1}")
        if len(trust):
            ax.legend(fontsize=7, ncols=5, loc="lower center")
        ax.set_ylabel("trust")

    last = trust[-1] if len(trust) else np.zeros(5)
    caption = _caption(model, [("Q1", last[0], ".3f"), ("Q5", last[4], ".3f")])
    return _chart("trust", "Trust by resource quintile", caption, draw)


# --------------------------------------------------------------------------- harm panel


def _reporter_frame(model: CoCreationModel) -> pd.DataFrame:
    """Copies of every reporter's series at one moment, as ``timeseries.csv`` has them."""
    names = list(reporters.REPORTERS)
    return pd.DataFrame(dict(zip(names, _series(model, *names), strict=True)))


def _running_share(part: pd.Series, whole: pd.Series) -> np.ndarray:
    done, out_of = part.cumsum().to_numpy(float), whole.cumsum().to_numpy(float)
    return np.divide(done, out_of, out=np.zeros(len(done)), where=out_of > 0)


HARM_WEEKLY: dict[str, str] = {
    "q1_final_wellbeing": "wellbeing_q1",
    "q1_unmet_need_share": "unmet_need_share_q1",
    "services_withdrawn_share": "responsibility_withdrawn",
    "implicit_demand_hours": "implicit_demand_hours",
    "value_destroyed": "value_destroyed",
}
"""The weekly reporter (:data:`sim.model.reporters.REPORTERS`) each harm follows, where
one reporter is the harm week by week."""


def harm_series(timeseries: pd.DataFrame, n_citizens: int) -> dict[str, np.ndarray]:
    """The harm panel week by week, by harm (:data:`sim.runs.outcomes.HARM_PANEL`).

    A harm with a weekly reporter (:data:`HARM_WEEKLY`) follows it. The share of adults
    gone for good is ``gone`` over the population. The unanswered share of voices and the
    broken share of promise checks are the shares so far (a week without a voice or a
    check has none of its own), as their outcomes count them over a run.
    """
    ts = timeseries
    found = {name: ts[column].to_numpy(float) for name, column in HARM_WEEKLY.items()}
    found["unanswered_voice_share"] = _running_share(ts["unanswered_voices"], ts["voices_raised"])
    found["promises_broken_share"] = _running_share(
        ts["promise_checks_broken"], ts["promise_checks"]
    )
    found["volunteers_gone_share"] = ts["gone"].to_numpy(float) / max(n_citizens, 1)
    return {name: found[name] for name in HARM_PANEL}


def _weekly_label(name: str) -> str:
    """A harm's name on a chart week by week: its weekly reporter's, if it has one."""
    return figures.label(HARM_WEEKLY.get(name, name))


def _weekly_unit(name: str) -> str:
    """A harm's unit week by week: its weekly reporter's, if it has one, else its own."""
    weekly = HARM_WEEKLY.get(name)
    return reporters.REPORTERS[weekly].unit if weekly else OUTCOMES[name].unit


def harms_so_far(timeseries: pd.DataFrame, n_citizens: int) -> dict[str, float]:
    """The harm panel's outcomes of the run so far; empty before the first week.

    Computed as ``cocreate compare`` computes them (:func:`sim.runs.outcomes.outcomes`).
    """
    if len(timeseries) < 2:  # week 0 alone: no week has run
        return {}
    found = outcomes(timeseries, n_citizens)
    return {name: found[name] for name in HARM_PANEL}


@dataclass(frozen=True, eq=False)
class PreviousRun:
    """The run the page showed before the current one, kept to set the harms beside.

    Attributes:
        name: what it ran: the scenario and the settings moved from it.
        timeseries: its reporters, one row per week from week 0, the start.
        n_citizens: its population.
    """

    name: str
    timeseries: pd.DataFrame = field(repr=False)
    n_citizens: int

    @classmethod
    def of(cls, model: DashboardModel) -> PreviousRun:
        """Keep what the harm panel needs of ``model`` (not the model itself)."""
        moved = ", ".join(
            f"{k.split('.')[-1]} {('on' if b else 'off') if isinstance(b, bool) else f'{b:g}'}"
            for k, (_, b) in model.overrides.items()
        )
        name = model.scenario_name + (f" ({moved})" if moved else "")
        return cls(name, _reporter_frame(model), model.n_citizens)

    def at(self, week: int) -> dict[str, float]:
        """Its harm panel at ``week``, as far as it ran; empty if it stopped before."""
        if week < 1 or len(self.timeseries) <= week:  # its rows are weeks 0, 1, ...
            return {}
        return harms_so_far(self.timeseries.iloc[: week + 1], self.n_citizens)


HARM_CHARTS: dict[str, tuple[str, ...]] = {
    "harms": (
        "q1_final_wellbeing",
        "q1_unmet_need_share",
        "services_withdrawn_share",
        "unanswered_voice_share",
        "promises_broken_share",
        "volunteers_gone_share",
    ),
    "harm_hours": ("implicit_demand_hours", "value_destroyed"),
}
"""The harm panel's charts: the harms on a 0-1 scale together, the two in their own
units (hours and model units per week) on two axes."""


def _moved(name: str, now: float, before: float) -> str:
    if math.isclose(now, before, rel_tol=1e-6, abs_tol=1e-9):
        return "same"
    worse = (now > before) == HARM_HIGHER_IS_WORSE[name]
    return "worse" if worse else "better"


def _harm_frames(model: DashboardModel) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    frame = _reporter_frame(model)
    before = model.previous.timeseries if model.previous is not None else None
    return frame, before


def harm_chart(model: DashboardModel) -> Any:
    """The harms on a 0-1 scale, week by week; the previous run dashed."""
    frame, before = _harm_frames(model)
    now = harm_series(frame, model.n_citizens)
    then = harm_series(before, model.previous.n_citizens) if before is not None else {}
    names = HARM_CHARTS["harms"]

    def draw(ax: Axes) -> None:
        for k, name in enumerate(names):
            colour = colormaps["tab10"](k)
            ax.plot(range(len(now[name])), now[name], color=colour, label=_weekly_label(name))
            if name in then:
                ax.plot(range(len(then[name])), then[name], color=colour, ls="--", lw=0.8)
        ax.set_ylim(0.0, 1.0)
        ax.set_ylabel("0-1 (units: harm table)")
        ax.legend(fontsize=6.5, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=3)

    weeks = len(frame)
    parts = [(_weekly_label(n), now[n][-1] if weeks else 0.0, ".2f") for n in names[:2]]
    caption = _caption(model, parts)
    if before is not None:
        caption += "; dashed: the previous run"
    return _chart(
        "harms", "Harm panel: the dark side, week by week", caption, draw, height=3.2, bottom=0.33
    )


def harm_hours_chart(model: DashboardModel) -> Any:
    """Implicit demands (left axis) and value destroyed (right axis); the previous run dashed."""
    frame, before = _harm_frames(model)
    now = harm_series(frame, model.n_citizens)
    then = harm_series(before, model.previous.n_citizens) if before is not None else {}
    left, right_name = HARM_CHARTS["harm_hours"]

    def draw(ax: Axes) -> None:
        ax.plot(range(len(now[left])), now[left], color="tab:purple")
        ax.set_ylabel(
            f"{_weekly_label(left)}\n({_weekly_unit(left)})", color="tab:purple", fontsize=7
        )
        right = ax.twinx()
        right.plot(range(len(now[right_name])), now[right_name], color="tab:brown")
        right.set_ylabel(
            f"{_weekly_label(right_name)}\n({_weekly_unit(right_name)})",
            color="tab:brown",
            fontsize=7,
        )
        if then:
            ax.plot(range(len(then[left])), then[left], color="tab:purple", ls="--", lw=0.8)
            right.plot(
                range(len(then[right_name])),
                then[right_name],
                color="tab:brown",
                ls="--",
                lw=0.8,
            )

    weeks = len(frame)
    caption = _caption(
        model,
        [(_weekly_label(n), now[n][-1] if weeks else 0.0, ",.1f") for n in (left, right_name)],
    )
    return _chart("harm_hours", "Implicit demands and value destroyed", caption, draw)


def harm_table(model: DashboardModel) -> Any:
    """The harm panel of the run so far, beside the previous run's at the same week.

    Each harm is computed as ``cocreate compare`` computes it (:func:`harms_so_far`), with
    its unit from :data:`sim.runs.outcomes.OUTCOMES`; "moved" says whether it got worse
    or better than in the previous run, so a student who switches a mechanism off and
    presses Reset sees which harm moves.
    """
    frame = _reporter_frame(model)
    weeks = max(len(frame) - 1, 0)  # the weeks run: the first row is week 0, the start
    now = harms_so_far(frame, model.n_citizens)
    before = model.previous.at(weeks) if model.previous is not None else {}
    e = html.escape
    header = ["harm", "unit", "worse when", "this run", "previous run", "moved"]
    rows = []
    for name in HARM_PANEL:
        here = now.get(name)
        there = before.get(name)
        cells = [
            figures.label(name),
            OUTCOMES[name].unit,
            "higher" if HARM_HIGHER_IS_WORSE[name] else "lower",
            f"{here:.3g}" if here is not None else "",
            f"{there:.3g}" if there is not None else "",
            _moved(name, here, there) if here is not None and there is not None else "",
        ]
        rows.append(
            f'<tr class="cocreate-harm-{e(name)}">'
            + "".join(f"<td>{e(c)}</td>" for c in cells)
            + "</tr>"
        )
    table = (
        "<thead><tr>"
        + "".join(f"<th>{e(h)}</th>" for h in header)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody>"
    )
    if model.previous is None:
        caption = "previous run: none yet (switch a mechanism or move a slider, then Reset)"
    elif not before:
        caption = f"previous run ({model.previous.name}) did not reach week {weeks}"
    else:
        caption = f"previous run: {model.previous.name}, at the same week"
    caption = f"week {weeks}, so far; {caption}" if weeks else "week 0: press Step or ▶ to run"
    caption += "; week by week on Page 1"
    with solara.Column(classes=["cocreate-chart", "cocreate-harm-table"], gap="4px") as column:
        solara.Text("Harm panel of the run so far", style={"font-weight": "bold"})
        solara.HTML(tag="table", unsafe_innerHTML=table, style={"font-size": "12px"})
        solara.Text(caption, classes=["cocreate-caption"])
    return column


def volunteer_chart(model: DashboardModel) -> Any:
    """The load, exhaustion and hours of one citizen, recorded while the page runs."""
    row = volunteer_pick.value if volunteer_pick.value >= 0 else model.default_volunteer
    with solara.Column(gap="0px") as column:
        with solara.Row():
            solara.InputInt(
                "volunteer id (citizen row)",
                value=row,
                on_value=volunteer_pick.set,
                continuous_update=False,
            )
            solara.Button(
                "busiest now",
                text=True,
                on_click=lambda: volunteer_pick.set(
                    int(np.argmax(model.world.citizens.load)) if model.week else row
                ),
            )
        if not 0 <= row < model.n_citizens:
            solara.Warning(f"no citizen {row}; ids run from 0 to {model.n_citizens - 1}")
            return column
        data = model.volunteer_history(row)
        weeks = range(1, len(data) + 1)  # after each week (no week 0 in the history)

        def draw(ax: Axes) -> None:
            ax.plot(weeks, data[:, 0], color="tab:orange", label="load (h/week)")
            ax.plot(weeks, data[:, 2], color="tab:blue", label="hours given (h/week)")
            ax.set_ylabel("hours / week")
            right = ax.twinx()
            right.plot(weeks, data[:, 1], color="tab:red", label="exhaustion")
            right.axhline(model.params.burnout_threshold, color="tab:red", ls=":", lw=1)
            right.set_ylim(0.0, 1.0)
            right.set_ylabel("exhaustion (dotted: burnout)", color="tab:red")
            if len(data):
                ax.legend(fontsize=7, loc="upper left")

        citizen = model.citizen_list[row]
        caption = f"citizen {row}: {citizen.role}, {citizen.burnouts} burnouts so far"
        if model.week:
            caption = f"week {model.week}: {caption} (blank while not in a role)"
        _chart("volunteer", f"Volunteer {row}", caption, draw)
    return column


def _volunteer_component(model: DashboardModel) -> Any:
    return volunteer_chart(model)


COMPONENTS: list[tuple[Callable[[DashboardModel], Any], int]] = [
    (_reporter_chart("participation_rate", "Participation rate", ".3f"), 0),
    (harm_table, 0),
    (volunteers_chart, 0),
    (trust_chart, 0),
    (_reporter_chart("wellbeing_gap_q5_q1", "Wellbeing gap (top - bottom quintile)", ".3f"), 0),
    (_reporter_chart("net_cost", "Net cost per week (GBP; positive = deficit)", ",.0f"), 0),
    (_volunteer_component, 0),
    (harm_chart, 1),
    (harm_hours_chart, 1),
]
"""The charts, in page order: on the first page the neighbourhood map, then the harm
table; the harm panel's charts on the second page ("Page 1"). Every chart on the page
shown is drawn each frame, so the charts of the harms, which the table already shows,
wait on their own page: with them on the first page the browser fell behind a playing
model."""


def scenario_choices(launch: str) -> list[str]:
    """The scenarios offered: the one launched with, then every bundled strategy."""
    return [launch, *(name for name in bundled_strategies() if name != launch)]


@solara.component
def Page() -> None:
    """The dashboard page (what ``solara run sim.present.dashboard`` serves)."""
    launch = os.environ.get(ENV_SCENARIO, DEFAULT_SCENARIO)
    citizens = _launch_citizens()
    name = scenario_pick.value or launch
    params = solara.use_memo(lambda: model_params(name, citizens), [name])
    initial = solara.use_memo(lambda: DashboardModel(**_initial_settings(params)), [name])
    # SolaraViz's Reset replaces model.value; the summary below follows it.
    model = solara.use_reactive(initial)
    # The run shown before keeps its harms, for the harm panel to set beside this run's.
    # A run replaced before its first week leaves the one before it as the previous run.
    shown = solara.use_ref(None)
    old = shown.current
    if old is not None and old is not model.value and model.value.previous is None:
        model.value.previous = PreviousRun.of(old) if old.week else old.previous
    shown.current = model.value
    renderer = solara.use_memo(lambda: make_renderer(initial), [initial])

    with solara.Sidebar(), solara.Card("Scenario"):
        solara.Select(
            "scenario (rebuilds the model)",
            values=scenario_choices(launch),
            value=name,
            on_value=scenario_pick.set,
        )

        def pick_outcome(label: str) -> None:
            map_outcome.set(label)
            force_update()

        solara.Select(
            "neighbourhood map shows",
            values=list(MAP_OUTCOMES),
            value=map_outcome.value,
            on_value=pick_outcome,
        )
        ModelSummary(model.value)

    SolaraViz(
        model,
        renderer,
        components=COMPONENTS,
        model_params=params,
        name=f"cocreate dashboard: {name}",
    ).key(f"viz-{name}")


@solara.component
def ModelSummary(model: DashboardModel) -> None:
    """What the running model is: scenario, size, week and the overrides applied."""
    from mesa.visualization.utils import update_counter

    update_counter.get()
    current = model
    years = current.week / WEEKS_PER_YEAR
    solara.Text(
        f"{current.scenario_name}: {current.n_citizens:,} citizens, seed {current.seed}, "
        f"week {current.week} of {current.spec.weeks} ({years:.1f} years)",
        classes=["cocreate-summary"],
    )
    if current.overrides:
        moved = "; ".join(
            f"{k.split('.')[-1]} {a:g} → {b:g}" for k, (a, b) in current.overrides.items()
        )
        solara.Text(f"changed from the scenario: {moved}", classes=["cocreate-overrides"])
    else:
        solara.Text("running the scenario's own values", classes=["cocreate-overrides"])


# --------------------------------------------------------------------------- server


def _check_listen(host: str, port: int) -> None:
    """Raise OSError now if the server could not listen on ``host:port``."""
    if port == 0:
        return
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def serve(
    scenario: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    citizens: int | None = None,
    on_ready: Callable[[str], None] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> int:
    """Serve the dashboard until interrupted (Ctrl+C or SIGTERM).

    Args:
        scenario: the scenario the page opens with (file or bundled name).
        host: interface to listen on.
        port: TCP port; 0 picks a free one.
        citizens: population override for every scenario the page runs.
        on_ready: called with the page's URL once the server accepts connections.
        overrides: ``{key: value}`` every scenario the page runs is given (``years``,
            parameters), validated by the caller.

    Returns:
        0 after a clean shutdown.
    """
    _check_listen(host, port)
    os.environ[ENV_SCENARIO] = scenario
    if citizens is not None:
        os.environ[ENV_CITIZENS] = str(citizens)
    if overrides:
        os.environ[ENV_OVERRIDES] = json.dumps(dict(overrides))
    else:
        os.environ.pop(ENV_OVERRIDES, None)
    os.environ["SOLARA_APP"] = "sim.present.dashboard:Page"
    os.environ["SERVER_NAME"] = host
    import uvicorn

    config = uvicorn.Config(
        "solara.server.starlette:app", host=host, port=port, log_level="warning"
    )
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.05)
        bound = server.servers[0].sockets[0].getsockname()[1]
        if on_ready is not None:
            on_ready(f"http://{host}:{bound}/")

    threading.Thread(target=announce, daemon=True).start()
    server.run()
    return 0 if server.started else 1


if __name__ == "__main__":  # pragma: no cover - convenience
    sys.exit(serve(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SCENARIO))
