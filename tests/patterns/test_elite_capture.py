"""Dark side, reinforced inequalities and loss of democracy (Steen, Brandsen & Verschuere
2018; MODEL.md pattern 2): opt-in arenas without outreach widen the gaps.

``dark_elite_capture`` (opt-in arenas with few places, no outreach, no anchors, an open-call
fund) is compared with the same strategy with outreach: the co-creation base's outreach,
targeting and anchors, and the fund targeted per capita. Over the last year, capture widens
the quintile gap (top minus bottom) and the ward gap (highest minus lowest) in participation
and in wellbeing, on every seed.
"""

from __future__ import annotations

import pytest

from .conftest import SEEDS

YEARS = 8
LAST_YEAR = 52
WITH_OUTREACH = {
    "outreach": 0.5,
    "outreach_targeting": 0.5,
    "anchor_institutions": 0.3,
    "fund_targeting": 0.5,
}


def gaps(sim, seed: int, **overrides: float) -> dict[str, float]:
    """Quintile and ward gaps in participation and wellbeing, last-year means."""
    ts = sim("dark_elite_capture", seed, YEARS, **overrides).iloc[-LAST_YEAR:]
    return {
        "participation, quintiles": float((ts.participation_q5 - ts.participation_q1).mean()),
        "participation, wards": float(ts.ward_participation_gap.mean()),
        "wellbeing, quintiles": float(ts.wellbeing_gap_q5_q1.mean()),
        "wellbeing, wards": float(ts.ward_wellbeing_gap.mean()),
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_capture_widens_quintile_and_ward_gaps(sim, seed: int) -> None:
    captured = gaps(sim, seed)
    reached = gaps(sim, seed, **WITH_OUTREACH)
    wider = {k: captured[k] > reached[k] for k in captured}
    assert all(wider.values()), {k: (captured[k], reached[k]) for k in captured}
