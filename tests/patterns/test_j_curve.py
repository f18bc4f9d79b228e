"""Pattern 7, J-curve: co-creation costs more at first and pays back later; a leader who
pulls back early gets the cost without the return (seed 002, "work slowly to work
fast"; Wigan: Naylor & Wellings 2019).

Net cost is compared week by week with ``austerity`` on the same seeds: the status quo
under the same cuts, the Deal's counterfactual (the Wigan Deal runs under the cuts it
answered since issue 11). The return of co-creation is public value and trust as well as
money: a council that pulls back early spends less later, but it has paid the early cost
and forgoes most of the value and trust the patient council gains.

Without cuts the Deal does not pay back in money within ten years (against ``baseline``):
prevention is bounded (``prevention_effect``). Against austerity its savings are the acute
care austerity buys for the unmet need its cuts build up from about year five, which the
Deal's different conversations (``asset_based_assessment``; Naylor & Wellings 2019) keep
met by connecting the co-producible part of care need to community support.

Where Wigan's savings came from (issue 12): about 40% of its budget was cut and a fifth of
its staff went, as in any council under the cuts (``austerity`` here); Naylor & Wellings
2019, "not a formal evaluation", credit the Deal with protecting or improving outcomes
while the savings were made, and say they need upfront investment. Adult social care went
from a projected GBP 6.9m overspend (2011) to a balanced budget by 2017/18 through
asset-based "different conversations" (Wigan Council 2017), which took years to embed
(all 4,500 frontline staff trained, Hall 2016): here they follow the lever with a lag
(``assessment_embedding``). The council reported the Deal's cost as its Community
Investment Fund, GBP 7.5m to 10m over five years (Hall, LGC c. 2017; Naylor & Wellings
2019): here ``community_fund`` (7.7 a citizen a year). Volunteer support (``support_cost``)
and coordination across silos (``coordination_share``) are professionals' time, as Wigan's
staff changed how they worked, not money on top: they cost service hours. Until the
eighth session of issue 12 they were bought on top, seven times the fund, and the Deal did
not pay back within ten years (docs/odd.md, 1.2).
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
    reason="issue 11 -> issue 12: against austerity the bottom of the J comes at five to "
    "seven years (weeks 260, 312 and 312 on seeds 0-2; 312, 312 and 364 on seeds 3-5; "
    "3,000 citizens): the Deal's savings are the acute care austerity buys for the unmet "
    "need its cuts build up from year five, and its different conversations take years to "
    "embed (assessment_embedding)",
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
