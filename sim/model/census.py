"""The week's census: every per-citizen sum the reporters read, in compiled passes.

The reporters (:mod:`sim.model.reporters`) report shares, means and gaps by neighbourhood,
by resource quintile and over everyone. Read with numpy, each is a pass over the citizens
(a ``np.bincount``, a boolean mask, a survey question), some twenty-five passes a week that
cost a third of a step at 100,000 citizens. :func:`take_census` makes two parallel numba
passes instead and returns the small tables (:class:`Census`) the reporters are assembled
from.

The figures are the same to the last bit as the numpy they replace, at any number of
threads, which the trajectory hashes and ``tests/test_reporters_fused.py`` check:

* ``np.bincount(group, weights, n)`` adds the weights of each group in row order, and so
  does the census (compiled without ``fastmath``, so no product is fused into an
  addition). A ward's citizens are one run of rows, so a ward's sums are added by the
  thread that takes the ward, in row order; the quintiles' float sums run over all
  citizens in row order, in two passes side by side. Counts are integers, exact
  whichever way they are added.
* The survey questions are the scalar rules of :mod:`sim.core.survey` (:func:`trusts_highly
  <sim.core.survey.trusts_highly>`, :func:`in_window <sim.core.survey.in_window>`),
  whose element-wise forms the numpy reporters used.
* Sums over a selection of citizens that numpy adds pairwise (``arr.sum()``) are added by
  :func:`pairwise_sum`, numpy's own order, and :func:`quantile` interpolates as
  ``np.quantile`` does (method "linear").

Two smaller passes serve single reporters: :func:`weight_sums` (the distributional
weights, known only once the census has summed each quintile's resources) and
:func:`positives` (the hours ``top_share`` ranks; numpy's partition and sum then rank and
add them, since the order its partition leaves them in decides the sum's last bit). Means
over all citizens (``c.trust.mean()`` and the like) stay numpy calls in the reporters:
numpy adds them pairwise, already in one pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import prange

from sim.core.jit import jit, jit_parallel
from sim.core.params import QUINTILES
from sim.core.state import Role
from sim.core.survey import MONTH_WEEKS, YEAR_WEEKS, in_window, trusts_highly
from sim.phases.burnout import HIGH_CYNICISM, HIGH_EXHAUSTION

if TYPE_CHECKING:
    from sim.core.state import World


class Census(NamedTuple):
    """The week's per-citizen sums: by neighbourhood, by resource quintile and in all.

    Sums of a float are added in row order, as ``np.bincount`` adds them; counts are
    integers. "Spoke" is spoke up to the council in the last 52 weeks (civic participation
    in 12 months), "volunteered" a volunteering occasion in them, "high trust" an answer of
    6-10 on the 0-10 trust scale (:mod:`sim.core.survey`).
    """

    hood_volunteers: np.ndarray  # int64 (neighbourhood): citizens in a volunteering role
    hood_trust: np.ndarray  # (neighbourhood): summed trust
    hood_wellbeing: np.ndarray  # (neighbourhood): summed wellbeing
    hood_need: np.ndarray  # (neighbourhood): summed service need
    hood_need_unmet: np.ndarray  # (neighbourhood): summed need x unmet share
    hood_spoke: np.ndarray  # int64 (neighbourhood): spoke up in the last 52 weeks
    hood_high_trust: np.ndarray  # int64 (neighbourhood): answering 6-10
    hood_volunteered: np.ndarray  # int64 (neighbourhood): an occasion in the last 52 weeks
    q_size: np.ndarray  # int64 (quintile): citizens
    q_participants: np.ndarray  # int64 (quintile): took part this week
    q_volunteers: np.ndarray  # int64 (quintile)
    q_hours: np.ndarray  # (quintile): volunteer hours this week
    q_trust: np.ndarray  # (quintile): summed trust
    q_wellbeing: np.ndarray  # (quintile): summed wellbeing
    q_mattering: np.ndarray  # (quintile): summed mattering
    q_burnouts: np.ndarray  # int64 (quintile): burnouts since the start
    q_need: np.ndarray  # (quintile): summed service need
    q_need_unmet: np.ndarray  # (quintile): summed need x unmet share
    q_spoke: np.ndarray  # int64 (quintile)
    q_high_trust: np.ndarray  # int64 (quintile)
    q_volunteered: np.ndarray  # int64 (quintile)
    q_ses: np.ndarray  # (quintile): summed resources
    states: np.ndarray  # int64 (Role): citizens in each role
    participants: int  # took part this week
    champions: int  # volunteers giving at least champion_hours this week
    volunteers_high_exhaustion: int  # volunteers at or above HIGH_EXHAUSTION
    volunteers_high_cynicism: int  # volunteers at or above HIGH_CYNICISM
    spoke: int  # spoke up in the last 52 weeks
    volunteered_month: int  # an occasion in the last 4 weeks
    volunteered_year: int  # an occasion in the last 52 weeks
    high_trust: int  # answering 6-10
    heard: int  # spoke up and were answered in the last 52 weeks
    heard_high_trust: int  # of them, those answering 6-10


_Q_INT = 7
"""Integer quintile tables the wards count (:func:`_census`): citizens, participants,
volunteers, burnouts, spoke up, high trust, volunteered."""

_TOTALS = 7
"""Whole-population counts the wards count (:func:`_census`) beyond their own tables:
participants, champions, exhausted and cynical volunteers, volunteered in the last month,
heard and heard with high trust."""

_Q_FLOAT = 7
"""Float quintile sums (:func:`_census`): hours, trust, wellbeing, mattering (one pass),
need, resources, need x unmet (another)."""


@jit_parallel
def _census(
    first_citizen: np.ndarray,
    population: np.ndarray,
    quintile: np.ndarray,
    state: np.ndarray,
    part: np.ndarray,
    hours: np.ndarray,
    trust: np.ndarray,
    wellbeing: np.ndarray,
    mattering: np.ndarray,
    need: np.ndarray,
    unmet: np.ndarray,
    ses: np.ndarray,
    burnouts: np.ndarray,
    exhaustion: np.ndarray,
    cynicism: np.ndarray,
    heard: np.ndarray,
    ignored: np.ndarray,
    last_occasion: np.ndarray,
    n_roles: int,
    step: int,
    champion_hours: float,
) -> tuple:
    """Two parallel passes over the citizens: the fields of :class:`Census`, in order.

    The wards in parallel, each ward's citizens (one run of rows) in row order: its own
    sums, and its counts by quintile and in all, added over the wards after (integers,
    exact in any order). Then the float sums by quintile run over all citizens in row
    order, in two passes side by side. Every float is thus added in the order a single
    pass in row order adds it, at any number of threads.
    """
    n_hoods = first_citizen.shape[0]
    h_vol = np.zeros(n_hoods, np.int64)
    h_trust = np.zeros(n_hoods)
    h_wellbeing = np.zeros(n_hoods)
    h_need = np.zeros(n_hoods)
    h_need_unmet = np.zeros(n_hoods)
    h_spoke = np.zeros(n_hoods, np.int64)
    h_high = np.zeros(n_hoods, np.int64)
    h_occasion = np.zeros(n_hoods, np.int64)
    w_q = np.zeros((n_hoods, _Q_INT, QUINTILES), np.int64)
    w_states = np.zeros((n_hoods, n_roles), np.int64)
    w_totals = np.zeros((n_hoods, _TOTALS), np.int64)
    # The counts add 0 or 1 rather than branch: whether a citizen volunteers, spoke up or
    # trusts highly is as good as random from one row to the next, and a branch the CPU
    # cannot predict costs more than the addition.
    for h in prange(n_hoods):
        trust_sum = 0.0
        wellbeing_sum = 0.0
        need_sum = 0.0
        left_sum = 0.0
        volunteers = 0
        spoke_here = 0
        high_here = 0
        gave_here = 0
        participants = 0
        champions = 0
        exhausted = 0
        cynical = 0
        month = 0
        was_heard = 0
        heard_high = 0
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            q = quintile[i]
            w_states[h, state[i]] += 1
            took_part = part[i]
            vol = 1 if state[i] == Role.VOLUNTEER else 0
            said = 1 if in_window(max(heard[i], ignored[i]), step, YEAR_WEEKS) else 0
            trusting = 1 if trusts_highly(trust[i]) else 0
            gave = 1 if in_window(last_occasion[i], step, YEAR_WEEKS) else 0
            answered = 1 if in_window(heard[i], step, YEAR_WEEKS) else 0
            w_q[h, 0, q] += 1
            w_q[h, 1, q] += took_part
            w_q[h, 2, q] += vol
            w_q[h, 3, q] += burnouts[i]
            w_q[h, 4, q] += said
            w_q[h, 5, q] += trusting
            w_q[h, 6, q] += gave
            participants += took_part
            volunteers += vol
            champions += vol if hours[i] >= champion_hours else 0
            exhausted += vol if exhaustion[i] >= HIGH_EXHAUSTION else 0
            cynical += vol if cynicism[i] >= HIGH_CYNICISM else 0
            trust_sum += trust[i]
            wellbeing_sum += wellbeing[i]
            need_sum += need[i]
            left_sum += need[i] * unmet[i]
            spoke_here += said
            high_here += trusting
            was_heard += answered
            heard_high += answered & trusting
            gave_here += gave
            month += 1 if in_window(last_occasion[i], step, MONTH_WEEKS) else 0
        h_vol[h] = volunteers
        h_trust[h] = trust_sum
        h_wellbeing[h] = wellbeing_sum
        h_need[h] = need_sum
        h_need_unmet[h] = left_sum
        h_spoke[h] = spoke_here
        h_high[h] = high_here
        h_occasion[h] = gave_here
        w_totals[h, 0] = participants
        w_totals[h, 1] = champions
        w_totals[h, 2] = exhausted
        w_totals[h, 3] = cynical
        w_totals[h, 4] = month
        w_totals[h, 5] = was_heard
        w_totals[h, 6] = heard_high
    q_ints = w_q.sum(axis=0)
    states = w_states.sum(axis=0)
    totals = w_totals.sum(axis=0)
    q_floats = np.zeros((_Q_FLOAT, QUINTILES))
    for group in prange(2):  # two passes in parallel, each adding its sums in row order
        if group == 0:
            for i in range(quintile.shape[0]):
                q = quintile[i]
                q_floats[0, q] += hours[i]
                q_floats[1, q] += trust[i]
                q_floats[2, q] += wellbeing[i]
                q_floats[3, q] += mattering[i]
        else:
            for i in range(quintile.shape[0]):
                q = quintile[i]
                q_floats[4, q] += need[i]
                q_floats[5, q] += ses[i]
                q_floats[6, q] += need[i] * unmet[i]
    return (
        h_vol,
        h_trust,
        h_wellbeing,
        h_need,
        h_need_unmet,
        h_spoke,
        h_high,
        h_occasion,
        q_ints[0],
        q_ints[1],
        q_ints[2],
        q_floats[0],
        q_floats[1],
        q_floats[2],
        q_floats[3],
        q_ints[3],
        q_floats[4],
        q_floats[6],
        q_ints[4],
        q_ints[5],
        q_ints[6],
        q_floats[5],
        states,
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        h_spoke.sum(),
        totals[4],
        h_occasion.sum(),
        h_high.sum(),
        totals[5],
        totals[6],
    )


def take_census(world: World, step: int, champion_hours: float = np.inf) -> Census:
    """The week's census of the citizens (:class:`Census`), in compiled parallel passes.

    Args:
        world: the state after the week.
        step: the week just run, where the survey windows end.
        champion_hours: the hours a week that make a volunteer a champion
            (``params.champion_hours``); the default counts none, for readers that do not
            need champions.
    """
    c = world.citizens
    return Census(
        *_census(
            world.hoods.first_citizen,
            world.hoods.population,
            c.quintile,
            c.state,
            c.part,
            c.hours,
            c.trust,
            c.wellbeing,
            c.mattering,
            c.need,
            c.unmet,
            c.ses,
            c.burnouts,
            c.exhaustion,
            c.cynicism,
            c.heard,
            c.ignored,
            c.last_occasion,
            len(Role),
            step,
            float(champion_hours),
        )
    )


@jit_parallel
def weight_sums(
    first_citizen: np.ndarray,
    population: np.ndarray,
    arena: np.ndarray,
    quintile: np.ndarray,
    weights: np.ndarray,
    n_arenas: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Citizens' distributional weights summed by neighbourhood and by arena.

    Each citizen counts with the weight of their resource quintile. Returns the summed
    weight of each neighbourhood's residents, the members of each arena and their summed
    weight, each added in row order as ``np.bincount`` adds them: the wards in parallel,
    each ward's citizens (one run of rows) in row order, as a member's arena is in their
    own ward.
    """
    hood_weight = np.zeros(first_citizen.shape[0])
    members = np.zeros(n_arenas, np.int64)
    member_weight = np.zeros(n_arenas)
    for h in prange(first_citizen.shape[0]):
        total = 0.0
        for i in range(first_citizen[h], first_citizen[h] + population[h]):
            w = weights[quintile[i]]
            total += w
            a = arena[i]
            if a >= 0:
                members[a] += 1
                member_weight[a] += w
        hood_weight[h] = total
    return hood_weight, members, member_weight


