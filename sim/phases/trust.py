"""Mechanism 5: trust in the municipality.

Trust is a lasting disposition and the evidence of experience. Each citizen has a
disposition to trust the municipality (``Citizens.disposition``), which rises with resources
and education as trust surveys find (OECD Trust Survey 2024) and is stable within persons
(Mayer, Davis & Schoorman 1995; Uslaner 2002; Sønderskov & Dinesen 2016). It weighs
``trust_disposition_weight`` events of evidence that never fade, so trust returns to it
without news and stays as varied as the people are (:func:`trust_of`). Experience is a beta
reputation (Jøsang & Ismail 2002): service contacts that respond add good evidence, those
that fail bad; bad evidence weighs more (w⁻ > w⁺, Slovic 1993), prior trust colours new
evidence (Poortinga & Pidgeon 2004), evidence fades by ``trust_forgetting``, and ties'
views are taken as second-hand evidence within a bounded confidence (Deffuant et al. 2000;
:func:`word_of_mouth`).

A service contact is good with the chance of the service the citizen actually gets
(:func:`experienced_quality`): their own share of need met (a citizen whose need went unmet,
mostly the least resourced, has worse contacts than a neighbour who replaced the shortfall
privately), less the chance that a need spanning services is passed between them unresolved
(:func:`passed_on`), which silo bridging lowers. Silo bridging acts
only there: it is not a multiplier on every contact.

Speaking up and being told what came of it is strong good evidence (``heard_evidence``;
the voice effect of procedural justice, Lind & Tyler 1988; Halvorsen 2003); speaking up and
hearing nothing is bad evidence (``ignored_evidence``; Arnstein 1969, tokenism; Wigan: "tell
us if we get it wrong"). ``responsiveness`` is the chance a voice is answered. An answer
is news once: the same outcome again within ``voice_recency`` weeks adds no evidence
(:func:`voice_news`; fairness heuristic theory, Lind 2001). Broken
promises add bad evidence to everyone, and kept promises good evidence to those who trust the
council enough to credit its word: below the trust gate (:func:`trust_gate_factor`) a kept
promise is not believed, so a deal launched amid distrust cannot talk its way up (seed 002,
Wigan: the deal presupposes high trust; the legitimacy threshold of Epstein 2002). Lasting
harm (burnout, leaving for good, a closed group, unmet need; ``Citizens.harm``) keeps adding
bad evidence while it is felt (:data:`HARM_DISTRUST`). Trust gates participation and
recruitment (:func:`trust_gate_factor`). The voices raised and answered are counted for the
council's review of its promise to listen (:mod:`sim.phases.leadership`), and each citizen's
last week heard and last week ignored are kept (``Citizens.heard``, ``Citizens.ignored``).

Sources: Jøsang & Ismail 2002; Mayer, Davis & Schoorman 1995; Uslaner 2002; Sønderskov &
Dinesen 2016; Slovic 1993; Poortinga & Pidgeon 2004; Deffuant et al. 2000; Lind & Tyler
1988; Lind 2001; Van den Bos, Lind & Wilke 2001; Halvorsen 2003; Arnstein 1969; Epstein
2002; Wahrendorf, von dem Knesebeck & Siegrist 2006; seed 001 and seed 002 (co-creation
needs trust).

Switch: ``mechanisms.trust``. Off, trust stays where it started (a burnout costs no trust).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numba import prange

from sim.core import rng as R
from sim.core.jit import jit, jit_parallel, rule
from sim.core.rng import uniform, uniform_nb
from sim.core.state import beta_trust, rows
from sim.core.world import NEED_MEAN
from sim.phases.common import harm_felt, ordered_sum, sigmoid

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

GATE_WIDTH = 0.04
"""Scale of the trust gate's smooth step: 10-90% over 0.16 of trust around the gate
(assumption; Epstein 2002 uses a sharp threshold, smoothed here)."""

HARM_DISTRUST = 0.02
"""Bad evidence a week, in bad experiences, at full lasting harm (``harm_felt`` of 1):
resentment that lasts as long as the harm (assumption; a year of it is about one bad
experience)."""


class TrustTally(NamedTuple):
    """What the trust phase counted this week."""

    destroyed: float  # bad evidence added (experiences and promises), in trust_loss units
    unanswered: int  # participants who spoke up and heard nothing back
    raised: int  # participants who spoke up


# ------------------------------------------------------------------------------ rules


@rule
def trust_of(a: float, b: float, disposition: float, weight: float) -> float:
    """Trust: the expected value of a beta reputation whose prior is the disposition.

    ``(a + w·d) / (a + b + w)`` for good evidence ``a``, bad evidence ``b``, disposition
    ``d`` and its weight ``w`` (``trust_disposition_weight``): the disposition counts as
    ``w`` events that never fade, so without news trust returns to it. At ``w = 2`` and
    ``d = 1/2`` this is Jøsang & Ismail's (a+1)/(a+b+2). With no evidence and no weight,
    trust is the disposition.

    Sources: Jøsang & Ismail 2002, "The Beta Reputation System"; Mayer, Davis & Schoorman
    1995 (propensity to trust).
    """
    if a + b + weight <= 0.0:
        return disposition
    return beta_trust(a, b, disposition, weight)


@rule
def update_trust(
    a: float,
    b: float,
    good: float,
    bad: float,
    disposition: float,
    p: ParamTuple,
) -> tuple[float, float]:
    """One week of beta-reputation trust updating with asymmetry and prior colouring.

    Evidence decays by the forgetting factor λ (``trust_forgetting``), then ``good``
    experiences add ``trust_gain`` (w⁺) each to ``a`` and ``bad`` ones add ``trust_loss``
    (w⁻) each to ``b``. With w⁻ > w⁺ a broken promise costs more than a kept one earns
    (Slovic 1993, Risk Analysis 13(6)). Prior trust colours how evidence is read: trusting
    citizens weigh good news more and bad news less, sceptics the reverse (Poortinga &
    Pidgeon 2004, Risk Analysis 24(6)), scaled by ``confirmation_bias``.

    Sources: Jøsang & Ismail 2002; Slovic 1993; Poortinga & Pidgeon 2004.
    """
    t = trust_of(a, b, disposition, p.trust_disposition_weight)
    tilt = p.confirmation_bias * (2.0 * t - 1.0)
    a = a * p.trust_forgetting + good * p.trust_gain * (1.0 + tilt)
    b = b * p.trust_forgetting + bad * p.trust_loss * (1.0 - tilt)
    return a, b


@rule
def word_of_mouth(
    own: float, other: float, confidence: float, evidence: float
) -> tuple[float, float]:
    """Good and bad evidence a citizen takes from one tie's view of the municipality.

    Bounded confidence (Deffuant et al. 2000): a view that differs from one's own by
    ``confidence`` or more is dismissed. A view within it is taken as ``evidence`` events
    of second-hand experience, the tie's trust as good evidence and the rest as bad, added
    to one's own as reputations from several sources combine (Jøsang & Ismail 2002). It
    fades like one's own evidence, so talk moves trust towards a tie's without erasing the
    disposition a citizen returns to.
    """
    if abs(own - other) < confidence:
        return evidence * other, evidence * (1.0 - other)
    return 0.0, 0.0


@rule
def trust_gate_factor(trust: float, gate: float) -> float:
    """How far trust opens the door to co-creation: a smooth step at ``gate``.

    Trust is a precondition: co-creation needs trust to start (seed 001, "needs
    trust"; seed 002, Wigan pitfall), and legitimacy gates action as in the grievance
    threshold of Epstein's civil-violence model. The step is :data:`GATE_WIDTH` wide
    in logit units (0.16 from 10% to 90%).
    """
    return sigmoid((trust - gate) / GATE_WIDTH)


@rule
def passed_on(need: float, silo_bridging: float, complex_share: float, failure: float) -> float:
    """Chance a service contact is passed between services unresolved.

    A contact's need spans more than one service with chance ``complex_share`` at average
    need, in proportion to need (at most one): complex needs come with high need. Sectors
    working in silos leave a share ``failure`` of those unresolved, and bridging the silos
    resolves them (seed 002: "silotenkning"; Stange "Hjelpa"'s interdisciplinary teams). The
    effect is bounded by the complex contacts: silo bridging does not touch a simple one.
    """
    complex_chance = complex_share * need / NEED_MEAN
    if complex_chance > 1.0:
        complex_chance = 1.0
    return complex_chance * failure * (1.0 - silo_bridging)


@rule
def experienced_quality(
    unmet: float, need: float, silo_bridging: float, complex_share: float, failure: float
) -> float:
    """Chance a citizen's service contact is good: the service they actually get.

    Their own share of need met, 1 − ``unmet``, less the chance that a need spanning
    services is passed between them unresolved
    (:func:`passed_on`).
    """
    return (1.0 - unmet) * (1.0 - passed_on(need, silo_bridging, complex_share, failure))


@rule
def voice_news(last: int, step: int, recency: float) -> float:
    """Whether a voice's outcome is news: one or zero.

    One unless the citizen had the same outcome (answered, or ignored) within the last
    ``recency`` weeks. A fairness judgement forms from the first information about how one
    is treated and is then used as a heuristic: later treatment of the same kind confirms
    it and adds little (fairness heuristic theory, Lind 2001; Van den Bos, Lind & Wilke
    2001). Without this, a participant speaking up most weeks would count each answer as a
    fresh strong experience. ``last`` is -1 when it never happened.
    """
    if last < 0:
        return 1.0
    return 1.0 if step - last > recency else 0.0


@rule
def contact_chance(need: float, rate: float) -> float:
    """Weekly chance a citizen uses a service: ``rate`` at average need, in proportion."""
    return rate * need / NEED_MEAN


# ----------------------------------------------------------------------------- kernel


class TrustRules(NamedTuple):
    """The parameters :func:`update_trust` reads, for a parallel loop.

    numba hands every field of a record a ``prange`` loop reads to each thread as an
    argument of its own; the parameter record has well over a hundred, which made a loop
    take seconds to compile. A loop reads the few it needs from this record instead.
    """

    trust_disposition_weight: float
    confirmation_bias: float
    trust_forgetting: float
    trust_gain: float
    trust_loss: float


@jit_parallel
def citizens_kernel(c, net, p, pol, seed, step, trust_before):
    """Every citizen's week of trust, in parallel; (destroyed, unanswered, raised).

    Each citizen writes only its own row, and reads its ties' trust from the start of the
    week (``trust_before``). The bad evidence destroyed is added up in row order after.
    The loop reads local names only (see :class:`TrustRules`).
    """
    # The parallel loop reads and writes local names only, bound one to a line
    # (:data:`sim.core.jit.jit_parallel` says why).
    heard = c.heard
    ignored = c.ignored
    trust_a = c.trust_a
    trust_b = c.trust_b
    trust = c.trust
    harm = c.harm
    need = c.need
    unmet = c.unmet
    part = c.part
    disposition = c.disposition
    rules = TrustRules(
        p.trust_disposition_weight,
        p.confirmation_bias,
        p.trust_forgetting,
        p.trust_gain,
        p.trust_loss,
    )
    w = p.trust_disposition_weight
    gate = p.trust_gate
    contact_rate = p.service_contact_rate
    bridging = p.silo_bridging
    complex_share = p.complex_need_share
    failure = p.silo_failure
    voice_rate = p.voice_rate
    heard_evidence = p.heard_evidence
    ignored_evidence = p.ignored_evidence
    recency = p.voice_recency
    trust_loss = p.trust_loss
    wom = p.word_of_mouth
    confidence = p.wom_confidence
    wom_evidence = p.wom_evidence
    promise_good = pol.promise_good
    promise_bad = pol.promise_bad
    answered = voice_rate * pol.responsiveness
    ptr = net.ptr
    idx = net.idx
    lost = np.empty(c.hood.shape[0])
    unanswered = 0
    raised = 0
    for i in prange(lost.shape[0]):
        # A kept promise is the council's word: below the trust gate it is not credited
        # (a broken one is seen by all).
        good = promise_good * trust_gate_factor(trust[i], gate)
        bad = promise_bad + HARM_DISTRUST * harm_felt(harm[i])
        if uniform_nb(seed, step, i, R.S_CONTACT) < contact_chance(need[i], contact_rate):
            quality = experienced_quality(unmet[i], need[i], bridging, complex_share, failure)
            if uniform_nb(seed, step, i, R.S_SERVICE_GOOD) < quality:
                good += 1.0
            else:
                bad += 1.0
        if part[i] == 1:
            u = uniform_nb(seed, step, i, R.S_HEARD)
            if u < voice_rate:
                raised += 1
                if u < answered:
                    good += heard_evidence * voice_news(heard[i], step, recency)
                    heard[i] = step
                else:
                    bad += ignored_evidence * voice_news(ignored[i], step, recency)
                    unanswered += 1
                    ignored[i] = step
        d = disposition[i]
        a, b = update_trust(trust_a[i], trust_b[i], good, bad, d, rules)
        lost[i] = bad * trust_loss
        start = ptr[i]
        degree = ptr[i + 1] - start
        if degree > 0 and uniform_nb(seed, step, i, R.S_WOM) < wom:
            j = idx[start + int(uniform_nb(seed, step, i, R.S_WOM_PICK) * degree)]
            heard_good, heard_bad = word_of_mouth(
                trust_of(a, b, d, w), trust_before[j], confidence, wom_evidence
            )
            a += heard_good
            b += heard_bad
        trust_a[i] = a
        trust_b[i] = b
        trust[i] = trust_of(a, b, d, w)
    return ordered_sum(lost), unanswered, raised


@jit
def kernel(world, p, pol, ctx):
    """Experiences, promises and word of mouth update every citizen's trust."""
    if not ctx.switches.trust:
        return TrustTally(0.0, 0, 0)
    destroyed, unanswered, raised = citizens_kernel(
        world.citizens, world.network, p, pol, ctx.seed, ctx.step, ctx.before.trust
    )
    world.council.voices_raised[0] += raised
    world.council.voices_answered[0] += raised - unanswered
    return TrustTally(destroyed, unanswered, raised)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> TrustTally:
    """The kernel's readable twin: citizen by citizen."""
    if not ctx.switches.trust:
        return TrustTally(0.0, 0, 0)
    net = world.network
    seed, step = ctx.seed, ctx.step
    w = p.trust_disposition_weight
    destroyed = 0.0
    unanswered = raised = 0
    for citizen in rows(world.citizens):
        i = citizen.row
        # A kept promise is the council's word: below the trust gate it is not credited.
        good = pol.promise_good * trust_gate_factor(citizen.trust, p.trust_gate)
        bad = pol.promise_bad + HARM_DISTRUST * harm_felt(citizen.harm)
        if uniform(seed, step, i, R.S_CONTACT) < contact_chance(
            citizen.need, p.service_contact_rate
        ):
            quality = experienced_quality(
                citizen.unmet, citizen.need, p.silo_bridging, p.complex_need_share, p.silo_failure
            )
            if uniform(seed, step, i, R.S_SERVICE_GOOD) < quality:
                good += 1.0
            else:
                bad += 1.0
        if citizen.part == 1:
            u = uniform(seed, step, i, R.S_HEARD)
            if u < p.voice_rate:
                raised += 1
                if u < p.voice_rate * pol.responsiveness:
                    good += p.heard_evidence * voice_news(citizen.heard, step, p.voice_recency)
                    citizen.heard = step
                else:
                    bad += p.ignored_evidence * voice_news(citizen.ignored, step, p.voice_recency)
                    unanswered += 1
                    citizen.ignored = step
        d = citizen.disposition
        a, b = update_trust(citizen.trust_a, citizen.trust_b, good, bad, d, p)
        destroyed += bad * p.trust_loss
        start, degree = int(net.ptr[i]), int(net.ptr[i + 1] - net.ptr[i])
        if degree > 0 and uniform(seed, step, i, R.S_WOM) < p.word_of_mouth:
            j = net.idx[start + int(uniform(seed, step, i, R.S_WOM_PICK) * degree)]
            heard_good, heard_bad = word_of_mouth(
                trust_of(a, b, d, w), float(ctx.before.trust[j]), p.wom_confidence, p.wom_evidence
            )
            a += heard_good
            b += heard_bad
        citizen.trust_a = a
        citizen.trust_b = b
        citizen.trust = trust_of(a, b, d, w)
    world.council.voices_raised[0] += raised
    world.council.voices_answered[0] += raised - unanswered
    return TrustTally(destroyed, unanswered, raised)
