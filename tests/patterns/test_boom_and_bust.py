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
import pytest

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


@pytest.mark.xfail(
    reason="issue 12: the overloaded deal busts without a boom because recruitment is "
    "capped by the arenas' gaps in hands, (need - hours) / (hours per member x "
    "expectation): asking each volunteer 2.5 times the hours means arenas seek 2.5 times "
    "fewer hands, so wigan_overload recruits nobody while the status quo fills its "
    "arenas (seed 0, 3,000 citizens: 935 volunteers at the start, 926 against 1,100 after "
    "a quarter; at expectation 1, 1,266). The same cap makes outreach do nothing in "
    "the first year (volunteer_support no longer lowers recruitment: 7.3); the "
    "deal's call to every citizen adds load on the willing few but no invitation",
    strict=True,
)
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
