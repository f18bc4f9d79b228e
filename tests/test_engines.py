"""The numba engine and the plain-Python reference engine give the same trajectories.

Both engines call the same scalar rules (:mod:`sim.phases`) with the same keyed random
draws (:mod:`sim.core.rng`), so any difference is an orchestration bug in one of them. Each
case runs a small municipality for about a year with both engines and compares every
DataCollector column, the per-group tables, and the final state arrays.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from sim import CoCreationModel
from sim.core.scenario import load_scenario
from sim.core.state import Network, Role
from sim.phases.recruitment import _TIE_TABLE

CITIZENS = 400
NEIGHBOURHOODS = 3
STEPS = 60  # past week 52, so the first annual budget cut is inside the window
SEEDS = (7, 2024)
ATOL = 1e-9

OVERLOADED = {"volunteer_expectation": 3.0, "volunteer_support": 0.0}
CASES: dict[str, tuple[str, dict]] = {
    "baseline": ("baseline", {}),
    "npm": ("npm", {}),
    "wigan_deal": ("wigan_deal", {}),
    # a variant with some mechanisms switched off
    "wigan_part_workload_trust_off": (
        "wigan_deal",
        {
            "mechanisms.participation": False,
            "mechanisms.workload": False,
            "mechanisms.trust": False,
        },
    ),
    # the complementary switches off
    "wigan_six_off": (
        "wigan_deal",
        {
            "mechanisms.recruitment": False,
            "mechanisms.burnout": False,
            "mechanisms.cross_pressure": False,
            "mechanisms.leadership": False,
            "mechanisms.public_value": False,
            "mechanisms.accounting": False,
        },
    ),
    # budget cuts, an impatient council that pulls back, and service withdrawal
    "wigan_stressed": (
        "wigan_deal",
        {
            "budget_pressure": 0.2,
            "political_patience": 13.0,
            "prevention_effect": 0.0,
            "service_withdrawal": 0.5,
        },
    ),
    "wigan_overloaded": ("wigan_deal", OVERLOADED),
    # citizens who differ in how easily they tire (each their own burnout sensitivity)
    "wigan_overloaded_susceptible": (
        "wigan_deal",
        {**OVERLOADED, "burnout_susceptibility_spread": 0.8},
    ),
    # arenas with few places, so that full arenas turn recruits away
    "baseline_full_arenas": ("baseline", {"arena_places": 6}),
    # half the citizens volunteer in stints (workload and exit take the episodic paths)
    "wigan_episodic": ("wigan_deal", {"episodic_share": 0.5, "episodic_activity": 0.3}),
}


def _scenario(name: str, overrides: dict):
    return load_scenario(name).with_overrides(
        {"citizens": CITIZENS, "neighbourhoods": NEIGHBOURHOODS, **overrides}
    )


@cache
def _pair(case: str, seed: int) -> tuple[CoCreationModel, CoCreationModel]:
    name, overrides = CASES[case]
    scenario = _scenario(name, overrides)
    fast = CoCreationModel(scenario, rng=seed, engine="numba")
    slow = CoCreationModel(scenario, rng=seed, engine="reference")
    fast.run_for(STEPS)
    slow.run_for(STEPS)
    return fast, slow


def _assert_frames_close(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    assert list(a.columns) == list(b.columns), what
    assert a.shape == b.shape, what
    assert len(a) > 0, what
    bad = []
    for column in a.columns:
        x = a[column].to_numpy(dtype=float)
        y = b[column].to_numpy(dtype=float)
        if not np.allclose(x, y, atol=ATOL, rtol=0.0, equal_nan=False):
            first = int(np.flatnonzero(~np.isclose(x, y, atol=ATOL, rtol=0.0))[0])
            bad.append(f"{column} (first at row {first}: {x[first]!r} vs {y[first]!r})")
    assert not bad, f"{what}: numba and reference differ in " + "; ".join(bad)


def _assert_arrays_close(a, b, what: str) -> None:
    for field in a._fields:
        x, y = getattr(a, field), getattr(b, field)
        assert x.shape == y.shape, f"{what}.{field}"
        if np.issubdtype(x.dtype, np.integer):
            np.testing.assert_array_equal(x, y, err_msg=f"{what}.{field}")
        else:
            np.testing.assert_allclose(x, y, atol=ATOL, rtol=0.0, err_msg=f"{what}.{field}")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", list(CASES))
def test_reporters_agree(case: str, seed: int) -> None:
    fast, slow = _pair(case, seed)
    a = fast.datacollector.get_model_vars_dataframe()
    b = slow.datacollector.get_model_vars_dataframe()
    assert len(a) == STEPS + 1  # week 0, the start, and every week run
    _assert_frames_close(a, b, f"{case} seed {seed} reporters")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", list(CASES))
def test_group_tables_agree(case: str, seed: int) -> None:
    fast, slow = _pair(case, seed)
    _assert_frames_close(
        fast.neighbourhood_table(), slow.neighbourhood_table(), f"{case} neighbourhood table"
    )
    _assert_frames_close(fast.quintile_table(), slow.quintile_table(), f"{case} quintile table")
    pd.testing.assert_frame_equal(fast.promise_table(), slow.promise_table())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", list(CASES))
def test_final_citizen_arrays_agree(case: str, seed: int) -> None:
    fast, slow = _pair(case, seed)
    a, b = fast.world.citizens, slow.world.citizens
    for field in ("trust", "exhaustion", "hours_total"):
        np.testing.assert_allclose(
            getattr(a, field), getattr(b, field), atol=ATOL, rtol=0.0, err_msg=field
        )
    np.testing.assert_array_equal(a.state, b.state)
    # and every other field of every entity
    _assert_arrays_close(a, b, "citizens")
    _assert_arrays_close(fast.world.professionals, slow.world.professionals, "professionals")
    _assert_arrays_close(fast.world.arenas, slow.world.arenas, "arenas")
    _assert_arrays_close(fast.world.hoods, slow.world.hoods, "hoods")
    assert fast.policy == pytest.approx(slow.policy, abs=ATOL)
    assert fast.ledger == pytest.approx(slow.ledger, abs=1e-6, rel=0)


@pytest.mark.parametrize("seed", SEEDS)
def test_overloaded_comparison_exercises_burnout(seed: int) -> None:
    """The overloaded case must burn volunteers out, or it does not test that path."""
    fast, slow = _pair("wigan_overloaded", seed)
    df = fast.datacollector.get_model_vars_dataframe()
    assert df["burnouts"].sum() > 0
    assert df["recovering"].max() > 0
    assert slow.world.citizens.burnouts.sum() == df["burnouts"].sum()


@pytest.mark.parametrize("seed", SEEDS)
def test_stressed_comparison_exercises_cuts_and_pullbacks(seed: int) -> None:
    fast, _ = _pair("wigan_stressed", seed)
    df = fast.datacollector.get_model_vars_dataframe()
    assert df["budget_factor"].iloc[-1] < 1.0
    assert df["pullbacks"].iloc[-1] > 0
    assert df["responsibility_withdrawn"].max() > 0.0


def test_switched_off_variant_differs_from_full_model() -> None:
    """Guard against the switches being ignored (both engines equally)."""
    full, _ = _pair("wigan_deal", SEEDS[0])
    off, _ = _pair("wigan_part_workload_trust_off", SEEDS[0])
    a = full.datacollector.get_model_vars_dataframe()
    b = off.datacollector.get_model_vars_dataframe()
    assert not np.allclose(a["mean_trust"], b["mean_trust"])
    assert not np.allclose(a["participation_rate"], b["participation_rate"])


@pytest.mark.slow
@pytest.mark.parametrize("case", ["wigan_deal", "wigan_stressed", "wigan_overloaded"])
def test_long_horizon_agreement(case: str) -> None:
    """Five years: small differences would compound and show up by now."""
    name, overrides = CASES[case]
    scenario = _scenario(name, overrides)
    fast = CoCreationModel(scenario, rng=99, engine="numba")
    slow = CoCreationModel(scenario, rng=99, engine="reference")
    fast.run_for(260)
    slow.run_for(260)
    _assert_frames_close(
        fast.datacollector.get_model_vars_dataframe(),
        slow.datacollector.get_model_vars_dataframe(),
        f"{case} over 260 weeks",
    )
    _assert_arrays_close(fast.world.citizens, slow.world.citizens, "citizens")


SURVEY_REPORTERS = (
    "civic_participation_12m",
    "formal_volunteering_monthly",
    "formal_volunteering_yearly",
    "high_trust_share",
    "high_trust_gap_heard",
)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", ["baseline", "wigan_deal", "wigan_episodic"])
def test_survey_state_and_reporters_agree(case: str, seed: int) -> None:
    """The survey observation state (sim.core.survey) is drawn alike by both engines."""
    fast, slow = _pair(case, seed)
    a, b = fast.world.citizens, slow.world.citizens
    for field in ("last_part", "last_occasion", "part", "heard", "ignored"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
    assert (a.last_occasion == STEPS).any(), "no occasion drawn this week: nothing compared"
    assert (a.last_part >= 0).sum() > (a.last_occasion >= 0).sum(), "only volunteers took part"
    x = fast.datacollector.get_model_vars_dataframe()[list(SURVEY_REPORTERS)]
    y = slow.datacollector.get_model_vars_dataframe()[list(SURVEY_REPORTERS)]
    pd.testing.assert_frame_equal(x, y, check_exact=True)
    assert x["civic_participation_12m"].iloc[-1] > 0.0, "nobody spoke up: nothing compared"


BURNOUT_SURVEY = ("volunteers_high_exhaustion_share", "volunteers_high_cynicism_share")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", ["baseline", "wigan_overloaded", "wigan_overloaded_susceptible"])
def test_burnout_survey_shares_agree_and_are_shares(case: str, seed: int) -> None:
    """The MBI observation model (issue 12): shares of current volunteers in [0, 1], the
    same in both engines, and exercised (the overloaded case has high exhaustion)."""
    fast, slow = _pair(case, seed)
    a = fast.datacollector.get_model_vars_dataframe()
    b = slow.datacollector.get_model_vars_dataframe()
    for name in BURNOUT_SURVEY:
        x, y = a[name].to_numpy(dtype=float), b[name].to_numpy(dtype=float)
        assert ((x >= 0.0) & (x <= 1.0)).all(), name
        np.testing.assert_array_equal(x, y, err_msg=name)
    if case == "wigan_overloaded":
        assert a["volunteers_high_exhaustion_share"].max() > 0.0
        assert a["volunteers_high_cynicism_share"].max() > 0.0


def _everyone_tied(model: CoCreationModel) -> None:
    """Give every citizen a tie to every other (a complete network)."""
    n = model.n_citizens
    ptr = np.arange(0, n * (n - 1) + 1, n - 1, dtype=np.int64)
    idx = np.array([j for i in range(n) for j in range(n) if j != i], dtype=np.int32)
    model.world = model.world._replace(network=Network(ptr, idx))


def test_citizens_with_more_volunteering_ties_than_the_table_agree() -> None:
    """The claims kernel looks the ties' chance of asking up in a table (``_TIE_TABLE``
    numbers of volunteering ties) and computes it in place for more. With everyone tied to
    everyone and arenas short of hands (more demand than the default), idle citizens have
    more while the ties still ask, and the engines still agree."""
    scenario = _scenario(
        "wigan_deal",
        {
            "citizens": 160,
            "neighbourhoods": 1,
            "arena_demand_hours": 100.0,
            "citizens_per_arena": 40.0,
        },
    )
    fast = CoCreationModel(scenario, rng=5, engine="numba")
    slow = CoCreationModel(scenario, rng=5, engine="reference")
    for model in (fast, slow):
        _everyone_tied(model)
    asked_beyond_the_table = 0  # tie recruits in weeks begun with the table's size or more
    for _ in range(8):
        volunteers = int((fast.world.citizens.state == Role.VOLUNTEER).sum())
        short = float(fast.world.hoods.shortfall[0])
        fast.step()
        slow.step()
        if volunteers >= _TIE_TABLE and short > 0.0:
            asked_beyond_the_table += fast.metrics["recruits_tie"]
    assert asked_beyond_the_table > 0, "no week had both the ties and the need to test"
    _assert_frames_close(
        fast.datacollector.get_model_vars_dataframe(),
        slow.datacollector.get_model_vars_dataframe(),
        "reporters",
    )
    np.testing.assert_array_equal(fast.world.citizens.state, slow.world.citizens.state)
    _assert_arrays_close(fast.world.citizens, slow.world.citizens, "citizens")
