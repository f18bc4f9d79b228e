"""The reference engine: the weekly step written plainly, agent by agent, without numba.

Every function here is the readable twin of the kernel of the same name in
:mod:`sim.kernels`. It walks the Mesa agents one at a time, reads and writes their
attributes, and calls the same scalar rules (:mod:`sim.rules`) with the same keyed
random draws (:func:`sim.core.rng.uniform`). It is the yardstick for correctness
(``tests/test_engines.py``) and for speed (``benchmarks/engine.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import rules
from sim.core import rng as R
from sim.core.rng import uniform
from sim.rules import GONE, IDLE, RECOVERING, VOLUNTEER

if TYPE_CHECKING:
    from sim.model import CoCreationModel
    from sim.model.agents import Citizen


def count_open_arenas(model: CoCreationModel) -> None:
    """Recount open arenas and open anchor arenas per neighbourhood."""
    ar, hd = model.world.arenas, model.world.hoods
    hd.open_arenas[:] = 0
    hd.open_anchors[:] = 0
    for a in range(len(ar.open)):
        if ar.open[a] == 1:
            hd.open_arenas[ar.hood[a]] += 1
            if ar.anchor[a] == 1:
                hd.open_anchors[ar.hood[a]] += 1


def pick_arena(
    model: CoCreationModel, h: int, u: float, anchors_only: bool, places: float, seeking: bool
) -> int:
    """Return the k-th open (anchor) arena of ``h`` that takes a volunteer, k from ``u``."""
    ar, hd = model.world.arenas, model.world.hoods
    first = int(hd.first_arena[h])
    room = [
        a
        for a in range(first, first + int(hd.n_arenas[h]))
        if rules.arena_takes(
            ar.open[a], ar.anchor[a], ar.volunteers[a], ar.gap[a], anchors_only, places, seeking
        )
    ]
    if not room:
        return -1
    return room[int(u * len(room))]


def ties_share(citizen: Citizen, flags) -> float:
    """Share of a citizen's ties for whom ``flags`` is set."""
    net = citizen.model.world.network
    start, end = int(net.ptr[citizen.row]), int(net.ptr[citizen.row + 1])
    if end == start:
        return 0.0
    return sum(int(flags[j]) for j in net.idx[start:end]) / (end - start)


# ------------------------------------------------------------------------------ phases


def professionals_phase(model: CoCreationModel, on: bool) -> None:
    """Each professional splits the week (twin of ``kernels.professionals_phase``)."""
    hd, p, pol = model.world.hoods, model.params, model.policy
    hd.capacity[:] = 0.0
    hd.facilitation[:] = 0.0
    hours = rules.HOURS_PER_WEEK * pol.staff_factor
    for pro in model.professional_list:
        h = pro.hood
        core_demand = max(0.0, (hd.demand[h] - hd.withdrawn[h]) / hd.professionals[h])
        core, fac, over = rules.professional_week(
            hours,
            pro.strain,
            pol.rules_weight,
            pol.targets_weight,
            pol.facilitation_share,
            pro.mandate,
            core_demand,
            p.strain_productivity,
        )
        pro.core_hours = core
        pro.facilitation_hours = fac
        pro.overload = over
        if on:
            pro.strain = rules.update_strain(pro.strain, over, p.strain_rate)
        hd.capacity[h] += core
        hd.facilitation[h] += fac * pro.competence


