"""Professionals (issue 12): rules and targets act through their own mechanisms, and strain
responds smoothly to the hours asked of staff.

Bureaucracy and New Public Management differ where the literature says they do (Hood
1991; Bevan & Hood 2006; Lipsky 1980; Koning & Heinrich 2013): targets crowd out the
facilitation they do not count, and serve easy cases first, so the shortfall falls on the
neediest. Strain is a stock that settles at a level the load sets and tips into
self-escalation only past a tipping point (Rudolph & Repenning 2002), so a modest change in
the hours asked of staff moves strain and service quality by a modest amount.
"""

from __future__ import annotations

import pytest

from .conftest import SEEDS

YEARS = 5
LATE = 52
"""Weeks at the end of a run over which outcomes are averaged."""

CO_CREATING = {"logic_cocreation": 0.5}
"""NPM's small town with co-creation asked of staff, so there are facilitation hours to
crowd out."""

SHORT_STAFFED = {**CO_CREATING, "professionals_per_1000": 9.0}
"""The same with a quarter fewer staff, so that both logics leave need unmet and the test can
see whom it falls on. (Facilitation is compared at full staffing: short of hours, an
overloaded professional cuts facilitation first under either logic, so the comparison
would be of overload, not of crowding out.)"""

RULES = {"logic_bureaucracy": 1.0, "logic_npm": 0.0}
TARGETS = {"logic_bureaucracy": 0.0, "logic_npm": 1.0}


@pytest.mark.parametrize("seed", SEEDS)
def test_targets_crowd_out_facilitation(sim, seed: int) -> None:
    """Same scenario, only the logic weights swapped (their sum is the same, so the same
    slice of hours goes to procedure or to measurement): targets give fewer facilitation
    hours (Bevan & Hood 2006, what's measured is what matters)."""
    rules = sim("npm", seed, YEARS, **CO_CREATING, **RULES).iloc[-LATE:]
    targets = sim("npm", seed, YEARS, **CO_CREATING, **TARGETS).iloc[-LATE:]
    facilitation = (rules.cocreation_hours_share.mean(), targets.cocreation_hours_share.mean())
    assert facilitation[0] > 0.0, facilitation
    assert facilitation[1] < 0.8 * facilitation[0], facilitation


def concentration(run) -> float:
    """Unmet share of the neediest fifth's need over the unmet share of all need."""
    overall = run.unmet_demand.sum() / run.service_demand.sum()
    return run.neediest_unmet_share.mean() / overall


@pytest.mark.parametrize("seed", SEEDS)
def test_targets_leave_the_shortfall_to_the_neediest(sim, seed: int) -> None:
    """Short of staff under either logic: under rules every case is served alike; under
    targets easy cases come first, so the neediest fifth carries more of the shortfall
    (Lipsky 1980; Koning & Heinrich 2013)."""
    rules = sim("npm", seed, YEARS, **SHORT_STAFFED, **RULES).iloc[-LATE:]
    targets = sim("npm", seed, YEARS, **SHORT_STAFFED, **TARGETS).iloc[-LATE:]
    assert rules.unmet_demand.mean() > 0.0 and targets.unmet_demand.mean() > 0.0
    shares = (concentration(rules), concentration(targets))
    assert shares[1] > 1.1 * shares[0], shares


STANGE_SHARES = (0.1, 0.25)
"""Facilitation shares of staff time where Stange "Hjelpa" is tested: a light one, and the
scenario's own (0.25)."""


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("share", STANGE_SHARES)
def test_strain_responds_smoothly_to_facilitation_hours(sim, seed: int, share: float) -> None:
    """A tenth more facilitation hours moves strain and service quality a bounded amount.

    Bounds, chosen before measuring: strain (a 0-1 scale) moves by at most 0.1, a tenth of
    its scale for a tenth more of a sixth of the week; service quality moves by at most
    three times the relative change of the input (30%). A switch (strain from 0 to 1,
    quality halved) breaks both.
    """
    low = sim("stange_hjelpa", seed, YEARS, cocreation_staff_share=share).iloc[-LATE:]
    high = sim("stange_hjelpa", seed, YEARS, cocreation_staff_share=1.1 * share).iloc[-LATE:]
    strain = (low.professional_strain.mean(), high.professional_strain.mean())
    quality = (low.service_quality.mean(), high.service_quality.mean())
    assert abs(strain[1] - strain[0]) <= 0.1, strain
    assert abs(quality[1] - quality[0]) <= 0.3 * quality[0], quality


@pytest.mark.parametrize("seed", SEEDS)
def test_five_percent_fewer_staff_does_not_flip_stange(sim, seed: int) -> None:
    """Stange "Hjelpa" with 5% fewer professionals keeps most of its service quality."""
    staffed = sim("stange_hjelpa", seed, YEARS).iloc[-LATE:]
    fewer = sim("stange_hjelpa", seed, YEARS, professionals_per_1000=0.95 * 12.0).iloc[-LATE:]
    quality = (staffed.service_quality.mean(), fewer.service_quality.mean())
    strain = (staffed.professional_strain.mean(), fewer.professional_strain.mean())
    assert quality[1] >= 0.7 * quality[0], quality
    assert strain[1] - strain[0] <= 0.15, strain
