"""Dark side, co-destruction of public value (Steen, Brandsen & Verschuere 2018): overload
destroys value.

``wigan_overload`` (the Wigan Deal with unrealistic expectations, little support and no
learning) produces less public value than the Wigan Deal once its boom has peaked (the
week its participation, smoothed over a quarter, is highest; burnouts run from the first
year and keep rising as the cuts bite, so they have no single peak to wait for), and
destroys more over the run (``value_destroyed``: exhausted volunteers' worse work,
closed groups, unmet need), on every seed. Hours beyond what an arena needs add little
(``oversupply_return``), and exhaustion lowers the worth of the work (Salyers et al. 2017),
so the overload's extra hours are not extra value.

Not asserted: that overload loses value from the first year. Its boom (pattern 4) still
brings more hours into groups that were short of them.
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import SEEDS

YEARS = 10
WINDOW = 13  # weeks: a quarter smooths weekly noise


@pytest.mark.parametrize("seed", SEEDS)
def test_overload_produces_less_and_destroys_more(sim, seed: int) -> None:
    over = sim("wigan_overload", seed, YEARS)
    deal = sim("wigan_deal", seed, YEARS)
    assert over.burnouts.sum() > 5 * deal.burnouts.sum() + 10, "no burnout wave to compare"
    participation = np.convolve(over.participation_rate, np.ones(WINDOW) / WINDOW, mode="valid")
    boom = int(np.argmax(participation)) + WINDOW  # the week the boom has peaked
    assert boom < len(over) - 2 * 52, f"the boom peaks too late to compare: {boom}"
    after_over = float(over.public_value.iloc[boom:].mean())
    after_deal = float(deal.public_value.iloc[boom:].mean())
    assert after_over < after_deal, (boom, after_over, after_deal)
    assert over.value_destroyed.mean() > deal.value_destroyed.mean(), (
        over.value_destroyed.mean(),
        deal.value_destroyed.mean(),
    )
