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
    reason="issue 12, traced (docs/odd.md 1.2; 3,000 citizens, seeds 0-2, five years): "
    "wigan_handover withdraws a service hour per volunteer hour (1.0, above the plausible "
    "0-0.5) while co-production complements professionals, so the more citizens step in "
    "the lower service quality falls (0.20-0.23 from 0.7, 0.29-0.33 from 0.25) and the "
    "dividend is -0.16 to -0.20 from either start; the Wigan Deal itself gives 0.049-0.051 "
    "from 0.7 and 0.042-0.044 from 0.25, a start relaxing to the lasting disposition; in a "
    "low-trust place its participation gain is 50-58% of a high-trust place's but its "
    "dividend 85-86%, as it comes from joined-up services and kept promises, not from "
    "citizens",
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
