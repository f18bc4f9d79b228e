"""Mechanism 9: municipal accounting.

Revenue comes in each week; out go staff time, the community fund, and acute care bought
for demand services could not meet. Staff time is split into three lines: coordination
across silos (transaction costs of facilitation not bridged, ``coordination_share``; Steen,
Brandsen & Verschuere 2018), volunteer support (``support_cost``; Gaskin 2011, VIVA), and
the rest. Both are professionals' contracted hours (:mod:`sim.phases.cross_pressure`), not
money bought on top of them, as Wigan counted its Deal: its reported cost was the
Community Investment Fund (Naylor & Wellings 2019), while its staff changed how they
worked. So co-creation's side work costs the council service hours, not extra money.
Savings show up as lower acute costs when prevention lowers demand. Reserves change by
exactly revenue minus costs, so money is conserved. The week's spending lines go into the
council's books, which political leaders read at their reviews
(:mod:`sim.phases.leadership`). Each year budget pressure cuts the council's revenue;
half of the cut falls on the lines this model keeps, and with them on staff time
(:data:`CUTS_TO_FRONTLINE`).

Source: Naylor & Wellings 2019 (Wigan: GBP 140m saved, ~40% of the budget).

Switch: ``mechanisms.accounting``. Off, the budget is never cut; the books are still kept.

This phase touches no agent loop, so it is plain Python (numpy) in both engines: its twin
is the phase itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.core.params import HOURS_PER_WEEK, WEEKS_PER_YEAR
from sim.core.state import COST_LINES

if TYPE_CHECKING:
    from sim.core.state import Hoods, ParamTuple, Policy, World
    from sim.phases import Context

CUTS_TO_FRONTLINE = 0.5
"""Share of the council's revenue cut (``budget_pressure``) that falls on the lines this
model keeps (frontline staff, fund, support, acute care): Wigan lost about 40% of its
budget and about a fifth of its staff (Naylor & Wellings 2019), so half of it. The rest
falls on buildings, back office and contracts, outside the model."""


class AccountingTally(NamedTuple):
    """What the accounting phase counted this week."""

    income: float  # GBP
    costs: float  # GBP
    coordination_hours: float  # staff hours spent coordinating across silos


def unmet_hours(hoods: Hoods) -> float:
    """Service hours not met this week, summed ward by ward in order.

    In the order the public-value phase added them, so the sum is the same to the bit.
    """
    total = 0.0
    for hours in hoods.unmet.tolist():
        total += hours
    return total


def side_hours(coordination: float, support: float, paid: float) -> tuple[float, float]:
    """Coordination and support hours, within the paid hours.

    Professionals give them from their contracted hours; where the council withdrew paid
    hours as citizens co-produce (``service_withdrawal``) the two can exceed what is paid,
    and are then scaled down to it, so that the staff lines add up to the paid hours.
    """
    side = coordination + support
    if side <= paid:  # paid hours are never negative, so beyond here side > 0
        return coordination, support
    scale = paid / side
    return coordination * scale, support * scale


def kernel(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> AccountingTally:
    """Income and the five spending lines, the books and reserves; the annual cut.

    Coordination and volunteer support are the staff hours given to them this week, at
    the cost of a staff hour, and the staff line is the rest of the paid hours: the three
    add up to the paid hours' cost.
    """
    c, hd, council = world.citizens, world.hoods, world.council
    pr = world.professionals
    n_citizens = len(c.hood)
    cost_h = p.service_cost_per_hour
    paid_hours = np.maximum(0.0, hd.fte * HOURS_PER_WEEK * pol.staff_factor - hd.withdrawn).sum()
    coordination_hours, support_hours = side_hours(
        float(pr.coordination.sum()), float(pr.support.sum()), paid_hours
    )
    lines = {
        "cost_staff": (paid_hours - coordination_hours - support_hours) * cost_h,
        "cost_fund": pol.fund_rate * n_citizens / WEEKS_PER_YEAR,
        "cost_coordination": coordination_hours * cost_h,
        "cost_support": support_hours * cost_h,
        "cost_acute": unmet_hours(hd) * cost_h * p.acute_cost_factor,
    }
    income = p.budget_per_citizen * n_citizens / WEEKS_PER_YEAR * pol.budget_factor
    costs = sum(lines.values())
    week = (ctx.step - 1) % council.books.shape[1]
    for row, name in enumerate(COST_LINES):
        getattr(council, name)[0] = lines[name]
        council.books[row, week] = lines[name]
    council.income[0] = income
    council.costs[0] = costs
    council.total_income[0] += income
    council.total_costs[0] += costs
    council.reserves[0] += income - costs
    if ctx.switches.accounting and ctx.step % WEEKS_PER_YEAR == 0:
        council.budget_factor[0] *= 1.0 - CUTS_TO_FRONTLINE * p.budget_pressure
    return AccountingTally(float(income), float(costs), float(coordination_hours))


twin = kernel
