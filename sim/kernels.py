"""The numba engine: one compiled kernel per phase of the weekly step.

Each kernel loops over the struct-of-arrays state of :mod:`sim.core.state` and calls the
scalar rules of :mod:`sim.rules`, compiled here with ``numba.njit``. The plain-Python
twin of every kernel is in :mod:`sim.reference`; the mechanisms themselves (what each
phase means, and its sources) are documented on the phase functions of
:mod:`sim.mechanisms`.

Random draws come from :func:`sim.core.rng.uniform_nb`, keyed by (seed, step, agent,
stream), so results do not depend on loop order or thread count. Kernels read the
previous week's participation, volunteering and trust from snapshots, so per-agent
decisions within a phase are independent of each other.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba as nb
import numpy as np

from sim import rules as _rules
from sim.core import params as _params
from sim.core import rng as R
from sim.core import state as _state

_HERE = Path(__file__)
_SOURCES = (
    _HERE,
    Path(_rules.__file__),
    Path(R.__file__),
    # The layouts of the state and parameter tuples: numba keys a cached overload by a
    # type signature that does not see a change in field order, so a reordered
    # parameter would otherwise be read from the wrong slot.
    Path(_state.__file__),
    Path(_params.__file__),
)
if not os.environ.get("NUMBA_CACHE_DIR"):
    # numba's cache only watches the file of the cached function, not the rules it
    # inlines or the tuple layouts, so key the cache directory by all these sources.
    _digest = hashlib.sha1(b"".join(f.read_bytes() for f in _SOURCES)).hexdigest()[:16]
    nb.config.CACHE_DIR = str(
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cocreate" / _digest
    )

_jit = nb.njit(cache=True)

sigmoid = _rules.sigmoid
clip01 = _rules.clip01
trust_of = _rules.trust_of
evidence_for = _rules.evidence_for
update_trust = _rules.update_trust
word_of_mouth = _rules.word_of_mouth
participation_probability = _rules.participation_probability
ask_probabilities = _rules.ask_probabilities
acceptance_probability = _rules.acceptance_probability
outreach_rate = _rules.outreach_rate
exit_probability = _rules.exit_probability
load_weight = _rules.load_weight
hours_given = _rules.hours_given
top_up_share = _rules.top_up_share
trust_gate_factor = _rules.trust_gate_factor
arena_gap = _rules.arena_gap
starved = _rules.starved
stint_factor = _rules.stint_factor
arena_takes = _rules.arena_takes
usual_hours = _rules.usual_hours
arena_concentration = _rules.arena_concentration
update_commitment = _rules.update_commitment
strain_ratio = _rules.strain_ratio
update_exhaustion = _rules.update_exhaustion
update_cynicism = _rules.update_cynicism
rest_exhaustion = _rules.rest_exhaustion
coproduction = _rules.coproduction
mattering_target = _rules.mattering_target
wellbeing_target = _rules.wellbeing_target
update_need = _rules.update_need
professional_week = _rules.professional_week
update_strain = _rules.update_strain

uniform = R.uniform_nb

IDLE = _rules.IDLE
VOLUNTEER = _rules.VOLUNTEER
RECOVERING = _rules.RECOVERING
GONE = _rules.GONE


@_jit
def count_open_arenas(ar, hd):
    """Recount open arenas and open anchor arenas per neighbourhood."""
    hd.open_arenas[:] = 0
    hd.open_anchors[:] = 0
    for a in range(ar.open.shape[0]):
        if ar.open[a] == 1:
            hd.open_arenas[ar.hood[a]] += 1
            if ar.anchor[a] == 1:
                hd.open_anchors[ar.hood[a]] += 1


@_jit
def pick_arena(ar, hd, h, u, anchors_only, places, seeking):
    """Return the k-th arena of neighbourhood ``h`` that takes a volunteer, k from ``u``.

    Which arenas take one: :func:`sim.rules.arena_takes`.
    """
    first = hd.first_arena[h]
    count = 0
    for a in range(first, first + hd.n_arenas[h]):
        if arena_takes(
            ar.open[a], ar.anchor[a], ar.volunteers[a], ar.gap[a], anchors_only, places, seeking
        ):
            count += 1
    if count == 0:
        return -1
    k = int(u * count)
    for a in range(first, first + hd.n_arenas[h]):
        if arena_takes(
            ar.open[a], ar.anchor[a], ar.volunteers[a], ar.gap[a], anchors_only, places, seeking
        ):
            if k == 0:
                return a
            k -= 1
    return -1


@_jit
def count_volunteers(c, ar):
    """Recount the volunteers of every arena."""
    ar.volunteers[:] = 0
    for i in range(c.state.shape[0]):
        if c.state[i] == VOLUNTEER and c.arena[i] >= 0:
            ar.volunteers[c.arena[i]] += 1


@_jit
def ties_share(net, flag, i):
    """Share of citizen ``i``'s ties for whom ``flag`` is set."""
    start = net.ptr[i]
    end = net.ptr[i + 1]
    if end == start:
        return 0.0
    s = 0
    for k in range(start, end):
        s += flag[net.idx[k]]
    return s / (end - start)


