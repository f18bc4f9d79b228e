"""Dark side, responsibility shifted without support: "deliberate rejection of responsibility"
and "implicit demands" (Steen, Brandsen & Verschuere 2018; seed 004).

``dark_responsibility_shift`` (a Wigan-style deal used to withdraw services, with no support
for volunteers) raises the least-resourced quintile's unmet need and lowers its wellbeing,
against the Wigan Deal (the same cuts, the same deal, no withdrawal) and against the status
quo, on every seed: more of its need is unmet over the run (the harm panel's
``q1_unmet_need_share``), and its wellbeing over the last year is lower. Volunteers
co-produce only part of each sector's need and complement rather than replace professionals,
and the better-off replace a shortfall privately, so the withdrawn service falls on those
least able to carry it (sim/phases/public_value.py).
"""

from __future__ import annotations

import pytest

from .conftest import SEEDS

YEARS = 10
LAST_YEAR = 52
UNMET_MARGIN = 0.05  # share of need: the shift leaves at least 5 points more unmet
WELLBEING_MARGIN = 0.02  # score: and the least resourced at least 0.02 worse off


def late(sim, name: str, seed: int, column: str) -> float:
    """Mean of a reporter over the last year of a run."""
    return float(sim(name, seed, YEARS)[column].iloc[-LAST_YEAR:].mean())


def over_the_run(sim, name: str, seed: int, column: str) -> float:
    """Mean of a reporter over the whole run."""
    return float(sim(name, seed, YEARS)[column].mean())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("other", ["wigan_deal", "baseline"])
def test_shift_leaves_the_least_resourced_worse_off(sim, seed: int, other: str) -> None:
    shifted = "dark_responsibility_shift"
    unmet = over_the_run(sim, shifted, seed, "unmet_need_share_q1")
    unmet_other = over_the_run(sim, other, seed, "unmet_need_share_q1")
    assert unmet >= unmet_other + UNMET_MARGIN, (unmet, unmet_other)
    wellbeing = late(sim, shifted, seed, "wellbeing_q1")
    wellbeing_other = late(sim, other, seed, "wellbeing_q1")
    assert wellbeing <= wellbeing_other - WELLBEING_MARGIN, (wellbeing, wellbeing_other)
