"""Pattern 6, trust as a precondition: the same deal succeeds from a high-trust start and
stalls from a low-trust one (seed 002, Wigan: the deal needs high trust; seed 001).

The Wigan Deal is run from a high (0.7) and a low (0.25) initial trust, each against the
baseline strategy from the same start.
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import SEEDS

YEARS = 5

NOT_YET = pytest.mark.xfail(
    strict=True,
    reason="pattern not yet reproduced: under the default deal, trust and participation "
    "converge to the same level from a low and a high start (responsiveness, kept "
    "promises and services outweigh the low-trust start); needs a lock-in mechanism, "
    "see the note on issue 3",
)


def gain(sim, seed: int, trust: float) -> float:
    """Mean participation gain of the deal over the baseline in the last year."""
    deal = sim("wigan_deal", seed, YEARS, initial_trust=trust)
    base = sim("baseline", seed, YEARS, initial_trust=trust)
    return float((deal.participation_rate - base.participation_rate).iloc[-52:].mean())


@NOT_YET
@pytest.mark.parametrize("seed", SEEDS)
def test_deal_needs_trust_to_start(sim, seed: int) -> None:
    high = gain(sim, seed, 0.7)
    low = gain(sim, seed, 0.25)
    # The deal works from high trust: at least 5 points more participation...
    assert high >= 0.05, high
    # ...and from low trust it delivers less than half of that.
    assert low < 0.5 * high, (low, high)


@NOT_YET
def test_low_trust_deal_stalls_in_trust(sim) -> None:
    """From low trust the deal does not lift trust as it does from high trust."""
    lifts = []
    for seed in SEEDS:
        for trust in (0.7, 0.25):
            run = sim("wigan_deal", seed, YEARS, initial_trust=trust)
            lifts.append((trust, run.mean_trust.iloc[-1] - run.mean_trust.iloc[0]))
    high = np.mean([lift for t, lift in lifts if t == 0.7])
    low = np.mean([lift for t, lift in lifts if t == 0.25])
    assert high > low, (high, low)
