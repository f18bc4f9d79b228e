"""Pattern 7, J-curve: co-creation costs more at first and pays back later; a leader who
pulls back early gets the cost without the return (seed 002, "work slowly to work
fast"; Wigan: Naylor & Wellings 2019).

Net cost is compared week by week with ``austerity`` on the same seeds: the status quo
under the same cuts, the Deal's counterfactual (the Wigan Deal runs under the cuts it
answered since issue 11). The return of co-creation is public value and trust as well as
money: a council that pulls back early spends less later, but it has paid the early cost
and forgoes most of the value and trust the patient council gains.

Without cuts the Deal does not pay back in money within ten years (against ``baseline``):
prevention is bounded (``prevention_effect``), so its savings are the unmet need and acute
care that austerity causes and the Deal avoids, not lower need. Two parts of the pattern do
not hold as the mechanisms stand, and are marked below: the bottom of the J comes at four
and a half to five years, and since issue 12's smooth strain the Deal does not pay back
within ten years. The hasty council, which kept most of the trust gain while silo bridging
acted on every contact, now forgoes it (issue 12).
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import SEEDS

YEARS = 10
COUNTERFACTUAL = "austerity"  # the status quo under the Deal's cuts


def extra_cost(sim, seed: int, **params) -> np.ndarray:
    """Cumulative net cost of the Wigan Deal minus austerity's, week by week (GBP)."""
    deal = sim("wigan_deal", seed, YEARS, **params)
    base = sim(COUNTERFACTUAL, seed, YEARS)
    return np.cumsum(deal.net_cost.to_numpy() - base.net_cost.to_numpy())


@pytest.mark.xfail(
    reason="issue 12: with smooth strain neither austerity nor the Deal collapses (before, "
    "both ran staff to full strain and austerity's service quality fell to 0.23), so the "
    "failure demand the Deal avoids is smaller: it still costs more at first and its last "
    "year is cheaper, but over ten years it costs about GBP 1m more at 3,000 citizens; "
    "where the Deal's savings come from is left open (issue 12 closing note)",
    strict=True,
)
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
    # The cumulative extra cost peaks after half a year, then falls below zero.
    assert 26 <= int(np.argmax(cumulative))


@pytest.mark.xfail(
    reason="issue 11: against austerity the bottom of the J comes at 4.6 to 5.1 years "
    "(weeks 238, 265 and 267 on seeds 0-2): the Deal's savings are the failure demand "
    "austerity builds up, which takes the cuts about five years",
    strict=False,
)
@pytest.mark.parametrize("seed", SEEDS)
def test_the_bottom_of_the_j_comes_within_five_years(sim, seed: int) -> None:
    assert int(np.argmax(extra_cost(sim, seed))) <= 5 * 52


@pytest.mark.parametrize("seed", SEEDS)
def test_pulling_back_early_gets_cost_without_return(sim, seed: int) -> None:
    hasty_params = {"political_patience": 52.0, "evaluation_culture": 0.0}
    patient = sim("wigan_deal", seed, YEARS)
    hasty = sim("wigan_deal", seed, YEARS, **hasty_params)
    base = sim(COUNTERFACTUAL, seed, YEARS)
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
