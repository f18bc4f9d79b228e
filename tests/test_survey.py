"""The survey observation models (:mod:`sim.core.survey`) and the reporters that use them.

* Trust answered on a 0-10 scale: the answer never falls as trust rises, and "high" is
  exactly the answers 6-10 (OECD Trust Survey).
* "In the last 12 months" counts a citizen who took part 51 weeks ago and not one who took
  part 53 weeks ago, on a small world whose state is set by hand and read by the model's
  own reporters.
* The occasion model drawn week by week gives the window model the calibration uses.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.core import survey
from sim.core.params import PARAM_BY_NAME
from sim.core.rng import S_OCCASION, uniform
from sim.core.scenario import load_scenario
from sim.model import CoCreationModel, reporters

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(unit, unit)
def test_trust_answer_is_monotone(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    assert survey.trust_answer(low) <= survey.trust_answer(high)
    assert 0 <= survey.trust_answer(low) <= survey.TRUST_SCALE


@given(unit)
def test_high_trust_is_exactly_answers_six_to_ten(t: float) -> None:
    answer = survey.trust_answer(t)
    assert bool(survey.high_trust(np.array([t]))[0]) == (6 <= answer <= 10)
    assert answer == int(survey.trust_answers(np.array([t]))[0])


def test_trust_answer_is_ten_times_trust_rounded_halves_up() -> None:
    assert [survey.trust_answer(t) for t in (0.0, 0.04, 0.05, 0.54, 0.55, 0.95, 1.0)] == [
        0,
        0,
        1,
        5,
        6,
        10,
        10,
    ]
    assert survey.high_trust_share(np.array([0.549, 0.55, 0.7, 0.2])) == 0.5


@given(st.floats(min_value=0.0, max_value=40.0), st.floats(min_value=0.5, max_value=5.0))
def test_occasion_chance_matches_the_window_model(hours: float, session: float) -> None:
    assert survey.occasion_chance(hours, session) == pytest.approx(
        float(survey.occasions(np.array([hours]), session)[0]), abs=1e-12
    )


def test_weekly_occasion_draws_give_the_window_model() -> None:
    """Drawing each week with 1 - exp(-h / s) gives P(any in a window) = 1 - exp(-H / s)."""
    weeks, hours, session = 4, 0.5, 2.0
    n = 20_000
    hit = np.zeros(n, dtype=bool)
    for week in range(1, weeks + 1):
        p = survey.occasion_chance(hours, session)
        hit |= np.array([uniform(3, week, i, S_OCCASION) < p for i in range(n)])
    expected = 1.0 - math.exp(-weeks * hours / session)
    assert hit.mean() == pytest.approx(expected, abs=4.0 * math.sqrt(expected / n))


@pytest.fixture(scope="module")
def small_model() -> CoCreationModel:
    scenario = load_scenario("baseline").with_overrides({"citizens": 60, "neighbourhoods": 2})
    model = CoCreationModel(scenario, rng=1)
    model.run_for(1)
    return model


def _reporters_at(model: CoCreationModel, step: int) -> dict[str, float]:
    _hood, quint = reporters.group_rows(model.world, model.quintile_sizes, step)
    return reporters.compute(
        model.world, model.params, model.policy, model.tallies, quint, model.quintile_sizes, step
    )


def test_twelve_months_counts_51_weeks_ago_not_53(small_model: CoCreationModel) -> None:
    c = small_model.world.citizens
    step = 200
    c.heard[:] = -1
    c.ignored[:] = -1
    c.last_occasion[:] = -1
    c.heard[0] = step - 51  # spoke up and was answered inside the last 12 months
    c.ignored[1] = step - 53  # spoke up outside them
    c.heard[2] = step - 52  # the week a year ago is outside too (52 weeks: t-51..t)
    c.ignored[3] = step - 3  # unanswered, inside: civic participation all the same
    c.heard[4] = step - 60  # answered long ago, then unanswered inside: counts once
    c.ignored[4] = step - 10
    c.last_occasion[3] = step - 3  # within the month
    c.last_occasion[4] = step - 4  # within the year, not the month
    c.last_occasion[5] = step - 5  # volunteered but never spoke up: not civic participation
    r = _reporters_at(small_model, step)
    n = len(c.heard)
    assert r["civic_participation_12m"] == pytest.approx(3 / n)
    assert r["formal_volunteering_monthly"] == pytest.approx(1 / n)
    assert r["formal_volunteering_yearly"] == pytest.approx(3 / n)
    hood, quint = reporters.group_rows(small_model.world, small_model.quintile_sizes, step)
    column = reporters.HOOD_COLUMNS.index("civic_participation_12m")
    pop = small_model.world.hoods.population
    assert (hood[:, column] * pop).sum() == pytest.approx(3)
    column = reporters.QUINTILE_COLUMNS.index("formal_volunteering_yearly")
    assert (quint[:, column] * small_model.quintile_sizes).sum() == pytest.approx(3)


def test_high_trust_gap_heard(small_model: CoCreationModel) -> None:
    c = small_model.world.citizens
    step = 100
    c.heard[:] = -1
    c.trust[:] = 0.3
    c.heard[:10] = step - 51  # heard within the year: half of them trust highly
    c.trust[:5] = 0.6
    c.heard[10:20] = step - 52  # heard more than a year ago: counted with the rest
    c.trust[10:20] = 0.6
    r = _reporters_at(small_model, step)
    n = len(c.trust)
    assert r["high_trust_share"] == pytest.approx(15 / n)
    assert r["high_trust_gap_heard"] == pytest.approx(0.5 - 10 / (n - 10))


def test_session_hours_is_a_registry_uncertainty() -> None:
    p = PARAM_BY_NAME["session_hours"]
    assert p.section == "uncertainties" and p.low < p.default < p.high