@jit
def _block_sum(a: np.ndarray, lo: int, n: int) -> float:
    """The sum of a block of at most 128 values ``a[lo:lo + n]`` as numpy adds it: in 8 lanes."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - n % 8:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


_BLOCK = 128
"""numpy's pairwise sum adds blocks of up to 128 values in a row (``PW_BLOCKSIZE``)."""


@jit
def _left_half(n: int) -> int:
    """Where numpy splits ``n`` values in two: half, down to a multiple of 8."""
    half = n // 2
    return half - half % 8


@jit
def pairwise_sum(a: np.ndarray) -> float:
    """The sum of a float array as numpy's ``a.sum()`` adds it, to the last bit.

    numpy reduces from its identity, 0, adding the array pairwise down to blocks of 128
    that it adds eight ways unrolled (``pairwise_sum_DOUBLE``).
    """
    # numpy recurses: a run longer than a block is the sum of its halves' sums. The same
    # tree is walked here with a stack of the runs whose left half is being summed
    # (numba's cache cannot hold a recursive function).
    los = np.empty(64, np.int64)  # each pending run's start and length
    ns = np.empty(64, np.int64)
    lefts = np.empty(64)  # its left half's sum, once known
    right = np.zeros(64, np.bool_)  # whether its right half is being summed
    depth = 0
    lo, n = 0, len(a)
    while True:
        while n > _BLOCK:  # descend to the leftmost block of the run
            los[depth], ns[depth], right[depth] = lo, n, False
            depth += 1
            n = _left_half(n)
        value = _block_sum(a, lo, n)
        while depth > 0 and right[depth - 1]:  # both halves done: add them, go up
            depth -= 1
            value = lefts[depth] + value
        if depth == 0:
            return 0.0 + value  # numpy reduces from its identity, 0
        parent = depth - 1  # its left half is done: sum its right half next
        lefts[parent] = value
        right[parent] = True
        half = _left_half(ns[parent])
        lo, n = los[parent] + half, ns[parent] - half


