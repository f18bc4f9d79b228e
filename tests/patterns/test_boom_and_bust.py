"""Pattern 4, overload boom and bust: raising expectations on volunteers without support
raises participation at first, then burnout and dropout bring it below the baseline,
with burnouts peaking in between (seed 002, Wigan pitfall: volunteer overload).

``wigan_overload`` (the Wigan Deal with unrealistic expectations, little support and no
learning) is compared with ``baseline`` on the same seeds (common random numbers).
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import SEEDS

YEARS = 8
WINDOW = 13  # weeks: a quarter smooths weekly noise


def smooth(x) -> np.ndarray:
    return np.convolve(np.asarray(x, dtype=float), np.ones(WINDOW) / WINDOW, mode="valid")


@pytest.mark.parametrize("seed", SEEDS)
def test_boom_then_bust_with_burnouts_in_between(sim, seed: int) -> None:
    over = sim("wigan_overload", seed, YEARS)
    base = sim("baseline", seed, YEARS)
    diff = smooth(over.participation_rate) - smooth(base.participation_rate)
    burnouts = smooth(over.burnouts)
    boom = int(np.argmax(diff[:52]))
    bust = boom + int(np.argmin(diff[boom:]))
    peak = int(np.argmax(burnouts))
    # Boom: at least 2 points above the baseline within the first year.
    assert diff[boom] >= 0.02, diff[boom]
    # Bust: at least 2 points below the baseline later on, and still below at the end.
    assert diff[bust] <= -0.02, diff[bust]
    assert diff[-1] < 0.0, diff[-1]
    # Burnouts peak after the boom and before the bottom of the bust.
    assert boom < peak < bust, (boom, peak, bust)
