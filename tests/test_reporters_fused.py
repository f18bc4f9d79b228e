"""The census (one compiled pass) gives the reporters numpy gave, to the last bit.

:func:`sim.model.census.take_census` replaced some twenty-five numpy passes over the
citizens a week (issue 15). The numpy formulas are kept here as the readable reference:
each week of two scenarios, the model's recorded reporters and group tables must equal
them bit for bit. The numpy-exact helpers (:func:`sim.model.census.pairwise_sum`,
:func:`sim.model.census.quantile`, :func:`sim.model.census.positives`) and the reporters
built on them (``neediest_unmet_share``, ``top_share``) are checked against numpy over
random arrays with ties, zeros and lengths across numpy's block sizes.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import survey
from sim.core.params import QUINTILES
from sim.core.scenario import load_scenario
from sim.core.state import Role
from sim.model import CoCreationModel, census, reporters
from sim.phases.burnout import HIGH_CYNICISM, HIGH_EXHAUSTION

WEEKS = 60  # past week 52, so the 12-month survey windows have filled and moved on


def _reference_group_rows(world, quintile_sizes, step):
    """:func:`reporters.group_rows` as plain numpy passes (the formulas before the census)."""
    c, hd, ar = world.citizens, world.hoods, world.arenas
    n_h = len(hd.population)
    pop = hd.population.astype(float)
    vol = (c.state == Role.VOLUNTEER).astype(float)
    spoke = survey.within(survey.spoke_up(c.heard, c.ignored), step, survey.YEAR_WEEKS)
    spoke = spoke.astype(float)
    high_trust = survey.high_trust(c.trust).astype(float)
    volunteered = survey.within(c.last_occasion, step, survey.YEAR_WEEKS).astype(float)
    hood = np.column_stack(
        [
            pop,
            hd.deprivation,
            reporters.hood_participants(world, step) / pop,
            np.bincount(c.hood, vol, n_h),
            hd.volunteer_hours,
            np.bincount(c.hood, c.trust, n_h) / pop,
            np.bincount(c.hood, c.wellbeing, n_h) / pop,
            np.bincount(c.hood, c.need, n_h) / pop,
            reporters.unmet_share(c.hood, c.need, c.unmet, n_h),
            np.bincount(ar.hood, ar.open, n_h),
            hd.value,
            hd.quality,
            np.bincount(c.hood, spoke, n_h) / pop,
            np.bincount(c.hood, high_trust, n_h) / pop,
            np.bincount(c.hood, volunteered, n_h) / pop,
        ]
    )
    qn = quintile_sizes
    hours = np.bincount(c.quintile, c.hours, QUINTILES)
    total = hours.sum()
    quint = np.column_stack(
        [
            qn,
            np.bincount(c.quintile, c.part, QUINTILES) / qn,
            np.bincount(c.quintile, vol, QUINTILES),
            hours,
            hours / total if total > 0 else np.zeros(5),
            np.bincount(c.quintile, c.trust, QUINTILES) / qn,
            np.bincount(c.quintile, c.wellbeing, QUINTILES) / qn,
            np.bincount(c.quintile, c.mattering, QUINTILES) / qn,
            np.bincount(c.quintile, c.burnouts, QUINTILES),
            reporters.unmet_share(c.quintile, c.need, c.unmet, QUINTILES),
            np.bincount(c.quintile, spoke, QUINTILES) / qn,
            np.bincount(c.quintile, high_trust, QUINTILES) / qn,
            np.bincount(c.quintile, volunteered, QUINTILES) / qn,
        ]
    )
    return hood, quint


def _reference_weighted_value(world, weights, start_demand):
    """:func:`reporters.weighted_value` as plain numpy passes."""
    c, hd, ar = world.citizens, world.hoods, world.arenas
    n_hoods, n_arenas = len(hd.population), len(ar.value)
    w = weights[c.quintile]
    hood_weight = np.bincount(c.hood, w, n_hoods)
    services = float((hd.quality * hood_weight).sum()) * start_demand / len(w)
    member = c.arena >= 0
    members = np.bincount(c.arena[member], minlength=n_arenas).astype(float)
    member_weight = np.bincount(c.arena[member], w[member], n_arenas)
    hood_mean = hood_weight / np.maximum(hd.population, 1)
    arena_weight = np.where(
        members > 0.0, member_weight / np.maximum(members, 1.0), hood_mean[ar.hood]
    )
    return float((ar.value * arena_weight).sum()), services


def _reference_neediest_unmet_share(need, unmet):
    top = need >= np.quantile(need, 1.0 - 1.0 / QUINTILES)
    total = float(need[top].sum())
    return float((need[top] * unmet[top]).sum()) / total if total > 0.0 else 0.0


def _reference_top_share(values, share=reporters.TOP_SHARE):
    k = max(1, int(np.ceil(share * len(values))))
    positive = values[values > 0.0]
    total = positive.sum()
    if total <= 0.0:
        return 0.0
    if len(positive) <= k:
        return 1.0
    return float(np.partition(positive, len(positive) - k)[len(positive) - k :].sum() / total)


def _reference_reporters(model: CoCreationModel) -> dict[str, float]:
    """The reporters :func:`reporters.compute` reads off the citizens, as numpy passes."""
    world, params, step = model.world, model.params, model.week
    c, hd = world.citizens, world.hoods
    n = len(c.ses)
    states = np.bincount(c.state, minlength=len(Role))
    volunteer = c.state == Role.VOLUNTEER
    weights = reporters.distributional_weights(c.ses, c.quintile, params.distributional_elasticity)
    weighted_arena, weighted_services = _reference_weighted_value(
        world, weights, float(world.council.start_demand[0])
    )
    hood_wellbeing = np.bincount(c.hood, c.wellbeing, len(hd.population)) / hd.population
    return {
        "participation_rate": int(c.part.sum()) / n,
        "volunteers": int(states[Role.VOLUNTEER]),
        "champions": int(np.count_nonzero(volunteer & (c.hours >= params.champion_hours))),
        "volunteers_high_exhaustion_share": reporters.high_share(
            volunteer, c.exhaustion, HIGH_EXHAUSTION
        ),
        "volunteers_high_cynicism_share": reporters.high_share(
            volunteer, c.cynicism, HIGH_CYNICISM
        ),
        "civic_participation_12m": survey.civic_participation_12m(c.heard, c.ignored, step),
        "formal_volunteering_monthly": survey.formal_volunteering(
            c.last_occasion, step, survey.MONTH_WEEKS
        ),
        "formal_volunteering_yearly": survey.formal_volunteering(
            c.last_occasion, step, survey.YEAR_WEEKS
        ),
        "high_trust_share": survey.high_trust_share(c.trust),
        "high_trust_gap_heard": survey.high_trust_gap_heard(c.trust, c.heard, step),
        "public_value": weighted_arena + weighted_services,
        "participant_representativeness": reporters.representativeness(
            np.bincount(c.quintile, c.part, QUINTILES), model.quintile_sizes
        ),
        "recovering": int(states[Role.RECOVERING]),
        "gone": int(states[Role.GONE]),
        "neediest_unmet_share": _reference_neediest_unmet_share(c.need, c.unmet),
        "top10_hours_share": _reference_top_share(c.hours_recent),
        "ward_wellbeing_gap": float(hood_wellbeing.max() - hood_wellbeing.min()),
    }


def _bits(x: float) -> bytes:
    return np.float64(x).tobytes()


@pytest.mark.parametrize("scenario", ["baseline", "wigan_deal"])
def test_census_reporters_equal_the_numpy_ones_bit_for_bit(scenario: str) -> None:
    s = load_scenario(scenario).with_overrides({"citizens": 600, "neighbourhoods": 4})
    model = CoCreationModel(s, rng=11)
    checked = 0
    for week in range(WEEKS + 1):
        if week:
            model.step()
        hood, quint = _reference_group_rows(model.world, model.quintile_sizes, model.week)
        assert np.array_equal(model._hood_rows[-1], hood), (scenario, week)
        assert np.array_equal(model._quintile_rows[-1], quint), (scenario, week)
        for name, value in _reference_reporters(model).items():
            assert _bits(model.metrics[name]) == _bits(value), (scenario, week, name)
            checked += 1
    # the survey figures moved during the run, so the comparison was not of zeros
    assert model.metrics["civic_participation_12m"] > 0.0
    assert model.metrics["volunteers"] > 0
    assert checked > 0


def test_group_rows_and_compute_take_their_own_census() -> None:
    """Called without a census (the dashboard, calibration), they give the same rows."""
    s = load_scenario("wigan_deal").with_overrides({"citizens": 400, "neighbourhoods": 3})
    model = CoCreationModel(s, rng=2)
    model.run_for(8)
    hood, quint = reporters.group_rows(model.world, model.quintile_sizes, model.week)
    assert np.array_equal(hood, model._hood_rows[-1])
    assert np.array_equal(quint, model._quintile_rows[-1])
    again = reporters.compute(
        model.world, model.params, model.policy, model.tallies, quint, model.quintile_sizes, 8
    )
    assert [_bits(again[k]) for k in again] == [_bits(model.metrics[k]) for k in again]


def _arrays(seed: int):
    """Random arrays of many lengths: continuous, tied, all zero, mostly zero, rounded."""
    rng = np.random.default_rng(seed)
    lengths = [1, 2, 3, 7, 8, 9, 15, 16, 17, 127, 128, 129, 255, 256, 257, 1000, 4099, 70_001]
    lengths += [int(k) for k in rng.integers(1, 3000, 40)]
    for k, n in enumerate(lengths):
        kind = k % 5
        if kind == 0:
            a = rng.random(n) * 10.0 ** rng.integers(-4, 4, n)
        elif kind == 1:
            a = rng.integers(0, 4, n).astype(float)
        elif kind == 2:
            a = np.zeros(n)
        elif kind == 3:
            a = rng.random(n) * (rng.random(n) < 0.1)
        else:
            a = np.round(rng.random(n), 2)
        yield a, rng.random(n) * (rng.random(n) < 0.5), float(rng.random())


@pytest.mark.parametrize("seed", [0, 1])
def test_compiled_helpers_equal_numpy(seed: int) -> None:
    for a, unmet, q in _arrays(seed):
        assert _bits(census.pairwise_sum(a)) == _bits(a.sum()), len(a)
        assert _bits(census.pairwise_sum(a * unmet)) == _bits((a * unmet).sum()), len(a)
        for p in (q, 0.0, 0.5, 0.8, 1.0 - 1.0 / QUINTILES, 1.0):
            assert _bits(census.quantile(a, p)) == _bits(np.quantile(a, p)), (len(a), p)
        assert _bits(reporters.neediest_unmet_share(a, unmet)) == _bits(
            _reference_neediest_unmet_share(a, unmet)
        ), len(a)
        positive = census.positives(a * unmet)
        assert np.array_equal(positive, (a * unmet)[a * unmet > 0.0]), len(a)
        for values in (a, a * unmet, -a):
            assert _bits(reporters.top_share(values)) == _bits(_reference_top_share(values))
