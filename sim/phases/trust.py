"""Mechanism 5: trust in the municipality.

A beta reputation (Jøsang & Ismail 2002): service contacts that respond add good evidence,
those that fail bad; participants who speak up and are told what came of it add good
evidence, those who are not bad (Wigan: "tell us if we get it wrong"); broken promises add
bad evidence to everyone, and kept promises good evidence to those who trust the council
enough to credit its word: below the trust gate (:func:`trust_gate_factor`) a kept promise
is not believed, so a deal launched amid distrust cannot talk its way up (seed 002, Wigan:
the deal presupposes high trust; the legitimacy threshold of Epstein 2002). Bad evidence
weighs more (w⁻ > w⁺, Slovic 1993), prior trust colours new evidence (Poortinga & Pidgeon
2004), and trust spreads along ties by bounded-confidence averaging (Deffuant et al. 2000).
Trust gates participation and recruitment (:func:`trust_gate_factor`).

A service contact is good with the chance of the service the citizen actually gets
(:func:`experienced_quality`): a citizen whose own need went unmet, mostly the least
resourced, has worse contacts than a neighbour who replaced the shortfall privately. Lasting
harm (burnout, leaving for good, a closed group, unmet need; ``Citizens.harm``) keeps adding
bad evidence while it is felt (:data:`HARM_DISTRUST`), so its cost to trust is not forgotten
with the event. The voices raised and answered are counted for the council's review of its
promise to listen (:mod:`sim.phases.leadership`).

Sources: Jøsang & Ismail 2002; Slovic 1993; Poortinga & Pidgeon 2004; Deffuant et al.
2000; Epstein 2002; Wahrendorf, von dem Knesebeck & Siegrist 2006; seed 001 and seed 002
(co-creation needs trust).

Switch: ``mechanisms.trust``. Off, trust stays where it started (a burnout costs no trust).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sim.core import rng as R
from sim.core.jit import jit, rule
from sim.core.rng import uniform, uniform_nb
from sim.core.state import rows
from sim.core.world import NEED_MEAN
from sim.phases.common import harm_felt, sigmoid

if TYPE_CHECKING:
    from sim.core.state import ParamTuple, Policy, World
    from sim.phases import Context

GATE_WIDTH = 0.04
"""Scale of the trust gate's smooth step: 10-90% over 0.16 of trust around the gate
(assumption; Epstein 2002 uses a sharp threshold, smoothed here)."""

UNANSWERED_WEIGHT = 0.25
"""Bad evidence from speaking up and hearing nothing back, relative to one bad service
experience (assumption: a disappointment, not a failure)."""


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
def trust_of(a: float, b: float) -> float:
    """Trust as the expected value of a beta reputation, (a+1)/(a+b+2).

    Source: Jøsang & Ismail 2002, "The Beta Reputation System".
    """
    return (a + 1.0) / (a + b + 2.0)


@rule
def evidence_for(trust: float, n: float) -> tuple[float, float]:
    """Return evidence counts (a, b) with total ``n`` whose trust is ``trust``.

    Used to initialise trust and to move it by word of mouth without changing how
    much evidence a citizen holds (Jøsang & Ismail 2002).
    """
    a = trust * (n + 2.0) - 1.0
    if a < 0.0:
        a = 0.0
    if a > n:
        a = n
    return a, n - a


@rule
def update_trust(
    a: float,
    b: float,
    good: float,
    bad: float,
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
    t = trust_of(a, b)
    tilt = p.confirmation_bias * (2.0 * t - 1.0)
    a = a * p.trust_forgetting + good * p.trust_gain * (1.0 + tilt)
    b = b * p.trust_forgetting + bad * p.trust_loss * (1.0 - tilt)
    return a, b


@rule
def word_of_mouth(own: float, other: float, confidence: float, convergence: float) -> float:
    """Bounded-confidence averaging of trust along one tie.

    If the two views differ by less than ``confidence``, ``own`` moves a share
    ``convergence`` towards ``other``; otherwise nothing changes.

    Source: Deffuant, Neau, Amblard & Weisbuch 2000, Advances in Complex Systems 3.
    """
    if abs(own - other) < confidence:
        return own + convergence * (other - own)
    return own


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
def experienced_quality(ward_quality: float, ward_met: float, unmet: float) -> float:
    """Chance a citizen's service contact is good: the service they actually get.

    The ward's quality is its share of need met times what silos leave of it
    (:func:`sim.phases.public_value.service_quality`); here the citizen's own share met,
    1 − ``unmet``, stands in for the ward's.
    """
    if ward_met <= 0.0:
        return 0.0
    q = ward_quality * (1.0 - unmet) / ward_met
    return q if q < 1.0 else 1.0


@rule
def contact_chance(need: float, rate: float) -> float:
    """Weekly chance a citizen uses a service: ``rate`` at average need, in proportion."""
    return rate * need / NEED_MEAN


# ----------------------------------------------------------------------------- kernel


@jit
def kernel(world, p, pol, ctx):
    """Experiences, promises and word of mouth update every citizen's trust."""
    c, hd, net = world.citizens, world.hoods, world.network
    seed, step = ctx.seed, ctx.step
    if not ctx.switches.trust:
        return TrustTally(0.0, 0, 0)
    destroyed = 0.0
    unanswered = 0
    raised = 0
    for i in range(c.hood.shape[0]):
        h = c.hood[i]
        # A kept promise is the council's word: below the trust gate it is not credited
        # (a broken one is seen by all).
        good = pol.promise_good * trust_gate_factor(c.trust[i], p.trust_gate)
        bad = pol.promise_bad + HARM_DISTRUST * harm_felt(c.harm[i])
        if uniform_nb(seed, step, i, R.S_CONTACT) < contact_chance(
            c.need[i], p.service_contact_rate
        ):
            quality = experienced_quality(hd.quality[h], hd.met[h], c.unmet[i])
            if uniform_nb(seed, step, i, R.S_SERVICE_GOOD) < quality:
                good += 1.0
            else:
                bad += 1.0
        if c.part[i] == 1:
            u = uniform_nb(seed, step, i, R.S_HEARD)
            if u < p.voice_rate:
                raised += 1
                if u < p.voice_rate * pol.responsiveness:
                    good += 1.0
                    c.heard[i] = step
                else:
                    bad += UNANSWERED_WEIGHT
                    unanswered += 1
                    c.ignored[i] = step
        a, b = update_trust(c.trust_a[i], c.trust_b[i], good, bad, p)
        destroyed += bad * p.trust_loss
        start = net.ptr[i]
        degree = net.ptr[i + 1] - start
        if degree > 0 and uniform_nb(seed, step, i, R.S_WOM) < p.word_of_mouth:
            j = net.idx[start + int(uniform_nb(seed, step, i, R.S_WOM_PICK) * degree)]
            own = trust_of(a, b)
            new = word_of_mouth(own, ctx.before.trust[j], p.wom_confidence, p.wom_convergence)
            if new != own:
                a, b = evidence_for(new, a + b)
        c.trust_a[i] = a
        c.trust_b[i] = b
        c.trust[i] = trust_of(a, b)
    world.council.voices_raised[0] += raised
    world.council.voices_answered[0] += raised - unanswered
    return TrustTally(destroyed, unanswered, raised)