def recruitment_phase(model: CoCreationModel, vol_prev, on: bool) -> list[int]:
    """Idle citizens may be asked and say yes (twin of ``kernels.recruitment_phase``)."""
    recruits = [0, 0, 0, 0]
    count_open_arenas(model)
    if not on:
        return recruits
    hd, net, p, pol = model.world.hoods, model.world.network, model.params, model.policy
    ar = model.world.arenas
    seed, step = model.seed, model.week
    ar.volunteers[:] = 0
    for citizen in model.citizen_list:
        if citizen.state == VOLUNTEER and citizen.arena >= 0:
            ar.volunteers[citizen.arena] += 1
    for citizen in model.citizen_list:
        if citizen.state != IDLE:
            continue
        i, h = citizen.row, citizen.hood
        if hd.open_arenas[h] == 0:
            continue
        volunteer_ties = sum(int(vol_prev[j]) for j in net.idx[net.ptr[i] : net.ptr[i + 1]])
        anchor_rate = p.anchor_reach * pol.anchor_use if hd.open_anchors[h] > 0 else 0.0
        out_rate = rules.outreach_rate(
            citizen.ses, p.outreach_reach, pol.outreach, pol.outreach_targeting
        )
        vacancy = hd.shortfall[h]
        p_tie, p_anchor, p_out = rules.ask_probabilities(
            volunteer_ties, p.tie_ask_rate * vacancy, anchor_rate * vacancy, out_rate * vacancy
        )
        if uniform(seed, step, i, R.S_ASK_TIE) < p_tie:
            channel = rules.BY_TIE
        elif uniform(seed, step, i, R.S_ASK_ANCHOR) < p_anchor:
            channel = rules.BY_ANCHOR
        elif uniform(seed, step, i, R.S_ASK_OUTREACH) < p_out:
            channel = rules.BY_OUTREACH
        else:
            continue
        p_yes = rules.acceptance_probability(
            citizen.ses,
            citizen.trust,
            citizen.mattering,
            citizen.free_time / p.free_time_mean,
            citizen.cynicism,
            p.acceptance_base,
            p.participation_resources,
            p.participation_trust,
            p.participation_fatigue,
            p.trust_gate,
        )
        if uniform(seed, step, i, R.S_ACCEPT) >= p_yes:
            continue
        u = uniform(seed, step, i, R.S_ARENA_PICK)
        a = pick_arena(model, h, u, channel == rules.BY_ANCHOR, p.arena_places, True)
        if a < 0:  # no arena that could take them is looking for hands
            continue
        ar.volunteers[a] += 1
        ar.gap[a] -= p.hours_per_member * pol.expectation
        citizen.arena = a
        citizen.state = VOLUNTEER
        citizen.channel = channel
        citizen.joined = step
        citizen.commitment = 0.1
        recruits[channel] += 1
    return recruits