@_jit
def professionals_phase(pr, hd, p, pol, on):
    """Kernel of :func:`sim.mechanisms.cross_pressure`."""
    hd.capacity[:] = 0.0
    hd.facilitation[:] = 0.0
    hours = _rules.HOURS_PER_WEEK * pol.staff_factor
    for k in range(pr.hood.shape[0]):
        h = pr.hood[k]
        core_demand = (hd.demand[h] - hd.withdrawn[h]) / hd.professionals[h]
        if core_demand < 0.0:
            core_demand = 0.0
        core, fac, over = professional_week(
            hours,
            pr.strain[k],
            pol.rules_weight,
            pol.targets_weight,
            pol.facilitation_share,
            pr.mandate[k],
            core_demand,
            p.strain_productivity,
        )
        pr.core[k] = core
        pr.facilitation[k] = fac
        pr.overload[k] = over
        if on:
            pr.strain[k] = update_strain(pr.strain[k], over, p.strain_rate)
        hd.capacity[h] += core
        hd.facilitation[h] += fac * pr.competence[k]


@_jit
def recruitment_phase(c, ar, hd, net, vol_prev, p, pol, seed, step, on):
    """Kernel of :func:`sim.mechanisms.recruitment`. Returns recruits by channel."""
    recruits = np.zeros(4, dtype=np.int64)
    count_open_arenas(ar, hd)
    if not on:
        return recruits
    count_volunteers(c, ar)
    for i in range(c.hood.shape[0]):
        if c.state[i] != IDLE:
            continue
        h = c.hood[i]
        if hd.open_arenas[h] == 0:
            continue
        nv = 0
        for k in range(net.ptr[i], net.ptr[i + 1]):
            nv += vol_prev[net.idx[k]]
        anchor_rate = p.anchor_reach * pol.anchor_use if hd.open_anchors[h] > 0 else 0.0
        out_rate = outreach_rate(c.ses[i], p.outreach_reach, pol.outreach, pol.outreach_targeting)
        vacancy = hd.shortfall[h]
        p_tie, p_anchor, p_out = ask_probabilities(
            nv, p.tie_ask_rate * vacancy, anchor_rate * vacancy, out_rate * vacancy
        )
        channel = 0
        if uniform(seed, step, i, R.S_ASK_TIE) < p_tie:
            channel = _rules.BY_TIE
        elif uniform(seed, step, i, R.S_ASK_ANCHOR) < p_anchor:
            channel = _rules.BY_ANCHOR
        elif uniform(seed, step, i, R.S_ASK_OUTREACH) < p_out:
            channel = _rules.BY_OUTREACH
        if channel == 0:
            continue
        p_yes = acceptance_probability(
            c.ses[i],
            c.trust[i],
            c.mattering[i],
            c.free_time[i] / p.free_time_mean,
            c.cynicism[i],
            p.acceptance_base,
            p.participation_resources,
            p.participation_trust,
            p.participation_fatigue,
            p.trust_gate,
        )
        if uniform(seed, step, i, R.S_ACCEPT) >= p_yes:
            continue
        u = uniform(seed, step, i, R.S_ARENA_PICK)
        a = pick_arena(ar, hd, h, u, channel == _rules.BY_ANCHOR, p.arena_places, True)
        if a < 0:  # no arena that could take them is looking for hands
            continue
        ar.volunteers[a] += 1
        ar.gap[a] -= p.hours_per_member * pol.expectation
        c.state[i] = VOLUNTEER
        c.arena[i] = a
        c.channel[i] = channel
        c.joined[i] = step
        c.commitment[i] = 0.1
        recruits[channel] += 1
    return recruits


