"""The catalogue of bundled scenario files: which are presets, strategies and bases.

The kind of a bundled scenario is told by its file name alone (documented in
``scenarios/README.md``): ``municipality_*`` files are context presets, ``_*`` files are
shared bases that strategies extend, and every other bundled file is a strategy.
:func:`bundled_strategies` lists the strategies in the order ``cocreate compare`` runs
them (:data:`STRATEGY_ORDER` first, then the rest alphabetically).
"""

from __future__ import annotations

from typing import Literal

from sim.core.scenario import Scenario, bundled_scenarios, context_values

__all__ = [
    "BASE_PREFIX",
    "PRESET_PREFIX",
    "STRATEGY_CONTEXT",
    "STRATEGY_ORDER",
    "ScenarioKind",
    "bundled_strategies",
    "in_context",
    "scenario_kind",
    "strategy_sort_key",
]

STRATEGY_ORDER: tuple[str, ...] = ("baseline", "npm", "austerity", "wigan_deal")
"""Bundled strategies that come first, in this order; the rest follow alphabetically."""

PRESET_PREFIX = "municipality_"
"""Bundled files named ``municipality_*`` are context presets, not strategies."""

BASE_PREFIX = "_"
"""Bundled files named ``_*`` are shared bases that strategies extend, not strategies."""

STRATEGY_CONTEXT: tuple[str, ...] = ("budget_pressure",)
"""The context a bundled strategy may set (the cuts its case answered); a place laid over
it with :func:`in_context` leaves these alone."""

ScenarioKind = Literal["preset", "base", "strategy"]
"""The kinds of bundled scenario file."""


def scenario_kind(name: str) -> ScenarioKind:
    """Return ``"preset"``, ``"base"`` or ``"strategy"`` for a bundled scenario name.

    The rule is the file name alone (documented in ``scenarios/README.md``): a name
    starting with ``municipality_`` is a context preset, one starting with ``_`` is a
    shared base, every other bundled file is a strategy.
    """
    if name.startswith(PRESET_PREFIX):
        return "preset"
    if name.startswith(BASE_PREFIX):
        return "base"
    return "strategy"


def strategy_sort_key(name: str) -> tuple[int, str]:
    """Sort key of a strategy name: :data:`STRATEGY_ORDER` first, then alphabetical."""
    return (STRATEGY_ORDER.index(name) if name in STRATEGY_ORDER else len(STRATEGY_ORDER), name)


def bundled_strategies() -> list[str]:
    """Names of the bundled strategy scenarios: every bundled file but presets and bases.

    Ordered as :data:`STRATEGY_ORDER` first, then the rest alphabetically.
    """
    names = [n for n in bundled_scenarios() if scenario_kind(n) == "strategy"]
    return sorted(names, key=strategy_sort_key)


def in_context(scenario: Scenario, preset: str) -> Scenario:
    """The strategy run in another place: a context preset's settings laid over it.

    The preset's ``municipality`` and ``uncertainties`` settings (only those its file and
    ancestors set, :func:`sim.core.scenario.context_values`) replace the strategy's, except
    the context a strategy may set itself (:data:`STRATEGY_CONTEXT`, the cuts its case
    answered). The copy is named ``<strategy>.<place>``, the place being the preset's name
    without :data:`PRESET_PREFIX`, so a comparison can hold one strategy in two places.

    Args:
        scenario: the strategy.
        preset: a context preset's file or bundled name (``municipality_stange``).

    Raises:
        sim.core.scenario.ScenarioError: the preset cannot be loaded, or the result is
            invalid.
    """
    values = {k: v for k, v in context_values(preset).items() if k not in STRATEGY_CONTEXT}
    place = str(preset).rsplit("/", 1)[-1].removesuffix(".yaml").removeprefix(PRESET_PREFIX)
    return scenario.with_overrides(values, name=f"{scenario.name}.{place}")