def twin(world: World, p: ParamTuple, pol: Policy, ctx: Context) -> TrustTally:
    """The kernel's readable twin: citizen by citizen."""
    if not ctx.switches.trust:
        return TrustTally(0.0, 0, 0)
    hd, net = world.hoods, world.network
    seed, step = ctx.seed, ctx.step
    destroyed = 0.0
    unanswered = raised = 0
    for citizen in rows(world.citizens):
        i, h = citizen.row, citizen.hood
        # A kept promise is the council's word: below the trust gate it is not credited.
        good = pol.promise_good * trust_gate_factor(citizen.trust, p.trust_gate)
        bad = pol.promise_bad + HARM_DISTRUST * harm_felt(citizen.harm)
        if uniform(seed, step, i, R.S_CONTACT) < contact_chance(
            citizen.need, p.service_contact_rate
        ):
            quality = experienced_quality(hd.quality[h], hd.met[h], citizen.unmet)
            if uniform(seed, step, i, R.S_SERVICE_GOOD) < quality:
                good += 1.0
            else:
                bad += 1.0
        if citizen.part == 1:
            u = uniform(seed, step, i, R.S_HEARD)
            if u < p.voice_rate:
                raised += 1
                if u < p.voice_rate * pol.responsiveness:
                    good += 1.0
                    citizen.heard = step
                else:
                    bad += UNANSWERED_WEIGHT
                    unanswered += 1
                    citizen.ignored = step
        a, b = update_trust(citizen.trust_a, citizen.trust_b, good, bad, p)
        destroyed += bad * p.trust_loss
        start, degree = int(net.ptr[i]), int(net.ptr[i + 1] - net.ptr[i])
        if degree > 0 and uniform(seed, step, i, R.S_WOM) < p.word_of_mouth:
            j = net.idx[start + int(uniform(seed, step, i, R.S_WOM_PICK) * degree)]
            own = trust_of(a, b)
            new = word_of_mouth(
                own, float(ctx.before.trust[j]), p.wom_confidence, p.wom_convergence
            )
            if new != own:
                a, b = evidence_for(new, a + b)
        citizen.trust_a = a
        citizen.trust_b = b
        citizen.trust = trust_of(a, b)
    world.council.voices_raised[0] += raised
    world.council.voices_answered[0] += raised - unanswered
    return TrustTally(destroyed, unanswered, raised)