@_jit
def participation_phase(c, ar, hd, net, part_prev, burnt_prev, p, pol, invitation, seed, step, on):
    """Kernel of :func:`sim.mechanisms.participation`. Returns (exits, stranded)."""
    exits = 0
    stranded = 0
    hd.participants[:] = 0
    for i in range(c.hood.shape[0]):
        h = c.hood[i]
        s = c.state[i]
        c.asked[i] = 0
        if s == VOLUNTEER:
            a = c.arena[i]
            if a < 0 or ar.open[a] == 0:
                u = uniform(seed, step, i, R.S_ARENA_PICK)
                a = pick_arena(ar, hd, h, u, False, _rules.NO_LIMIT, False)
                c.arena[i] = a
            if a < 0:
                c.state[i] = IDLE
                c.part[i] = 0
                stranded += 1
                continue
            last = usual_hours(c.episodic[i], c.hours[i], c.hours_recent[i], step - c.joined[i])
            if uniform(seed, step, i, R.S_EXIT) < exit_probability(
                p.volunteer_exit_base, c.cynicism[i], c.mattering[i], last
            ):
                c.state[i] = IDLE
                c.arena[i] = -1
                c.part[i] = 0
                exits += 1
                continue
            c.part[i] = 1
        elif s == RECOVERING:
            c.part[i] = 0
        else:
            out_rate = outreach_rate(
                c.ses[i], p.outreach_reach, pol.outreach, pol.outreach_targeting
            )
            asked = uniform(seed, step, i, R.S_ASK_OUTREACH) < out_rate
            c.asked[i] = 1 if asked else 0
            access = hd.open_arenas[h] / hd.start_arenas[h]
            if access > 1.0:
                access = 1.0
            if on:
                prob = participation_probability(
                    c.ses[i],
                    c.trust[i],
                    c.mattering[i],
                    c.free_time[i] / p.free_time_mean,
                    c.cynicism[i],
                    ties_share(net, part_prev, i),
                    ties_share(net, burnt_prev, i),
                    c.threshold[i],
                    (1.0 if asked else 0.0) + invitation * 2.0 * c.trust[i],
                    access,
                    p.participation_base,
                    p.participation_resources,
                    p.participation_trust,
                    p.participation_social,
                    p.participation_asked,
                    p.participation_fatigue,
                    p.trust_gate,
                )
            else:
                prob = sigmoid(p.participation_base) * access
            c.part[i] = 1 if uniform(seed, step, i, R.S_PARTICIPATE) < prob else 0
        hd.participants[h] += c.part[i]
    return exits, stranded


