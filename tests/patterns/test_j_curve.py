"""Pattern 7, J-curve: co-creation costs more at first and pays back later; a leader who
pulls back early gets the cost without the return (seed 002, "work slowly to work
fast"; Wigan: Naylor & Wellings 2019).

Net cost is compared week by week with ``austerity`` on the same seeds: the status quo
under the same cuts, the Deal's counterfactual (the Wigan Deal runs under the cuts it
answered since issue 11). The return of co-creation is public value and trust as well as
money: a council that pulls back early spends less later, but it has paid the early cost
and forgoes most of the value and trust the patient council gains.

Without cuts the Deal does not pay back in money within ten years (against ``baseline``):
prevention is bounded (``prevention_effect``). Against austerity its savings are the staff
its different conversations need not hire, since they connect the co-producible part of
care need to community support (``asset_based_assessment``; Naylor & Wellings 2019), and
the unmet need and acute care that austerity causes and the Deal avoids. Two parts of the
pattern do not hold as the mechanisms stand, and are marked below: the bottom of the J
comes at eight years or later, and the Deal does not pay back within ten years, because its
programme costs more than all that austerity's cuts leave to save. The hasty council, which
kept most of the trust gain while silo bridging acted on every contact, now forgoes it
(issue 12).

Where Wigan's savings came from (issue 12): about 40% of its budget was cut and a fifth of
its staff went, as in any council under the cuts (``austerity`` here); Naylor & Wellings
2019, "not a formal evaluation", credit the Deal with protecting or improving outcomes
while the savings were made, and say they need upfront investment. Adult social care went
from a projected GBP 6.9m overspend (2011) to a balanced budget by 2017/18 through
asset-based "different conversations" (Wigan Council 2017), which the model now has. The
council reported the Deal's cost as its Community Investment Fund, GBP 7.5m to 10m over
five years (Hall, LGC c. 2017; Naylor & Wellings 2019): here ``community_fund`` (7.7 a
citizen a year). The model's Deal also pays volunteer support (``support_cost``, GBP 3 a
volunteer a week at full support, inside the GBP 1-5 that VIVA's returns imply, Gaskin
2011) on every volunteer, and coordination across silos (``coordination_share``, no
source for its size); together they are seven times the fund. ``experiments/payback.py``
maps where in their plausible ranges, and those of the savings, the Deal pays back.
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
    reason="issue 12: the Deal's different conversations (asset_based_assessment) connect "
    "co-producible care need to community support, so it needs fewer staff while the "
    "budget does not bind (GBP 0.20-0.26m, nearly all in its first four years) and avoids"
    " nearly all the acute care austerity buys (GBP 0.54-0.81m over ten years); it costs "
    "more at first and its last year is cheaper on seeds 0-2, but over ten years it still"
    " costs GBP 0.79-1.11m more at 3,000 citizens (seeds 0-2; 1.02-1.22m on seeds 3-5 "
    "before the seventh session, and seed 5's last year is dearer). Its programme costs "
    "GBP 1.8m more than austerity's (volunteer support 1.0m, coordination 0.6m, fund "
    "0.23m), more than all the cuts leave to save, since from year four both councils "
    "spend the capped budget on staff. Support and coordination costs are assumptions "
    "(support_cost, coordination_share); Wigan reported its fund as the Deal's cost, and "
    "Naylor & Wellings 2019 do not separate the Deal's savings from the cuts. Run on for "
    "twenty years (sixth session), the J is there but longer: the extra cost peaks in "
    "weeks 416-468 and the Deal pays back after 12.6, 13.4 and 13.7 years (seeds 0-2), "
    "saving GBP 1.0-1.5m a year in years 14-17, when austerity's staff tip into "
    "self-escalating overload (seed 0: strain 0.93 and service quality 0.36 in year 14) "
    "while the Deal's hold until about year 20; the cuts then run on well past the eight "
    "years they stand for. experiments/payback.py (Latin hypercube over support_cost, "
    "coordination_share, acute_cost_factor and prevention_effect in their plausible "
    "ranges, 48 samples, seeds 0-2): it pays back on the seed mean in 5 samples, each by "
    "under GBP 0.09m and with acute care at 1.68 or more times a frontline hour, and on "
    "every seed in none (on seeds 3-5: none on their mean)",
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
    reason="issue 11 -> issue 12: against austerity the bottom of the J comes at eight to "
    "nine years (weeks 416, 464 and 468 on seeds 0-2; 448, 498 and 520 before the "
    "different conversations): the Deal's savings after its first four years are the "
    "acute care austerity buys for unmet need, which the cuts build up from year five",
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
