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

import itertools

import numpy as np
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
    # Political leaders hold the co-creation investment (no pull-back within the run):
    # otherwise each logic's impatient reviews halve it at their own times, and a last year
    # compares two, three or four halvings, not the logics (seed 2 had one fewer under
    # targets, and the two shares came out equal).
    steady = {**CO_CREATING, "political_patience": 1040.0}
    rules = sim("npm", seed, YEARS, **steady, **RULES).iloc[-LATE:]
    targets = sim("npm", seed, YEARS, **steady, **TARGETS).iloc[-LATE:]
    facilitation = (rules.cocreation_hours_share.mean(), targets.cocreation_hours_share.mean())
    assert facilitation[0] > 0.0, facilitation
    assert facilitation[1] < 0.8 * facilitation[0], facilitation


def concentration(run) -> float:
    """Unmet share of the neediest fifth's need over the unmet share of all need."""
    overall = run.unmet_demand.sum() / run.service_demand.sum()
    return run.neediest_unmet_share.mean() / overall


def test_targets_leave_the_shortfall_to_the_neediest(sim) -> None:
    """Short of staff under either logic: under rules every case is served alike; under
    targets easy cases come first, so the neediest fifth carries more of the shortfall
    (Lipsky 1980; Koning & Heinrich 2013).

    Asserted on the mean over seeds, with the direction in every seed: under rules, how
    much of the shortfall falls on the neediest fifth depends on which citizens have the
    most need in a run, and moves one seed's ratio by several points (issue 12, seeds
    0-6: 1.07-1.33 in single seeds, 1.21-1.22 on average, with or without
    ``benefit_homophily``)."""
    ratios = []
    for seed in SEEDS:
        rules = sim("npm", seed, YEARS, **SHORT_STAFFED, **RULES).iloc[-LATE:]
        targets = sim("npm", seed, YEARS, **SHORT_STAFFED, **TARGETS).iloc[-LATE:]
        assert rules.unmet_demand.mean() > 0.0 and targets.unmet_demand.mean() > 0.0
        ratios.append(concentration(targets) / concentration(rules))
    assert min(ratios) > 1.0, ratios
    assert np.mean(ratios) > 1.1, ratios


STEP = 1.1
"""Each rung of a ladder is 10% above the one below."""

SHARE_LADDER = tuple(0.1 * STEP**k for k in range(10))
"""Facilitation shares of staff time from 0.1 to about 0.24 (the scenario's own is 0.25,
about 6 of 37.5 hours once the co-creation weight and mandate are applied), in 10% steps:
a switch anywhere in this range shows as one large step."""

STAFF_LADDER = tuple(12.0 * 1.05**k for k in range(-2, 5))
"""Professionals per 1,000 citizens from 10% below the default (12) to about 22% above it,
in 5% steps."""


def late_means(sim, seed: int, **params: float) -> tuple[float, float]:
    """Mean strain and service quality over the last year of a Stange "Hjelpa" run."""
    run = sim("stange_hjelpa", seed, YEARS, **params).iloc[-LATE:]
    return run.professional_strain.mean(), run.service_quality.mean()


@pytest.mark.parametrize("seed", SEEDS)
def test_strain_responds_smoothly_to_facilitation_hours(sim, seed: int) -> None:
    """A tenth more facilitation hours moves strain and service quality a bounded amount.

    Bounds, chosen before measuring: strain (a 0-1 scale) moves by at most 0.1, a tenth of
    its scale for a tenth more of about a sixth of the week; service quality moves by at
    most three times the relative change of the input (30%). A switch (strain from 0 to 1,
    quality halved) breaks both.
    """
    rungs = [late_means(sim, seed, cocreation_staff_share=share) for share in SHARE_LADDER]
    for (s0, q0), (s1, q1) in itertools.pairwise(rungs):
        assert abs(s1 - s0) <= 0.1, rungs
        assert abs(q1 - q0) <= 0.3 * q0, rungs


@pytest.mark.parametrize("seed", SEEDS)
def test_five_percent_more_or_fewer_staff_does_not_flip_stange(sim, seed: int) -> None:
    """Each 5% step in staffing keeps most of Stange "Hjelpa"'s service quality and moves
    strain by less than 0.15 (bounds chosen before measuring: a flip from best to worst
    halves quality and moves strain by up to 1)."""
    rungs = [late_means(sim, seed, professionals_per_1000=staff) for staff in STAFF_LADDER]
    for (s0, q0), (s1, q1) in itertools.pairwise(rungs):
        assert abs(s1 - s0) <= 0.15, rungs
        assert min(q0, q1) >= 0.7 * max(q0, q1), rungs
