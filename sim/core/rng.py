"""Counter-based random numbers keyed by (seed, step, agent, stream).

Every random draw in the weekly step is a pure function of its key, so

* results are bit-identical whatever the number of threads or processes,
* the numba engine and the plain-Python reference engine see the same draws,
* two scenarios run with the same seed face the same draws for the same agent and
  purpose (common random numbers), which makes paired comparisons fair.

The hash is splitmix64's finaliser (Steele, Lea & Flood 2014, "Fast splittable
pseudorandom number generators", OOPSLA), applied to a mixed key. Two versions exist:
:func:`uniform` in plain Python (used by the reference engine) and
:func:`uniform_nb` compiled by numba. ``tests/test_rng.py`` checks they agree bit for bit.
"""

from __future__ import annotations

import numpy as np

from sim.core.jit import jit_inline

MASK64 = 0xFFFFFFFFFFFFFFFF

SEED_MAX = MASK64
"""The largest seed: draws are keyed by the seed as an unsigned 64-bit integer, so a seed
lies in 0 to 2**64 - 1 (``cocreate`` refuses others)."""


def check_seed(value: object, name: str = "rng") -> int:
    """One run's seed as an int: a non-negative integer up to :data:`SEED_MAX`.

    Every entry point that takes a seed (the model's ``rng``, :func:`sim.run_scenario`,
    the EMA and SALib factories) calls this, so that a list, a float such as 0.5 or a
    string is refused in one line instead of being hashed into some seed.

    Args:
        value: the seed given; an integral float (``3.0``) or numpy integer is accepted.
        name: how the message names it (``rng``, ``--seed``).

    Raises:
        ValueError: naming ``name``, the value and what is allowed.
    """
    allowed = f"allowed one non-negative integer up to {SEED_MAX}"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        hint = (
            " (one seed per run: give batch_run's rng or client.map a list, not one call)"
            if isinstance(value, list | tuple | np.ndarray)
            else ""
        )
        raise ValueError(f"{name}: {value!r} is not a seed; {allowed}{hint}")
    if not 0 <= int(value) <= SEED_MAX:
        raise ValueError(f"{name}: {int(value)} is out of range; {allowed}")
    return int(value)


_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_K_STEP = 0xD1B54A32D192ED03
_K_AGENT = 0xABC98388FB8FAC03
_K_STREAM = 0x8CB92BA72F3D8DD7
_INV53 = 1.0 / 9007199254740992.0  # 2**-53

# Streams: one per kind of decision, so that switching one mechanism off does not shift
# the draws of another.
S_ASK_TIE = 1
S_ASK_ANCHOR = 2
S_ASK_OUTREACH = 3
S_ACCEPT = 4
S_ARENA_PICK = 5
S_PARTICIPATE = 6
S_EXIT = 7
S_RETURN = 8
S_CONTACT = 9
S_SERVICE_GOOD = 10
S_HEARD = 11
S_WOM = 12
S_WOM_PICK = 13
S_STINT = 14
S_OCCASION = 15  # a volunteering occasion in a week with hours (sim.core.survey)
S_ASK_CALL = 16  # a deal's call to take on a role (sim.phases.recruitment)


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * _M1) & MASK64
    z = ((z ^ (z >> 27)) * _M2) & MASK64
    return z ^ (z >> 31)


def uniform(seed: int, step: int, agent: int, stream: int) -> float:
    """Return a uniform float in [0, 1) for one key (plain Python).

    Args:
        seed: run seed (non-negative).
        step: model step (week).
        agent: row index of the agent (or arena).
        stream: decision kind, one of the ``S_*`` constants.

    Returns:
        A float in [0, 1) with 53 random bits.
    """
    z = (seed * _GOLDEN) & MASK64
    z = _mix((z + step * _K_STEP) & MASK64)
    z = _mix((z + agent * _K_AGENT + stream * _K_STREAM) & MASK64)
    return (z >> 11) * _INV53


_U_GOLDEN = np.uint64(_GOLDEN)
_U_M1 = np.uint64(_M1)
_U_M2 = np.uint64(_M2)
_U_K_STEP = np.uint64(_K_STEP)
_U_K_AGENT = np.uint64(_K_AGENT)
_U_K_STREAM = np.uint64(_K_STREAM)
_U30 = np.uint64(30)
_U27 = np.uint64(27)
_U31 = np.uint64(31)
_U11 = np.uint64(11)


@jit_inline
def _mix_nb(z):
    z = (z ^ (z >> _U30)) * _U_M1
    z = (z ^ (z >> _U27)) * _U_M2
    return z ^ (z >> _U31)


@jit_inline
def uniform_nb(seed, step, agent, stream):
    """Numba twin of :func:`uniform`; identical output for identical keys."""
    z = np.uint64(seed) * _U_GOLDEN
    z = _mix_nb(z + np.uint64(step) * _U_K_STEP)
    z = _mix_nb(z + np.uint64(agent) * _U_K_AGENT + np.uint64(stream) * _U_K_STREAM)
    return np.float64(z >> _U11) * _INV53


def stream_seed(seed: int, purpose: int) -> np.random.Generator:
    """Return a numpy Generator for set-up draws, keyed by (seed, purpose).

    Set-up (population, network, arenas) is vectorised numpy, shared by both engines,
    and keyed so that scenarios with the same municipality and seed build the same
    population.
    """
    return np.random.default_rng([int(seed) & MASK64, int(purpose)])