@_jit
def workload_phase(c, ar, hd, p, pol, expected_hours, seed, step, on):
    """Kernel of :func:`sim.mechanisms.workload`. Returns total implicit hours."""
    concentration = p.load_concentration if on else 0.0
    implicit_total = 0.0
    for h in range(hd.population.shape[0]):
        nonpart = hd.population[h] - hd.participants[h]
        hd.implicit[h] = expected_hours * nonpart * p.implicit_demand_share
        if hd.open_arenas[h] == 0:
            hd.implicit[h] = 0.0
        implicit_total += hd.implicit[h]
    for a in range(ar.open.shape[0]):
        ar.weight[a] = 0.0
        ar.volunteers[a] = 0
        ar.received[a] = 0.0
        h = ar.hood[a]
        if ar.open[a] == 1:
            fac = hd.facilitation[h] / hd.open_arenas[h]
            load = ar.demand[a] * (1.0 - 0.4 * pol.support)
            load += hd.implicit[h] / hd.open_arenas[h]
            ar.facilitation[a] = fac
            ar.load[a] = load if load > 0.0 else 0.0
        else:
            ar.facilitation[a] = 0.0
            ar.load[a] = 0.0
    for i in range(c.hood.shape[0]):
        if c.state[i] == VOLUNTEER:
            a = c.arena[i]
            conc = arena_concentration(concentration, ar.facilitation[a], ar.demand[a])
            active = c.episodic[i] == 1 and uniform(seed, step, i, R.S_STINT) < p.episodic_activity
            stint = stint_factor(c.episodic[i], active, p.episodic_activity)
            ar.weight[a] += load_weight(c.commitment[i], conc) * stint
            ar.volunteers[a] += 1
    spare = np.zeros(ar.open.shape[0])  # members' time to spare below their work limit
    for i in range(c.hood.shape[0]):
        c.load[i] = 0.0
        c.hours[i] = 0.0
        if c.state[i] == VOLUNTEER:
            a = c.arena[i]
            conc = arena_concentration(concentration, ar.facilitation[a], ar.demand[a])
            active = c.episodic[i] == 1 and uniform(seed, step, i, R.S_STINT) < p.episodic_activity
            stint = stint_factor(c.episodic[i], active, p.episodic_activity)
            if stint > 0.0:  # zero for an episodic volunteer between stints
                w = load_weight(c.commitment[i], conc) * stint
                c.load[i] = pol.expectation * ar.load[a] * w / ar.weight[a]
                c.hours[i] = hours_given(c.load[i], c.free_time[i], p.work_limit)
                ar.received[a] += c.hours[i]
                spare[a] += p.work_limit * c.free_time[i] - c.hours[i]
    fill = np.zeros(ar.open.shape[0])
    for a in range(ar.open.shape[0]):
        if on:  # off, the need is split evenly and nothing is asked again
            fill[a] = top_up_share(ar.load[a], ar.received[a], spare[a])
    for i in range(c.hood.shape[0]):
        if c.state[i] == VOLUNTEER:
            a = c.arena[i]
            if c.load[i] > 0.0 and fill[a] > 0.0:
                extra = fill[a] * (p.work_limit * c.free_time[i] - c.hours[i])
                c.load[i] += extra
                c.hours[i] += extra
                ar.received[a] += extra
            if c.load[i] > 0.0:
                c.commitment[i] = update_commitment(
                    c.commitment[i], c.hours[i], p.free_time_mean, p.commitment_growth
                )
        else:
            c.commitment[i] = c.commitment[i] * 0.98
        c.hours_total[i] += c.hours[i]
        c.hours_recent[i] = c.hours_recent[i] * (51.0 / 52.0) + c.hours[i] / 52.0
    return implicit_total


@_jit
def burnout_phase(c, hd, p, pol, seed, step, on, trust_on, value_on):
    """Kernel of :func:`sim.mechanisms.burnout`. Returns (burnouts, returned, gone)."""
    burnouts = 0
    returned = 0
    gone = 0
    for i in range(c.hood.shape[0]):
        s = c.state[i]
        if s == VOLUNTEER:
            if not on:
                continue
            ratio = strain_ratio(c.load[i], c.free_time[i])
            e = update_exhaustion(
                c.exhaustion[i], ratio, p.burnout_sensitivity, p.recovery_rate, pol.support
            )
            c.exhaustion[i] = e
            c.cynicism[i] = update_cynicism(c.cynicism[i], e, p.cynicism_rate)
            if e >= p.burnout_threshold:
                c.state[i] = RECOVERING
                c.arena[i] = -1
                c.part[i] = 0
                hd.participants[c.hood[i]] -= 1
                c.burnouts[i] += 1
                c.commitment[i] = 0.0
                if value_on:
                    c.mattering[i] = clip01(c.mattering[i] - 0.2)
                if trust_on:
                    c.trust_b[i] += 2.0 * p.trust_loss
                    c.trust[i] = trust_of(c.trust_a[i], c.trust_b[i])
                burnouts += 1
        elif s == RECOVERING:
            e = rest_exhaustion(c.exhaustion[i], p.recovery_rate, pol.support)
            c.exhaustion[i] = e
            c.cynicism[i] = update_cynicism(c.cynicism[i], e, 0.5 * p.cynicism_rate)
            if e < 0.25 * p.burnout_threshold:
                if uniform(seed, step, i, R.S_RETURN) < p.return_chance:
                    c.state[i] = IDLE
                    returned += 1
                else:
                    c.state[i] = GONE
                    gone += 1
        else:
            e = rest_exhaustion(c.exhaustion[i], p.recovery_rate, 0.0)
            c.exhaustion[i] = e
            if s == IDLE:  # those gone for good stay cynical
                c.cynicism[i] = update_cynicism(c.cynicism[i], e, 0.2 * p.cynicism_rate)
    return burnouts, returned, gone


