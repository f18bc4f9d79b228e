"""Dark side, no free lunch: withdrawing services as citizens co-produce, with no support for
volunteers, never raises the least-resourced quintile's wellbeing (Steen, Brandsen &
Verschuere 2018, "deliberate rejection of responsibility"; Tudor Hart 1971).

A sweep of ``service_withdrawal`` on the Wigan Deal with ``volunteer_support`` 0: the bottom
quintile's wellbeing over the last year does not rise from one level to the next, on every
seed (within a noise tolerance).
"""

from __future__ import annotations

import pytest

from .conftest import SEEDS

YEARS = 10
LAST_YEAR = 52
LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)
TOLERANCE = 0.005  # score: common random numbers leave little noise between levels


@pytest.mark.parametrize("seed", SEEDS)
def test_withdrawal_never_raises_the_least_resourced_wellbeing(sim, seed: int) -> None:
    wellbeing = [
        float(
            sim("wigan_deal", seed, YEARS, service_withdrawal=level, volunteer_support=0.0)
            .wellbeing_q1.iloc[-LAST_YEAR:]
            .mean()
        )
        for level in LEVELS
    ]
    rises = [
        (LEVELS[k], LEVELS[k + 1])
        for k in range(len(LEVELS) - 1)
        if wellbeing[k + 1] > wellbeing[k] + TOLERANCE
    ]
    assert not rises, (rises, wellbeing)
    assert wellbeing[-1] < wellbeing[0], wellbeing
