"""Public value counted with distributional weights (Green Book 2022, Annex A3.12-A3.14).

* The weights fall with a quintile's resources, have population mean 1, and are all 1 at
  elasticity 0, where the weighted count equals the unweighted one.
* The same arena value counts for less when the better-off take part in it than when the
  least resourced do (elite capture of the agenda: Mansuri & Rao 2013).
* Services reach a ward's residents: the same shortfall costs more value in the ward where
  the least resourced live.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.params import PARAM_BY_NAME
from sim.core.scenario import load_scenario
from sim.model import CoCreationModel, reporters


@pytest.fixture(scope="module")
def model() -> CoCreationModel:
    scenario = load_scenario("baseline").with_overrides({"citizens": 400, "neighbourhoods": 4})
    m = CoCreationModel(scenario, rng=3)
    m.run_for(4)
    return m


def _weights(m: CoCreationModel, elasticity: float) -> np.ndarray:
    c = m.world.citizens
    return reporters.distributional_weights(c.ses, c.quintile, elasticity)


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=0.05, max_value=3.0))
def test_weights_fall_with_resources_and_average_one(model, elasticity: float) -> None:
    w = _weights(model, elasticity)
    sizes = np.bincount(model.world.citizens.quintile, minlength=len(w))
    assert np.all(np.diff(w) < 0.0), w  # quintile 0 is the least resourced
    assert (w * sizes).sum() / sizes.sum() == pytest.approx(1.0)


def test_elasticity_zero_is_the_unweighted_count(model) -> None:
    w = _weights(model, 0.0)
    assert np.all(w == 1.0)
    start = float(model.world.council.start_demand[0])
    arena, services = reporters.weighted_value(model.world, w, start)
    hd = model.world.hoods
    assert arena == pytest.approx(float(model.world.arenas.value.sum()))
    n = len(model.world.citizens.ses)
    assert services == pytest.approx(float((hd.quality * hd.population).sum()) * start / n)


def test_captured_arena_counts_for_less(model) -> None:
    c, ar = model.world.citizens, model.world.arenas
    w = _weights(model, PARAM_BY_NAME["distributional_elasticity"].default)
    saved_arena, saved_value = c.arena.copy(), ar.value.copy()
    try:
        ar.value[:] = 0.0
        ar.value[0] = 10.0
        c.arena[:] = -1
        k = 8
        poorest = np.argsort(c.ses)[:k]
        richest = np.argsort(c.ses)[-k:]
        c.arena[poorest] = 0
        by_poorest, _ = reporters.weighted_value(model.world, w, 1.0)
        c.arena[:] = -1
        c.arena[richest] = 0
        by_richest, _ = reporters.weighted_value(model.world, w, 1.0)
    finally:
        c.arena[:] = saved_arena
        ar.value[:] = saved_value
    assert by_richest < 10.0 < by_poorest, (by_richest, by_poorest)


def test_a_shortfall_where_the_least_resourced_live_costs_more(model) -> None:
    hd, c = model.world.hoods, model.world.citizens
    w = _weights(model, 1.3)
    ses = np.bincount(c.hood, c.ses, len(hd.population)) / hd.population
    poor, rich = int(np.argmin(ses)), int(np.argmax(ses))
    saved = hd.quality.copy()
    try:
        hd.quality[:] = 1.0
        hd.quality[poor] = 0.5
        _, short_poor = reporters.weighted_value(model.world, w, 1.0)
        hd.quality[:] = 1.0
        hd.quality[rich] = 0.5
        _, short_rich = reporters.weighted_value(model.world, w, 1.0)
    finally:
        hd.quality[:] = saved
    # Per resident lost: the same half of service counts for more in the poorer ward.
    lost_poor = (1.0 - short_poor) / hd.population[poor]
    lost_rich = (1.0 - short_rich) / hd.population[rich]
    assert lost_poor > lost_rich, (lost_poor, lost_rich)
