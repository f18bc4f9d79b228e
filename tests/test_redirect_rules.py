"""Different conversations (asset-based assessment): properties of the rules, and the lever.

Issue 12. Where social-care assessments are held as "different conversations" (Wigan's Deal
for Adult Social Care and Health; Naylor & Wellings 2019), the assessor connects a citizen to
the community support their ward offers for the co-producible part of their care need, in
place of paid service. The hours so connected are bounded by that co-producible care need and
by the service hours the ward's arenas give; they are met while the community gives them, and
unmet when it stops. Without different conversations nothing changes. The rules are called
as plain Python, as the reference engine calls them; the kernels compile the same functions.
"""

from __future__ import annotations

import pytest
from helpers import DEFAULT
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.scenario import load_scenario
from sim.phases.public_value import (
    VOLUNTEER_COVER,
    care_coproducible,
    coproducible_share,
    redirected_hours,
    redirected_met,
    service_met,
)
from sim.runs.outcomes import run_scenario

RHO = DEFAULT["service_substitution"]

hours = st.floats(0.0, 500.0)
shares = st.floats(0.0, 1.0)


class _Params:
    """The registry's defaults, as the rules read them (attribute access)."""

    def __init__(self, **changes: float) -> None:
        self.__dict__.update({**DEFAULT, **changes})


@settings(max_examples=200, deadline=None)
@given(demand=hours, service=hours, share=shares)
def test_no_conversations_connect_nothing(demand: float, service: float, share: float) -> None:
    assert redirected_hours(demand, service, share, 0.0) == 0.0


@settings(max_examples=200, deadline=None)
@given(demand=hours, service=hours, share=shares, assessment=shares)
def test_connected_hours_are_bounded_by_care_need_and_by_what_the_community_gives(
    demand: float, service: float, share: float, assessment: float
) -> None:
    r = redirected_hours(demand, service, share, assessment)
    assert 0.0 <= r <= share * demand + 1e-9
    assert r <= VOLUNTEER_COVER * service + 1e-9
    # More conversations never connect fewer hours.
    assert redirected_hours(demand, service, share, 1.0) >= r


def test_only_the_co_producible_part_of_care_is_connected() -> None:
    p = _Params()
    care = care_coproducible(p)
    assert 0.0 < care < coproducible_share(p)
    assert care_coproducible(_Params(coproducible_care=0.0)) == 0.0


@settings(max_examples=200, deadline=None)
@given(capacity=hours, service=hours, demand=st.floats(1.0, 500.0))
def test_with_nothing_redirected_services_are_met_as_before(
    capacity: float, service: float, demand: float
) -> None:
    cop = coproducible_share(_Params())
    assert redirected_met(capacity, service, demand, cop, RHO, 0.0) == service_met(
        capacity, service, demand, cop, RHO
    )


@settings(max_examples=200, deadline=None)
@given(demand=st.floats(10.0, 500.0), service=st.floats(0.0, 500.0), assessment=shares)
def test_connected_need_is_met_while_the_community_gives_it(
    demand: float, service: float, assessment: float
) -> None:
    p = _Params()
    cop = coproducible_share(p)
    r = redirected_hours(demand, service, care_coproducible(p), assessment)
    # Professionals staffed for the rest of the need: all of it is met.
    assert redirected_met(demand - r, service, demand, cop, RHO, r) == pytest.approx(1.0)


def test_connected_need_goes_unmet_when_the_groups_fold() -> None:
    p = _Params()
    cop = coproducible_share(p)
    demand, service = 100.0, 100.0
    r = redirected_hours(demand, service, care_coproducible(p), 1.0)
    assert r > 0.0
    kept = redirected_met(demand - r, service, demand, cop, RHO, r)
    folded = redirected_met(demand - r, 0.0, demand, cop, RHO, r)
    assert kept == pytest.approx(1.0)
    assert folded == pytest.approx(1.0 - r / demand)


def test_status_quo_holds_no_different_conversations() -> None:
    assert load_scenario("baseline").levers["asset_based_assessment"] == 0.0
    assert load_scenario("austerity").levers["asset_based_assessment"] == 0.0
    assert load_scenario("wigan_deal").levers["asset_based_assessment"] > 0.0


def test_conversations_lower_what_staff_are_sized_to_not_the_need_met() -> None:
    """On the Wigan Deal, conversations mean fewer staff and no more unmet need."""
    years = 3
    on = run_scenario("wigan_deal", params={"citizens": 1500}, rng=1, years=years)
    off = run_scenario(
        "wigan_deal",
        params={"citizens": 1500, "asset_based_assessment": 0.0},
        rng=1,
        years=years,
    )
    late = slice(-52, None)
    ts_on, ts_off = on["timeseries"].iloc[late], off["timeseries"].iloc[late]
    assert ts_on.cost_staff.mean() < ts_off.cost_staff.mean()
    assert ts_on.unmet_demand.mean() <= ts_off.unmet_demand.mean() + 1e-9
