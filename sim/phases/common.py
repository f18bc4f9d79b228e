"""What several phases share: the logistic and clipping helpers, and shares of ties.

These are not mechanisms. A rule that belongs to one mechanism lives in that mechanism's
module, even when another phase calls it (burnout costs trust by
:func:`sim.phases.trust.trust_of`; participation re-places volunteers with
:func:`sim.phases.recruitment.pick_arena_among`).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from sim.core.jit import jit, jit_inline, rule

FREE_TIME_FLOOR = 0.05
"""Added to the free-time ratio inside the logarithm of a decision to take part or to
volunteer, so that having no time is a large but finite cost (assumption)."""


@rule
def sigmoid(x: float) -> float:
    """Logistic function."""
    return 1.0 / (1.0 + math.exp(-x))


@rule
def clip01(x: float) -> float:
    """Clip to [0, 1]."""
    if x < 0.0:
        return 0.0
    if x > 1.0:
        return 1.0
    return x


@jit_inline
def ties_share(net, flag, i):
    """Share of citizen ``i``'s ties for whom ``flag`` is set (kernel)."""
    start = net.ptr[i]
    end = net.ptr[i + 1]
    if end == start:
        return 0.0
    s = 0
    for k in range(start, end):
        s += flag[net.idx[k]]
    return s / (end - start)


@jit_inline
def ties_shares(net, flag, other, i):
    """:func:`ties_share` of ``flag`` and of ``other``, in one pass over the ties (kernel).

    The same two shares as two calls give, to the bit (whole counts over the degree), for
    half the reads of the network: a citizen deciding whether to take part looks at both
    the ties who took part and those who burnt out.
    """
    start = net.ptr[i]
    end = net.ptr[i + 1]
    if end == start:
        return 0.0, 0.0
    s = 0
    t = 0
    for k in range(start, end):
        j = net.idx[k]
        s += flag[j]
        t += other[j]
    return s / (end - start), t / (end - start)


def ties_share_of(net: Any, flag: Any, i: int) -> float:
    """Share of citizen ``i``'s ties for whom ``flag`` is set (twin)."""
    start, end = int(net.ptr[i]), int(net.ptr[i + 1])
    if end == start:
        return 0.0
    return sum(int(flag[j]) for j in net.idx[start:end]) / (end - start)


class Person(NamedTuple):
    """A citizen's own side of a decision to take part or to volunteer."""

    ses: float  # socioeconomic resources in [0, 1]
    trust: float  # trust in the municipality in [0, 1]
    mattering: float  # in [0, 1]
    free_time: float  # free time relative to the population's mean
    cynicism: float  # in [0, 1]
    threshold: float  # Granovetter threshold in [0, 1]


@jit_inline
def person_of(i, ses, trust, mattering, free_time, cynicism, threshold, free_time_mean):
    """Citizen ``i``'s :class:`Person`, read from the citizens' arrays (kernel).

    It takes the arrays rather than the citizens' record, as a parallel loop must
    (:data:`sim.core.jit.jit_parallel`).
    """
    return Person(
        ses[i], trust[i], mattering[i], free_time[i] / free_time_mean, cynicism[i], threshold[i]
    )


class DecisionRules(NamedTuple):
    """The parameters of a decision to take part or to volunteer, for a parallel loop.

    :func:`sim.phases.participation.participation_probability` and
    :func:`sim.phases.recruitment.acceptance_probability` read these fields of the
    parameter record. numba hands every field of a record that a ``prange`` loop reads to
    each thread as an argument of its own, which made a loop reading the whole parameter
    record (well over a hundred) take half a minute to compile; a parallel loop reads
    this record instead (:func:`decision_fields`), and the twins the parameter record.
    """

    participation_base: float
    acceptance_base: float
    participation_resources: float
    participation_trust: float
    participation_social: float
    participation_asked: float
    participation_fatigue: float
    trust_gate: float


@jit
def decision_fields(p):
    """The fields of :class:`DecisionRules`, read from a parameter record (kernel).

    A parallel loop's kernel builds the record by calling the class itself,
    ``DecisionRules(*decision_fields(p))``: numba rebuilds a record in each thread by the
    name of the class it was made with.
    """
    return (
        p.participation_base,
        p.acceptance_base,
        p.participation_resources,
        p.participation_trust,
        p.participation_social,
        p.participation_asked,
        p.participation_fatigue,
        p.trust_gate,
    )


@rule
def harm_felt(harm: float) -> float:
    """How much lasting harm weighs now, in [0, 1): harm / (1 + harm).

    ``Citizens.harm`` counts burnouts, leaving for good, closed groups and unmet need (in
    burnouts' worth) and fades by ``harm_memory`` a week; its weight saturates, so a second
    burnout hurts less than the first. Read by wellbeing and mattering
    (:mod:`sim.phases.public_value`) and by trust (:mod:`sim.phases.trust`).
    """
    return harm / (1.0 + harm)


@jit
def ordered_sum(values):
    """Sum in index order: wards in ward order, citizens in row order.

    Both engines add in this order, to the bit. A parallel kernel writes each citizen's
    share of a total into an array in its parallel loop and adds it up with this, so the
    total does not depend on how the loop was split between threads.
    """
    total = 0.0
    for h in range(values.shape[0]):
        total += values[h]
    return total
