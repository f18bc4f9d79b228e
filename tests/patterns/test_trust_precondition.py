"""Pattern 6, trust as a precondition: the same deal succeeds from a high-trust start and
stalls from a low-trust one (seed 002, Wigan: "Forutsetter høy tillit: Modellen krever
stor tillit mellom kommunen og innbyggerne. Der hvor denne tilliten er svak, har det vært
vanskeligere å få til samarbeidet": the deal presupposes high trust; where that trust is
weak, collaboration has been harder to achieve).

The Wigan Deal itself, launched amid budget cuts as it was, is run in a high-trust and in
a low-trust place, each against the baseline strategy under the same cuts in the same
place. A place's trust is lasting: its residents' disposition to trust
(``trust_disposition``) and their trust at the start (``initial_trust``) are both 0.7, or
both 0.25. Since issue 12 trust returns to the disposition without news (docs/odd.md,
7.8), so a low start alone is a place that had a bad year, not a low-trust place.

What seed 002 says stalls is the collaboration: where trust is low, residents turn the
invitation down (``trust_gate``) and fewer step in. It is read as a survey would
(``civic_participation_12m``) and as the hours residents give (``volunteer_hours``). The
test's stall criterion is the one this pattern has always used: less than 60% of the
high-trust place's gain. That the deal's trust dividend stalls too is this test's older
reading; the model does not reproduce it, and it is kept below as a strict ``xfail`` with
its traced cause rather than dropped.
"""

from __future__ import annotations

import pandas as pd
import pytest

from .conftest import SEEDS

YEARS = 5
CUTS = {"budget_pressure": 0.08}
HIGH, LOW = 0.7, 0.25
STALL = 0.6  # a stalled gain is less than this share of the high-trust place's


def gains(sim, seed: int, trust: float) -> pd.Series:
    """The deal's gain over the baseline in the place's last quarter, reporter by reporter."""
    place = {"initial_trust": trust, "trust_disposition": trust, **CUTS}
    deal = sim("wigan_deal", seed, YEARS, **place)
    base = sim("baseline", seed, YEARS, **place)
    return deal.iloc[-13:].mean() - base.iloc[-13:].mean()


@pytest.mark.parametrize("seed", SEEDS)
def test_collaboration_needs_trust(sim, seed: int) -> None:
    high, low = gains(sim, seed, HIGH), gains(sim, seed, LOW)
    # In a high-trust place the deal succeeds: at least 10 more adults in a hundred say
    # they took part in the last year, and residents give more hours.
    assert high.civic_participation_12m >= 0.1, high.civic_participation_12m
    assert high.volunteer_hours > 0.0, high.volunteer_hours
    # In a low-trust place the collaboration stalls: less than 60% of either gain.
    for column in ("civic_participation_12m", "volunteer_hours"):
        assert low[column] < STALL * high[column], (column, low[column], high[column])


@pytest.mark.xfail(
    reason="issue 12, traced (docs/odd.md 1.2; 3,000 citizens, five years, seeds 0-9): the "
    "Wigan Deal's trust dividend is 0.041-0.045 in the high-trust place and 0.035-0.039 in "
    "the low-trust one (84-86% of it), because it comes from what the council does, not "
    "from the citizens: joined-up services (silo bridging) need no trust, and kept promises"
    " are credited only above the trust gate but move a low-trust citizen further (a beta "
    "reputation moves in proportion to 1 - trust). On the survey's 0-10 reading the low-"
    "trust place's gain in high trust is even larger (91-132%), as more of its residents "
    "sit just below an answer of 6",
    strict=True,
)
@pytest.mark.parametrize("seed", SEEDS)
def test_trust_dividend_stalls_too(sim, seed: int) -> None:
    high, low = gains(sim, seed, HIGH), gains(sim, seed, LOW)
    assert high.mean_trust > 0.0, high.mean_trust
    assert low.mean_trust < STALL * high.mean_trust, (low.mean_trust, high.mean_trust)
