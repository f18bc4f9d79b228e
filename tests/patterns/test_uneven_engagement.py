"""Pattern 5, uneven engagement: wards that start with more resources engage more and
pull ahead unless investment is targeted (seed 002, Wigan pitfall: uneven engagement
across areas).

The Wigan Deal with an untargeted fund (an open call, which the better-resourced wards
claim most of: ``sim.state.fund_shares``) and untargeted outreach is compared with the
same deal targeted at deprivation (proportionate universalism, Marmot 2010). Engagement is the
share of a ward's residents in a volunteering role; the gradient is the slope of that
share on ward deprivation (negative: less deprived wards engage more).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import CoCreationModel
from sim.scenario import load_scenario

from .conftest import PATTERN_CITIZENS, SEEDS

YEARS = 6
COMMON = {"outreach": 1.0, "anchor_institutions": 0.8}  # the same investment in both
UNTARGETED = {"fund_targeting": 0.0, "outreach_targeting": 0.0, **COMMON}
TARGETED = {"fund_targeting": 1.0, "outreach_targeting": 1.0, **COMMON}


def gradient(overrides: dict, seed: int) -> tuple[float, float]:
    """Slope of ward engagement on ward deprivation in the first and the last year."""
    scenario = load_scenario("wigan_deal").with_overrides(
        {"citizens": PATTERN_CITIZENS, "neighbourhoods": 6, "segregation": 0.8, **overrides}
    )
    model = CoCreationModel(scenario, rng=seed)
    model.run_for(YEARS * 52)
    table = model.neighbourhood_table()
    table["engaged"] = table.volunteers / table.population

    def slope(first: int, last: int) -> float:
        year = table[(table.step >= first) & (table.step <= last)]
        by_ward = year.groupby("neighbourhood")[["deprivation", "engaged"]].mean()
        return float(np.polyfit(by_ward.deprivation, by_ward.engaged, 1)[0])

    return slope(1, 52), slope((YEARS - 1) * 52 + 1, YEARS * 52)


def test_richer_wards_engage_more_and_pull_ahead() -> None:
    runs = [gradient(UNTARGETED, seed) for seed in SEEDS]
    # Less deprived wards engage more from the first year, in every seed: from the least
    # to the most deprived ward at least 5 points fewer residents volunteer...
    for first, _ in runs:
        assert first < -0.05, first
    # ...and they pull ahead: on the mean over seeds the gradient is at least 10% steeper
    # in the last year. Six wards of 500 make single runs noisy: the gap widens most in
    # the second year, as the open call's new groups fill, and then some seeds' deprived
    # wards catch up: by year six the gradient is 21% to 77% steeper than in the first
    # year in seeds 0, 1, 3 and 4, but 13% and 26% flatter in seeds 2 and 5. The mean
    # over seeds 0-5 is 24% steeper, over 0-2 41%, over 3-5 only 8%: the widening is a
    # tendency, not a law (see the note on issue 3).
    first = float(np.mean([f for f, _ in runs]))
    last = float(np.mean([v for _, v in runs]))
    assert last < 1.1 * first, (first, last)


@pytest.mark.parametrize("seed", SEEDS)
def test_targeting_holds_the_wards_together_at_first(seed: int) -> None:
    untargeted, _ = gradient(UNTARGETED, seed)
    targeted, _ = gradient(TARGETED, seed)
    # The same investment aimed at deprivation keeps the first year's gradient at least a
    # fifth flatter than when it is spread per capita.
    assert targeted > 0.8 * untargeted, (untargeted, targeted)


def test_targeting_keeps_wards_together() -> None:
    """In the long run too: a targeted fund sets up its new groups where need is
    (:func:`sim.state.build_arenas`), so the deprived wards keep more arenas to join."""
    untargeted = np.mean([gradient(UNTARGETED, seed)[1] for seed in SEEDS])
    targeted = np.mean([gradient(TARGETED, seed)[1] for seed in SEEDS])
    # Targeting keeps the last year's gradient at least a quarter flatter (mean of seeds).
    assert targeted > 0.75 * untargeted, (untargeted, targeted)
