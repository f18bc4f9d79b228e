"""Full-size variants of the pattern tests (opt-in: ``pytest --runslow``).

The default pattern suite runs 3,000 citizens; these run the small-town preset at its
full 20,000 citizens to show the patterns do not depend on the reduced population.
"""

from __future__ import annotations

import numpy as np
import pytest

from . import test_boom_and_bust as boom
from . import test_j_curve as jcurve
from .conftest import simulate

FULL = 20_000
SEEDS = (0, 1)


@pytest.mark.slow
def test_boom_and_bust_full_size() -> None:
    def sim(name, seed, years, **params):
        return simulate(name, seed, years, citizens=FULL, **params)

    runs = [
        (
            boom.smooth(sim("wigan_overload", s, boom.YEARS).participation_rate)
            - boom.smooth(sim("baseline", s, boom.YEARS).participation_rate),
            boom.smooth(sim("wigan_overload", s, boom.YEARS).burnouts),
        )
        for s in SEEDS
    ]
    diff = np.mean([d for d, _ in runs], axis=0)
    burnouts = np.mean([b for _, b in runs], axis=0)
    first = int(np.argmax(diff[:52]))
    bust = first + int(np.argmin(diff[first:]))
    assert diff[first] >= 0.02 and diff[bust] <= -0.02
    assert first < int(np.argmax(burnouts)) < bust


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_j_curve_full_size(seed: int) -> None:
    def sim(name, s, years, **params):
        return simulate(name, s, years, citizens=FULL, **params)

    cumulative = jcurve.extra_cost(sim, seed)
    assert cumulative[51] > 0.0 and cumulative[-1] < 0.0
    assert 26 <= int(np.argmax(cumulative)) <= 5 * 52
