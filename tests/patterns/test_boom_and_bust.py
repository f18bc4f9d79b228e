"""Pattern 4, overload boom and bust: raising expectations on volunteers without support
raises participation at first, then burnout and dropout bring it below the baseline,
with burnouts peaking in between (seed 002, Wigan pitfall: volunteer overload).

``wigan_overload`` (the Wigan Deal with unrealistic expectations, little support and no
learning) is compared with ``baseline`` on the same seeds (common random numbers). The
pattern is asserted on the mean over seeds, where single runs are noisy; the boom and
the burnout wave are asserted in every seed.
"""

from __future__ import annotations

import numpy as np

from .conftest import SEEDS

YEARS = 8
WINDOW = 13  # weeks: a quarter smooths weekly noise


def smooth(x) -> np.ndarray:
    return np.convolve(np.asarray(x, dtype=float), np.ones(WINDOW) / WINDOW, mode="valid")


def trajectories(sim, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Participation above the baseline, and burnouts, both smoothed over a quarter."""
    over = sim("wigan_overload", seed, YEARS)
    base = sim("baseline", seed, YEARS)
    return smooth(over.participation_rate) - smooth(base.participation_rate), smooth(over.burnouts)


def test_boom_then_bust_with_burnouts_in_between(sim) -> None:
    runs = [trajectories(sim, seed) for seed in SEEDS]
    for diff, burnouts in runs:
        # Every seed booms (2 points above the baseline within the first year), and its
        # burnouts peak after the boom.
        boom = int(np.argmax(diff[:52]))
        assert diff[boom] >= 0.02, diff[boom]
        assert int(np.argmax(burnouts)) > boom
    diff = np.mean([d for d, _ in runs], axis=0)
    burnouts = np.mean([b for _, b in runs], axis=0)
    boom = int(np.argmax(diff[:52]))
    bust = boom + int(np.argmin(diff[boom:]))
    peak = int(np.argmax(burnouts))
    # On average: a boom of at least 2 points, then a bust at least 2 points below the
    # baseline, still below at the end, with burnouts peaking in between.
    assert diff[boom] >= 0.02, diff[boom]
    assert diff[bust] <= -0.02, diff[bust]
    assert diff[-1] < 0.0, diff[-1]
    assert boom < peak < bust, (boom, peak, bust)