@_jit
def arena_phase(ar, hd, p, pol, n_citizens, on):
    """Kernel of the arena half of :func:`sim.mechanisms.public_value`.

    Returns (arenas closed, arenas opened).
    """
    closed = 0
    opened = 0
    planned = p.hours_per_member * pol.expectation  # hours an arena plans on per member
    hd.value[:] = 0.0
    hd.volunteer_hours[:] = 0.0
    for a in range(ar.open.shape[0]):
        ar.value[a] = 0.0
        if ar.open[a] == 0:
            continue
        h = ar.hood[a]
        hd.volunteer_hours[h] += ar.received[a]
        if on:
            v = coproduction(
                ar.facilitation[a],
                ar.received[a],
                p.cocreation_substitution,
                p.arena_productivity,
            )
            ar.value[a] = v
            hd.value[h] += v
        if starved(ar.load[a], ar.received[a], ar.volunteers[a], planned):
            ar.starve[a] += 1
        else:
            ar.starve[a] = 0
        if ar.starve[a] >= 8:
            ar.open[a] = 0
            ar.funded[a] = 0
            ar.starve[a] = 0
            closed += 1
    need = np.zeros(hd.population.shape[0])
    gap = np.zeros(hd.population.shape[0])
    for a in range(ar.open.shape[0]):
        ar.gap[a] = 0.0
        if ar.open[a] == 1:
            ar.gap[a] = arena_gap(ar.load[a], ar.received[a], ar.volunteers[a], planned)
            need[ar.hood[a]] += ar.load[a]
            gap[ar.hood[a]] += ar.gap[a]
    for h in range(hd.population.shape[0]):
        hd.shortfall[h] = clip01(gap[h] / need[h]) if need[h] > 0.0 else 0.0
    weekly_fund = pol.fund_rate * n_citizens / 52.0
    grant = p.arena_grant / 52.0
    for h in range(hd.population.shape[0]):
        hd.fund_pot[h] += weekly_fund * hd.fund_weight[h]
        first = hd.first_arena[h]
        last = first + hd.n_arenas[h]
        for a in range(first, last):
            if ar.open[a] == 1 and ar.funded[a] == 1:
                hd.fund_pot[h] -= grant
        if hd.fund_pot[h] < 0.0:  # the fund no longer keeps all its groups going
            for a in range(last - 1, first - 1, -1):
                if ar.open[a] == 1 and ar.funded[a] == 1:
                    ar.open[a] = 0
                    ar.funded[a] = 0
                    ar.starve[a] = 0
                    closed += 1
                    break
            hd.fund_pot[h] = 0.0
        for a in range(first, last):
            if hd.fund_pot[h] < p.arena_setup_cost or weekly_fund <= 0.0:
                break
            if ar.open[a] == 0:
                ar.open[a] = 1
                ar.funded[a] = 1
                ar.starve[a] = 0
                hd.fund_pot[h] -= p.arena_setup_cost
                opened += 1
        if hd.fund_pot[h] > p.arena_setup_cost:  # no slot left: nothing waits to open
            hd.fund_pot[h] = p.arena_setup_cost
    return closed, opened