def participation_phase(
    model: CoCreationModel, part_prev, burnt_prev, invitation: float, on: bool
) -> tuple[int, int]:
    """Volunteers stay or go; others decide to take part (twin of the kernel)."""
    ar, hd, p, pol = model.world.arenas, model.world.hoods, model.params, model.policy
    seed, step = model.seed, model.week
    exits = stranded = 0
    hd.participants[:] = 0
    for citizen in model.citizen_list:
        i, h, s = citizen.row, citizen.hood, citizen.state
        citizen.asked = 0
        if s == VOLUNTEER:
            a = citizen.arena
            if a < 0 or ar.open[a] == 0:
                u = uniform(seed, step, i, R.S_ARENA_PICK)
                a = pick_arena(model, h, u, False, rules.NO_LIMIT, False)
                citizen.arena = a
            if a < 0:
                citizen.state = IDLE
                citizen.part = 0
                stranded += 1
                continue
            last = rules.usual_hours(
                citizen.episodic, citizen.hours, citizen.hours_recent, step - citizen.joined
            )
            p_exit = rules.exit_probability(
                p.volunteer_exit_base, citizen.cynicism, citizen.mattering, last
            )
            if uniform(seed, step, i, R.S_EXIT) < p_exit:
                citizen.state = IDLE
                citizen.arena = -1
                citizen.part = 0
                exits += 1
                continue
            citizen.part = 1
        elif s == RECOVERING:
            citizen.part = 0
        else:
            out_rate = rules.outreach_rate(
                citizen.ses, p.outreach_reach, pol.outreach, pol.outreach_targeting
            )
            asked = uniform(seed, step, i, R.S_ASK_OUTREACH) < out_rate
            citizen.asked = 1 if asked else 0
            access = min(1.0, hd.open_arenas[h] / hd.start_arenas[h])
            if on:
                prob = rules.participation_probability(
                    citizen.ses,
                    citizen.trust,
                    citizen.mattering,
                    citizen.free_time / p.free_time_mean,
                    citizen.cynicism,
                    ties_share(citizen, part_prev),
                    ties_share(citizen, burnt_prev),
                    citizen.threshold,
                    (1.0 if asked else 0.0) + invitation * 2.0 * citizen.trust,
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
                prob = rules.sigmoid(p.participation_base) * access
            citizen.part = 1 if uniform(seed, step, i, R.S_PARTICIPATE) < prob else 0
        hd.participants[h] += citizen.part
    return exits, stranded


def workload_phase(model: CoCreationModel, expected_hours: float, on: bool) -> float:
    """Arena hours fall on volunteers (twin of ``kernels.workload_phase``)."""
    ar, hd, p, pol = model.world.arenas, model.world.hoods, model.params, model.policy
    concentration = p.load_concentration if on else 0.0
    implicit_total = 0.0
    for h in range(len(hd.population)):
        nonpart = hd.population[h] - hd.participants[h]
        hd.implicit[h] = expected_hours * nonpart * p.implicit_demand_share
        if hd.open_arenas[h] == 0:
            hd.implicit[h] = 0.0
        implicit_total += hd.implicit[h]
    for a in range(len(ar.open)):
        ar.weight[a] = 0.0
        ar.volunteers[a] = 0
        ar.received[a] = 0.0
        h = ar.hood[a]
        if ar.open[a] == 1:
            fac = hd.facilitation[h] / hd.open_arenas[h]
            load = ar.demand[a] * (1.0 - 0.4 * pol.support)
            load += hd.implicit[h] / hd.open_arenas[h]
            ar.facilitation[a] = fac
            ar.load[a] = max(load, 0.0)
        else:
            ar.facilitation[a] = 0.0
            ar.load[a] = 0.0
    seed, step = model.seed, model.week

    def stint(citizen: Citizen) -> float:
        if citizen.episodic == 0:
            return 1.0
        active = uniform(seed, step, citizen.row, R.S_STINT) < p.episodic_activity
        return rules.stint_factor(citizen.episodic, active, p.episodic_activity)

    volunteers = [c for c in model.citizen_list if c.state == VOLUNTEER]
    for citizen in volunteers:
        a = citizen.arena
        conc = rules.arena_concentration(concentration, ar.facilitation[a], ar.demand[a])
        ar.weight[a] += rules.load_weight(citizen.commitment, conc) * stint(citizen)
        ar.volunteers[citizen.arena] += 1
    spare = [0.0] * len(ar.open)  # members' time to spare below their work limit
    for citizen in model.citizen_list:
        citizen.load = 0.0
        citizen.hours = 0.0
        if citizen.state == VOLUNTEER:
            a = citizen.arena
            conc = rules.arena_concentration(concentration, ar.facilitation[a], ar.demand[a])
            factor = stint(citizen)
            if factor > 0.0:  # zero for an episodic volunteer between stints
                w = rules.load_weight(citizen.commitment, conc) * factor
                citizen.load = pol.expectation * ar.load[a] * w / ar.weight[a]
                citizen.hours = rules.hours_given(citizen.load, citizen.free_time, p.work_limit)
                ar.received[a] += citizen.hours
                spare[a] += p.work_limit * citizen.free_time - citizen.hours
    # Off, the need is split evenly and nothing is asked again.
    fill = [
        rules.top_up_share(ar.load[a], ar.received[a], spare[a]) if on else 0.0
        for a in range(len(ar.open))
    ]
    for citizen in model.citizen_list:
        if citizen.state == VOLUNTEER:
            a = citizen.arena
            if citizen.load > 0.0 and fill[a] > 0.0:
                extra = fill[a] * (p.work_limit * citizen.free_time - citizen.hours)
                citizen.load = citizen.load + extra
                citizen.hours = citizen.hours + extra
                ar.received[a] += extra
            if citizen.load > 0.0:
                citizen.commitment = rules.update_commitment(
                    citizen.commitment, citizen.hours, p.free_time_mean, p.commitment_growth
                )
        else:
            citizen.commitment = citizen.commitment * 0.98
        citizen.hours_given = citizen.hours_given + citizen.hours
        citizen.hours_recent = citizen.hours_recent * (51.0 / 52.0) + citizen.hours / 52.0
    return implicit_total


def burnout_phase(
    model: CoCreationModel, on: bool, trust_on: bool, value_on: bool
) -> tuple[int, int, int]:
    """Exhaustion, cynicism, burnout and recovery (twin of ``kernels.burnout_phase``)."""
    p, pol, seed, step = model.params, model.policy, model.seed, model.week
    burnouts = returned = gone = 0
    for citizen in model.citizen_list:
        s = citizen.state
        if s == VOLUNTEER:
            if not on:
                continue
            ratio = rules.strain_ratio(citizen.load, citizen.free_time)
            e = rules.update_exhaustion(
                citizen.exhaustion, ratio, p.burnout_sensitivity, p.recovery_rate, pol.support
            )
            citizen.exhaustion = e
            citizen.cynicism = rules.update_cynicism(citizen.cynicism, e, p.cynicism_rate)
            if e >= p.burnout_threshold:
                citizen.state = RECOVERING
                citizen.arena = -1
                citizen.part = 0
                model.world.hoods.participants[citizen.hood] -= 1
                citizen.burnouts = citizen.burnouts + 1
                citizen.commitment = 0.0
                if value_on:
                    citizen.mattering = rules.clip01(citizen.mattering - 0.2)
                if trust_on:
                    citizen.trust_b = citizen.trust_b + 2.0 * p.trust_loss
                    citizen.trust = rules.trust_of(citizen.trust_a, citizen.trust_b)
                burnouts += 1
        elif s == RECOVERING:
            e = rules.rest_exhaustion(citizen.exhaustion, p.recovery_rate, pol.support)
            citizen.exhaustion = e
            citizen.cynicism = rules.update_cynicism(citizen.cynicism, e, 0.5 * p.cynicism_rate)
            if e < 0.25 * p.burnout_threshold:
                if uniform(seed, step, citizen.row, R.S_RETURN) < p.return_chance:
                    citizen.state = IDLE
                    returned += 1
                else:
                    citizen.state = GONE
                    gone += 1
        else:
            e = rules.rest_exhaustion(citizen.exhaustion, p.recovery_rate, 0.0)
            citizen.exhaustion = e
            if s == IDLE:  # those gone for good stay cynical
                citizen.cynicism = rules.update_cynicism(citizen.cynicism, e, 0.2 * p.cynicism_rate)
    return burnouts, returned, gone


def arena_phase(model: CoCreationModel, on: bool) -> tuple[int, int]:
    """Arenas produce value, starve and close, and the fund opens new ones."""
    ar, hd, p, pol = model.world.arenas, model.world.hoods, model.params, model.policy
    closed = opened = 0
    planned = p.hours_per_member * pol.expectation  # hours an arena plans on per member
    hd.value[:] = 0.0
    hd.volunteer_hours[:] = 0.0
    for a in range(len(ar.open)):
        ar.value[a] = 0.0
        if ar.open[a] == 0:
            continue
        h = ar.hood[a]
        hd.volunteer_hours[h] += ar.received[a]
        if on:
            v = rules.coproduction(
                ar.facilitation[a], ar.received[a], p.cocreation_substitution, p.arena_productivity
            )
            ar.value[a] = v
            hd.value[h] += v
        if rules.starved(ar.load[a], ar.received[a], ar.volunteers[a], planned):
            ar.starve[a] += 1
        else:
            ar.starve[a] = 0
        if ar.starve[a] >= 8:
            ar.open[a] = 0
            ar.funded[a] = 0
            ar.starve[a] = 0
            closed += 1
    need = [0.0] * len(hd.population)
    gap = [0.0] * len(hd.population)
    for a in range(len(ar.open)):
        ar.gap[a] = 0.0
        if ar.open[a] == 1:
            ar.gap[a] = rules.arena_gap(ar.load[a], ar.received[a], ar.volunteers[a], planned)
            need[ar.hood[a]] += ar.load[a]
            gap[ar.hood[a]] += ar.gap[a]
    for h in range(len(hd.population)):
        hd.shortfall[h] = rules.clip01(gap[h] / need[h]) if need[h] > 0.0 else 0.0
    weekly_fund = pol.fund_rate * model.n_citizens / 52.0
    grant = p.arena_grant / 52.0
    for h in range(len(hd.population)):
        hd.fund_pot[h] += weekly_fund * hd.fund_weight[h]
        first = int(hd.first_arena[h])
        last = first + int(hd.n_arenas[h])
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


def service_quality(model: CoCreationModel) -> float:
    """Service quality and unmet demand per neighbourhood; returns total unmet hours."""
    hd, p = model.world.hoods, model.params
    unmet = 0.0
    for h in range(len(hd.population)):
        cover = min(0.5 * hd.volunteer_hours[h], hd.withdrawn[h])
        served = hd.capacity[h] + cover
        if hd.demand[h] > 0.0:
            hd.quality[h] = min(served / hd.demand[h], 1.0) * (0.75 + 0.25 * p.silo_bridging)
        else:
            hd.quality[h] = 1.0
        unmet += max(hd.demand[h] - served, 0.0)
    return unmet


def wellbeing_phase(model: CoCreationModel, on: bool) -> None:
    """Mattering, need and wellbeing of each citizen (twin of ``kernels.wellbeing_phase``)."""
    hd, p, pol = model.world.hoods, model.params, model.policy
    hd.demand[:] = 0.0
    part = model.world.citizens.part
    for citizen in model.citizen_list:
        h = citizen.hood
        if on:
            share = ties_share(citizen, part)
            ratio = rules.strain_ratio(citizen.load, citizen.free_time)
            target = rules.mattering_target(citizen.part == 1, pol.recognition, ratio, share)
            citizen.mattering = citizen.mattering + p.mattering_rate * (target - citizen.mattering)
            citizen.need = rules.update_need(
                citizen.need,
                citizen.need0,
                p.need_drift,
                p.prevention_effect,
                hd.value[h] / hd.population[h],
                p.value_reference,
            )
            wb = rules.wellbeing_target(
                citizen.mattering,
                citizen.ses,
                citizen.need,
                share,
                hd.quality[h],
                citizen.exhaustion,
            )
            citizen.wellbeing = citizen.wellbeing + p.wellbeing_rate * (wb - citizen.wellbeing)
        hd.demand[h] += citizen.need * p.service_hours_per_need


def trust_phase(model: CoCreationModel, trust_prev, on: bool) -> tuple[float, int]:
    """Experiences, promises and word of mouth update trust (twin of the kernel)."""
    if not on:
        return 0.0, 0
    hd, net, p, pol = model.world.hoods, model.world.network, model.params, model.policy
    seed, step = model.seed, model.week
    destroyed = 0.0
    unanswered = 0
    for citizen in model.citizen_list:
        i = citizen.row
        # A kept promise is the council's word: below the trust gate it is not credited.
        good = pol.promise_good * rules.trust_gate_factor(citizen.trust, p.trust_gate)
        bad = pol.promise_bad
        if uniform(seed, step, i, R.S_CONTACT) < p.service_contact_rate * citizen.need / 0.4:
            if uniform(seed, step, i, R.S_SERVICE_GOOD) < hd.quality[citizen.hood]:
                good += 1.0
            else:
                bad += 1.0
        if citizen.part == 1:
            u = uniform(seed, step, i, R.S_HEARD)
            if u < p.voice_rate:
                if u < p.voice_rate * pol.responsiveness:
                    good += 1.0
                else:
                    bad += 0.25
                    unanswered += 1
        a, b = rules.update_trust(
            citizen.trust_a,
            citizen.trust_b,
            p.trust_forgetting,
            good,
            bad,
            p.trust_gain,
            p.trust_loss,
            p.confirmation_bias,
        )
        destroyed += bad * p.trust_loss
        start, degree = int(net.ptr[i]), int(net.ptr[i + 1] - net.ptr[i])
        if degree > 0 and uniform(seed, step, i, R.S_WOM) < p.word_of_mouth:
            j = net.idx[start + int(uniform(seed, step, i, R.S_WOM_PICK) * degree)]
            own = rules.trust_of(a, b)
            new = rules.word_of_mouth(
                own, float(trust_prev[j]), p.wom_confidence, p.wom_convergence
            )
            if new != own:
                a, b = rules.evidence_for(new, a + b)
        citizen.trust_a = a
        citizen.trust_b = b
        citizen.trust = rules.trust_of(a, b)
    return destroyed, unanswered
