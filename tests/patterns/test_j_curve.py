"""Pattern 7, J-curve: co-creation costs more at first and pays back later; a leader who
pulls back early gets the cost without the return (seed 002, "work slowly to work
fast"; Wigan: Naylor & Wellings 2019).

Net cost is compared week by week with the baseline on the same seeds. The return of
co-creation is public value and trust as well as money: a council that pulls back
early spends less later, but it has paid the early cost and forgoes most of the value
and trust the patient council gains.
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import SEEDS

YEARS = 10


def extra_cost(sim, seed: int, **params) -> np.ndarray:
    """Cumulative net cost of the Wigan Deal minus the baseline's, week by week (GBP)."""
    deal = sim("wigan_deal", seed, YEARS, **params)
    base = sim("baseline", seed, YEARS)
    return np.cumsum(deal.net_cost.to_numpy() - base.net_cost.to_numpy())


@pytest.mark.parametrize("seed", SEEDS)
def test_costs_first_pays_back_later(sim, seed: int) -> None:
    cumulative = extra_cost(sim, seed)
    weekly = np.diff(cumulative, prepend=0.0)
    # Costs more at first: the first year's weeks are dearer than the baseline's.
    assert weekly[:52].mean() > 0.0
    assert cumulative[51] > 0.0
    # Pays back later: the last year is cheaper, and over ten years it saves money.
    assert weekly[-52:].mean() < 0.0
    assert cumulative[-1] < 0.0
    # The bottom of the J: the cumulative extra cost peaks after half a year and within
    # five years, then falls below zero.
    assert 26 <= int(np.argmax(cumulative)) <= 5 * 52


@pytest.mark.parametrize("seed", SEEDS)
def test_pulling_back_early_gets_cost_without_return(sim, seed: int) -> None:
    hasty_params = {"political_patience": 52.0, "evaluation_culture": 0.0}
    patient = sim("wigan_deal", seed, YEARS)
    hasty = sim("wigan_deal", seed, YEARS, **hasty_params)
    base = sim("baseline", seed, YEARS)
    assert hasty.pullbacks.iloc[-1] >= 1
    # It paid the early cost too: its first year costs more than the baseline's.
    assert extra_cost(sim, seed, **hasty_params)[51] > 0.0
    # But it forgoes most of the return. Over the last five years it keeps less than
    # half the patient council's gain over the baseline in trust and in participation
    # (the citizens' side of the deal), and less of its gain in co-produced value:
    # volunteers already recruited keep some of that going.
    late = slice(-5 * 52, None)

    def gain(run, column: str) -> float:
        return float((run[column] - base[column]).iloc[late].mean())

    for column in ("mean_trust", "participation_rate"):
        assert gain(patient, column) > 0.0, column
        assert gain(hasty, column) < 0.5 * gain(patient, column), column
    assert gain(hasty, "arena_value") < gain(patient, "arena_value")