@_jit
def service_quality(hd, p, pol):
    """Service quality and unmet demand per neighbourhood; returns total unmet hours."""
    unmet = 0.0
    for h in range(hd.population.shape[0]):
        cover = 0.5 * hd.volunteer_hours[h]
        if cover > hd.withdrawn[h]:
            cover = hd.withdrawn[h]
        served = hd.capacity[h] + cover
        if hd.demand[h] > 0.0:
            ratio = served / hd.demand[h]
            hd.quality[h] = (ratio if ratio < 1.0 else 1.0) * (0.75 + 0.25 * p.silo_bridging)
        else:
            hd.quality[h] = 1.0
        gap = hd.demand[h] - served
        if gap > 0.0:
            unmet += gap
    return unmet


@_jit
def wellbeing_phase(c, hd, net, p, pol, on):
    """Kernel of the citizen half of :func:`sim.mechanisms.public_value`."""
    if not on:
        hd.demand[:] = 0.0
        for i in range(c.hood.shape[0]):
            hd.demand[c.hood[i]] += c.need[i] * p.service_hours_per_need
        return
    hd.demand[:] = 0.0
    for i in range(c.hood.shape[0]):
        h = c.hood[i]
        share = ties_share(net, c.part, i)
        ratio = strain_ratio(c.load[i], c.free_time[i])
        target = mattering_target(c.part[i] == 1, pol.recognition, ratio, share)
        c.mattering[i] = c.mattering[i] + p.mattering_rate * (target - c.mattering[i])
        c.need[i] = update_need(
            c.need[i],
            c.need0[i],
            p.need_drift,
            p.prevention_effect,
            hd.value[h] / hd.population[h],
            p.value_reference,
        )
        wb = wellbeing_target(
            c.mattering[i], c.ses[i], c.need[i], share, hd.quality[h], c.exhaustion[i]
        )
        c.wellbeing[i] = c.wellbeing[i] + p.wellbeing_rate * (wb - c.wellbeing[i])
        hd.demand[h] += c.need[i] * p.service_hours_per_need


@_jit
def trust_phase(c, hd, net, trust_prev, p, pol, seed, step, on):
    """Kernel of :func:`sim.mechanisms.trust`. Returns (bad evidence added, unanswered voices)."""
    if not on:
        return 0.0, 0
    destroyed = 0.0
    unanswered = 0
    for i in range(c.hood.shape[0]):
        # A kept promise is the council's word: below the trust gate it is not credited
        # (a broken one is seen by all).
        good = pol.promise_good * trust_gate_factor(c.trust[i], p.trust_gate)
        bad = pol.promise_bad
        contact = p.service_contact_rate * c.need[i] / 0.4
        if uniform(seed, step, i, R.S_CONTACT) < contact:
            if uniform(seed, step, i, R.S_SERVICE_GOOD) < hd.quality[c.hood[i]]:
                good += 1.0
            else:
                bad += 1.0
        if c.part[i] == 1:
            u = uniform(seed, step, i, R.S_HEARD)
            if u < p.voice_rate:
                if u < p.voice_rate * pol.responsiveness:
                    good += 1.0
                else:
                    bad += 0.25
                    unanswered += 1
        a, b = update_trust(
            c.trust_a[i],
            c.trust_b[i],
            p.trust_forgetting,
            good,
            bad,
            p.trust_gain,
            p.trust_loss,
            p.confirmation_bias,
        )
        destroyed += bad * p.trust_loss
        start = net.ptr[i]
        degree = net.ptr[i + 1] - start
        if degree > 0 and uniform(seed, step, i, R.S_WOM) < p.word_of_mouth:
            j = net.idx[start + int(uniform(seed, step, i, R.S_WOM_PICK) * degree)]
            own = trust_of(a, b)
            new = word_of_mouth(own, trust_prev[j], p.wom_confidence, p.wom_convergence)
            if new != own:
                a, b = evidence_for(new, a + b)
        c.trust_a[i] = a
        c.trust_b[i] = b
        c.trust[i] = trust_of(a, b)
    return destroyed, unanswered
