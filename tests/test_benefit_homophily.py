"""Arena value reaches residents like the arena's members (``benefit_homophily``).

* Conservation: however it is split, each ward's arena value reaches its residents whole,
  summed over the resource quintiles, every week and for any share.
* The split (:func:`~sim.phases.public_value.reach_share`) is the ward's make-up at share 0
  and the members' make-up at share 1, and sums to one.
* Behaviour: when opt-in arenas are captured by the better-off (``dark_elite_capture``), a
  club-like share of their value leaves the least resourced with more need for services
  than a purely public one does, and the best resourced with less (Mansuri & Rao 2013).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.params import QUINTILES
from sim.core.scenario import load_scenario
from sim.model import CoCreationModel
from sim.phases.public_value import reach_share

SMALL = {"citizens": 600, "neighbourhoods": 4}


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_each_wards_value_reaches_its_residents_whole(share: float) -> None:
    scenario = load_scenario("wigan_deal").with_overrides({**SMALL, "benefit_homophily": share})
    model = CoCreationModel(scenario, rng=2)
    hd = model.world.hoods
    reached = 0
    for _ in range(30):
        model.step()
        np.testing.assert_allclose(hd.value_q.sum(axis=1), hd.value, rtol=1e-12, atol=1e-12)
        reached += int(hd.value.sum() > 0.0)
    assert reached > 0  # arenas did produce value to split
    assert np.array_equal(hd.population_q.sum(axis=1), hd.population)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0.0, 1.0),
    st.lists(st.integers(0, 30), min_size=QUINTILES, max_size=QUINTILES),
    st.lists(st.integers(1, 300), min_size=QUINTILES, max_size=QUINTILES),
)
def test_the_split_is_between_the_wards_and_the_members_make_up(
    share: float, members: list[int], residents: list[int]
) -> None:
    m, r = float(sum(members)), float(sum(residents))
    split = [reach_share(share, members[q], m, residents[q], r) for q in range(QUINTILES)]
    assert sum(split) == pytest.approx(1.0)
    for q in range(QUINTILES):
        public = residents[q] / r
        club = members[q] / m if m > 0 else public
        assert split[q] == pytest.approx(share * club + (1.0 - share) * public)


def _need_by_quintile(share: float, seed: int) -> np.ndarray:
    scenario = load_scenario("dark_elite_capture").with_overrides(
        {"citizens": 3000, "benefit_homophily": share}
    )
    model = CoCreationModel(scenario, rng=seed)
    model.run_for(5 * 52)
    c = model.world.citizens
    return np.bincount(c.quintile, c.need, QUINTILES) / np.bincount(c.quintile, None, QUINTILES)


@pytest.mark.parametrize("seed", [0, 1])
def test_captured_value_serves_the_better_off(seed: int) -> None:
    public, club = _need_by_quintile(0.0, seed), _need_by_quintile(1.0, seed)
    # Relative to a public good of the ward, a club good leaves the bottom quintile
    # needing more and the top quintile needing less.
    assert club[0] > public[0], (club, public)
    assert club[-1] < public[-1], (club, public)
