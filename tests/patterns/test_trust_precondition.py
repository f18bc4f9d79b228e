"""Pattern 6, trust as a precondition: the same deal succeeds from a high-trust start and
stalls from a low-trust one (seed 002, Wigan: "Forutsetter høy tillit", the deal
presupposes high trust).

``wigan_handover`` (the Wigan Deal handing services to communities), launched amid
budget cuts as the Deal was, is run from a high (0.7) and a low (0.25) initial trust,
each against the baseline strategy under the same cuts and from the same start. Where trust is low,
citizens turn the invitation down (the trust gate), too few step in for the withdrawn
services, and the deal's trust dividend stalls.
"""

from __future__ import annotations

import pytest

from .conftest import SEEDS

YEARS = 5
CUTS = {"budget_pressure": 0.08}


def outcome(sim, seed: int, trust: float) -> tuple[float, float]:
    """The deal's trust dividend over the baseline at the end, and its service quality."""
    deal = sim("wigan_handover", seed, YEARS, initial_trust=trust, **CUTS)
    base = sim("baseline", seed, YEARS, initial_trust=trust, **CUTS)
    dividend = float(deal.mean_trust.iloc[-13:].mean() - base.mean_trust.iloc[-13:].mean())
    return dividend, float(deal.service_quality.iloc[-13:].mean())


@pytest.mark.xfail(
    reason="issue 11 -> issue 12: volunteers now co-produce only part of each sector's need "
    "and complement professionals, so handing a service hour over per volunteer hour "
    "loses trust from any start (dividend about -0.2). The Wigan Deal itself does not "
    "stall from low trust either: trust converges to what experience sets, whatever the "
    "start (issue 11: dividend 0.33 from 0.25, 0.28 from 0.7, mostly silo bridging on "
    "every contact; since issue 12 silo bridging acts only on complex contacts and the "
    "start sets only initial evidence, not the lasting disposition, and the cause of the "
    "remaining failure is to be traced again)",
    strict=True,
)
@pytest.mark.parametrize("seed", SEEDS)
def test_deal_needs_trust_to_start(sim, seed: int) -> None:
    high_dividend, high_quality = outcome(sim, seed, 0.7)
    low_dividend, low_quality = outcome(sim, seed, 0.25)
    # From high trust the deal pays a clear trust dividend (at least 0.1 on 0-1)...
    assert high_dividend >= 0.1, high_dividend
    # ...from low trust it stalls: less than 60% of that dividend...
    assert low_dividend < 0.6 * high_dividend, (low_dividend, high_dividend)
    # ...because too few step in: services handed over fall at least 5 points lower.
    assert low_quality < high_quality - 0.05, (low_quality, high_quality)