@jit
def positives(values: np.ndarray) -> np.ndarray:
    """The positive values in row order: ``values[values > 0]``, without a branch per value."""
    out = np.empty(len(values))
    kept = 0
    for v in values:
        out[kept] = v  # overwritten by the next value unless kept
        kept += 1 if v > 0.0 else 0
    return out[:kept]


_BINS = 4096
"""Bins of :func:`_neighbours`' counting pass: the two order statistics are then selected
among the few values of one or two bins."""


@jit
def _neighbours(a: np.ndarray, k: int) -> tuple[float, float]:
    """The ``k``-th and ``k + 1``-th smallest values of ``a`` (from 0; ``k + 1 < len(a)``).

    A selection by counting: the values are binned between their least and greatest (the
    bin of a value never falls as the value rises, so the bins are in order), the bins
    holding ranks ``k`` and ``k + 1`` are found from the counts, and the two values are
    selected among the values of those bins alone. Faster than partitioning every value.
    """
    lo, hi = np.min(a), np.max(a)
    if lo == hi:
        return lo, hi
    scale = _BINS / (hi - lo)
    if not scale < np.inf:  # a range too narrow to bin: partition every value
        part = np.partition(a, k)
        return part[k], np.min(part[k + 1 :])
    counts = np.zeros(_BINS, np.int64)
    for x in a:
        counts[min(int((x - lo) * scale), _BINS - 1)] += 1
    first = 0  # the bin holding rank k
    before = 0  # values in the bins before it
    while before + counts[first] <= k:
        before += counts[first]
        first += 1
    last = first  # the bin holding rank k + 1
    upto = before + counts[first]
    while upto <= k + 1:
        last += 1
        upto += counts[last]
    chosen = np.empty(upto - before)
    j = 0
    for x in a:
        b = min(int((x - lo) * scale), _BINS - 1)
        if first <= b <= last:
            chosen[j] = x
            j += 1
    part = np.partition(chosen, k - before)
    return part[k - before], np.min(part[k - before + 1 :])


