"""The weekly step: one module per mechanism, one contract, one ordered schedule.

Each ``sim/phases/<mechanism>.py`` reads the same way: a docstring (what the mechanism does,
its sources, its switch); its named constants, each with a reason or a source; its scalar
rules; its numba ``kernel`` over the state arrays and, directly below it, its readable
``twin``, which walks the agents one by one. Kernel and twin share one contract::

    phase(world, params, policy, ctx) -> tally

* ``world`` (:class:`~sim.core.state.World`) is all the state, which the phase updates in
  place;
* ``params`` (:data:`~sim.core.state.ParamTuple`) every parameter value, by name;
* ``policy`` (:class:`~sim.core.state.Policy`) what leaders put into effect this week;
* ``ctx`` (:class:`Context`) the week: seed, step, switches, the deal, and last week's
  state where a decision must not see this week's changes;
* the ``tally`` is a typed record of what the phase counted this week, which the reporters
  read (:mod:`sim.model.reporters`).

Phases talk to each other only through the world's state: a later phase reads what an
earlier one wrote (the leaders' policy is the one exception, carried by leadership's tally).
The leadership and accounting phases loop over no agents, so they are plain Python and their
twin is the phase itself.

Random draws are keyed by (seed, step, agent, stream) (:mod:`sim.core.rng`), so most
decisions do not depend on the order agents are visited in, and each phase's per-citizen
loop runs in parallel (``citizens_kernel``, under ``numba.prange``). Two things do depend
on order. Recruits join arenas whose gaps are counted down as they join: the claims are
made in parallel and settled in row order, ward by ward (:mod:`sim.phases.recruitment`).
And sums of floating-point numbers over agents (the hours an arena receives) depend on
their order in the last bits: each citizen's share is written in the parallel loop and
added up in row order after; a ward's or an arena's sum ward by ward in parallel, each
ward's citizens being one run of rows in order. The twins visit agents by row, so the
engines agree to the bit at any number of threads (``docs/architecture.md``, Threads).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numba
import numpy as np
from numba import prange
from numba.core.dispatcher import Dispatcher

from sim.core.jit import PARALLEL_CHUNK, jit_parallel
from sim.core.params import ENGINES
from sim.core.state import Deal, ParamTuple, Policy, Role, Switches, World
from sim.phases import (
    accounting,
    burnout,
    cross_pressure,
    leadership,
    participation,
    public_value,
    recruitment,
    trust,
    workload,
)


class Snapshot(NamedTuple):
    """The state at the start of the week.

    Read by decisions that must not see this week's changes (double buffering).
    """

    volunteer: np.ndarray  # int8, 1 for a citizen in a volunteering role
    part: np.ndarray  # int8, took part last week
    burnt: np.ndarray  # int8, 1 for a citizen recovering or gone for good
    trust: np.ndarray  # trust in the municipality


class Context(NamedTuple):
    """The week a phase runs in: the same record for every phase."""

    seed: int  # the run's seed, the first part of every random draw's key
    step: int  # the week, from 1
    switches: Switches  # which mechanisms are on
    deal: Deal  # the council's promises and the citizens' part
    before: Snapshot  # the state at the start of the week


class Phase(NamedTuple):
    """One entry of the schedule: a mechanism's kernel and its twin."""

    mechanism: str  # its name, which is also its switch in a scenario's ``mechanisms``
    kernel: Callable[..., Any]  # numba, over the state arrays
    twin: Callable[..., Any]  # plain Python, agent by agent


SCHEDULE: tuple[Phase, ...] = (
    Phase("leadership", leadership.kernel, leadership.twin),
    Phase("cross_pressure", cross_pressure.kernel, cross_pressure.twin),
    Phase("recruitment", recruitment.kernel, recruitment.twin),
    Phase("participation", participation.kernel, participation.twin),
    Phase("workload", workload.kernel, workload.twin),
    Phase("burnout", burnout.kernel, burnout.twin),
    Phase("public_value", public_value.kernel, public_value.twin),
    Phase("trust", trust.kernel, trust.twin),
    Phase("accounting", accounting.kernel, accounting.twin),
)
"""The weekly step, in order. Leadership comes first and sets the week's policy."""


class Tallies(NamedTuple):
    """One week's tallies, one per phase, in schedule order."""

    leadership: leadership.LeadershipTally
    cross_pressure: cross_pressure.CrossPressureTally
    recruitment: recruitment.RecruitmentTally
    participation: participation.ParticipationTally
    workload: workload.WorkloadTally
    burnout: burnout.BurnoutTally
    public_value: public_value.PublicValueTally
    trust: trust.TrustTally
    accounting: accounting.AccountingTally


@jit_parallel
def _snapshot(state, part, trust):
    """The arrays of :class:`Snapshot`, citizens in parallel."""
    n = state.shape[0]
    volunteer = np.empty(n, dtype=np.int8)
    part_before = np.empty(n, dtype=np.int8)
    burnt = np.empty(n, dtype=np.int8)
    trust_before = np.empty(n)
    for i in prange(n):
        volunteer[i] = 1 if state[i] == Role.VOLUNTEER else 0
        part_before[i] = part[i]
        burnt[i] = 1 if state[i] == Role.RECOVERING or state[i] == Role.GONE else 0
        trust_before[i] = trust[i]
    return volunteer, part_before, burnt, trust_before


def snapshot(world: World) -> Snapshot:
    """The state at the start of a week (copies, so the week's changes do not show)."""
    c = world.citizens
    return Snapshot(*_snapshot(c.state, c.part, c.trust))


def bind(engine: str, args: Sequence[Any]) -> list[Callable[..., Any]]:
    """The schedule's functions for one engine, ready to call with arguments like ``args``.

    For the numba engine each kernel is compiled (or loaded from the cache) for the types
    of ``args`` once, and its compiled entry point is returned. Calling that skips numba's
    type dispatch, which costs more than the unboxing of the world's arrays (measured:
    about 75 of 95 microseconds a call at 2,000 citizens), so a model binds its schedule
    once, to its own world, and pays only the unboxing each week. The types of a model's
    arguments do not change during a run: its world's arrays keep their dtypes, and every
    parameter and policy value is a float.

    Raises:
        ValueError: for an unknown engine.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine != "numba":
        return [phase.twin for phase in SCHEDULE]
    signature = tuple(numba.typeof(a) for a in args)
    return [
        phase.kernel.compile(signature) if isinstance(phase.kernel, Dispatcher) else phase.kernel
        for phase in SCHEDULE
    ]


def run_week(
    functions: Sequence[Callable[..., Any]],
    world: World,
    params: ParamTuple,
    policy: Policy,
    ctx: Context,
) -> Tallies:
    """Run the schedule's phases in order; return their tallies.

    Leadership, the first phase, sets the policy every later phase reads.
    """
    tallies = []
    with numba.parallel_chunksize(PARALLEL_CHUNK):  # balanced threads; see PARALLEL_CHUNK
        for function in functions:
            tally = function(world, params, policy, ctx)
            if isinstance(tally, leadership.LeadershipTally):
                policy = tally.policy
            tallies.append(tally)
    return Tallies(*tallies)