@jit
def quantile(a: np.ndarray, q: float) -> float:
    """``np.quantile(a, q)`` (method "linear") to the last bit, for an array without NaN.

    The two order statistics around the virtual index ``(n - 1) q`` are the same whatever
    the selection algorithm; they are interpolated with numpy's ``_lerp``, which counts
    from the upper one when the fraction is at least a half.
    """
    n = len(a)
    virtual = (n - 1) * q
    if virtual >= n - 1:  # numpy takes the largest value, at index -1
        lower = -1
        below = above = np.max(a)
    elif virtual < 0.0:  # and the smallest, at index 0
        lower = 0
        below = above = np.min(a)
    else:
        lower = int(np.floor(virtual))
        below, above = _neighbours(a, lower)
    gamma = virtual - lower
    diff = above - below
    if gamma >= 0.5:
        return above - diff * (1.0 - gamma)
    return below + diff * gamma


@jit
def neediest_unmet(need: np.ndarray, unmet: np.ndarray, q: float) -> float:
    """Share of the need at or above its ``q`` quantile left unmet (0 with no such need).

    The sums run over the selected citizens in row order, pairwise, as numpy sums a
    masked copy.
    """
    threshold = quantile(need, q)
    selected = np.empty(len(need))  # need[top] and (need * unmet)[top], without a branch
    left = np.empty(len(need))
    kept = 0
    for i in range(len(need)):
        selected[kept] = need[i]
        left[kept] = need[i] * unmet[i]
        kept += 1 if need[i] >= threshold else 0
    total = pairwise_sum(selected[:kept])
    if total > 0.0:
        return pairwise_sum(left[:kept]) / total
    return 0.0
