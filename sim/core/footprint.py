"""How much memory and time a run will take, estimated before its model is built.

A valid scenario can still be too big for the machine: two million citizens with a dense
network take about 10 GB and minutes just to build. :func:`footprint` estimates a run's
peak memory and its time from the population, the network degree, the neighbourhoods
and the weeks, so that a command can warn (above :data:`MEMORY_WARN_BYTES` or
:data:`TIME_WARN_SECONDS`) or refuse (above :func:`available_memory`) before it starts.

The constants were measured on the model as it is (issue 13; Python 3.12, numpy 2,
2-core machine): the peak resident memory of building the Wigan Deal and running a few
weeks, over the memory of the process after its imports, at 20,000 to 600,000 citizens
and network degrees 0 to 40. A least-squares fit gave about 200 to 480 bytes a citizen
and 100 bytes a citizen per unit of degree; the constants take the larger per-citizen
figure, so the estimate errs high (by up to a third at degree 8). The time constants are
rough (the build's sort grows a little faster than linearly) and are for the warning only.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from sim.core.params import QUINTILES

__all__ = [
    "MEMORY_WARN_BYTES",
    "TIME_WARN_SECONDS",
    "WORKER_BYTES",
    "Footprint",
    "available_memory",
    "footprint",
    "format_bytes",
    "format_seconds",
]

BYTES_PER_CITIZEN = 540
"""Memory per citizen: the state arrays and the Mesa agent that views its row (measured:
96 MB over the process for 200,000 citizens without ties, 480 bytes a citizen; issue 12
added five arrays, the trust disposition and the last weeks heard, ignored, taking part and
volunteering, 24 bytes, and traced peaks at 10,000 citizens rose to 509 bytes, so 540)."""

BYTES_PER_TIE = 100
"""Memory per citizen per unit of ``network_degree``: each tie is held twice in the
network, and building it sorts several arrays of the draws (measured: 317 MB between
degree 8 and 40 at 100,000 citizens)."""

BYTES_PER_GROUP_WEEK = 240
"""Memory per neighbourhood or quintile per week: the rows of the breakdown tables
(measured: 48 MB for 200 neighbourhoods over 20 years)."""

WORKER_BYTES = 320 * 2**20
"""Memory of a local worker process before it builds a model: Python, numpy, numba,
Mesa and pandas with the kernels loaded (measured: a spawned compare worker peaked at
336 MB with a 20,000-citizen model, of which about 25 MB was the model)."""

SECONDS_PER_CITIZEN_BUILD = 1.3e-5
"""Build time per citizen (measured: 2.8 s for 200,000 citizens without ties)."""

SECONDS_PER_TIE_BUILD = 3.5e-6
"""Build time per citizen per unit of degree (measured: 11 s more at 100,000 citizens
between degree 8 and 40)."""

SECONDS_PER_CITIZEN_WEEK = 1.1e-6
"""Step time per citizen per week (measured: 0.09 s a week for 200,000 citizens)."""

SECONDS_PER_TIE_WEEK = 1.6e-8
"""Step time per citizen per unit of degree per week (word of mouth and asking ties)."""

MEMORY_WARN_BYTES = 2 * 2**30
"""A run estimated above this (2 GiB) is announced before it starts."""

TIME_WARN_SECONDS = 15 * 60.0
"""A run estimated above this (15 minutes) is announced before it starts."""


@dataclass(frozen=True)
class Footprint:
    """What one run is estimated to take.

    Attributes:
        bytes: peak memory of the model, over the process it runs in.
        seconds: time to build it and run its weeks.
    """

    bytes: int
    seconds: float

    def describe(self) -> str:
        """``about 1.2 GB and 4 minutes``."""
        return f"about {format_bytes(self.bytes)} and {format_seconds(self.seconds)}"


SIZE_PARAMETERS: tuple[str, ...] = ("citizens", "network_degree", "neighbourhoods")
"""The parameters an estimate reads (:func:`footprint`), with the weeks run."""


def footprint(values: Mapping[str, float], weeks: int) -> Footprint:
    """Estimate one run's peak memory and time.

    Args:
        values: the parameters, flat (``citizens``, ``network_degree`` and
            ``neighbourhoods`` are read).
        weeks: weeks run.

    Returns:
        The estimate (:class:`Footprint`).
    """
    n = float(values["citizens"])
    ties = n * float(values["network_degree"])
    groups = float(values["neighbourhoods"]) + QUINTILES + 1
    memory = BYTES_PER_CITIZEN * n + BYTES_PER_TIE * ties + BYTES_PER_GROUP_WEEK * groups * weeks
    build = SECONDS_PER_CITIZEN_BUILD * n + SECONDS_PER_TIE_BUILD * ties
    step = SECONDS_PER_CITIZEN_WEEK * n + SECONDS_PER_TIE_WEEK * ties
    return Footprint(math.ceil(memory), build + step * weeks)


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_available() -> int | None:
    """Memory left under this process's cgroup (v2) limit, if it has one."""
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as fh:
            limit = fh.read().strip()
        if limit == "max":
            return None
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as fh:
            used = int(fh.read().strip())
        return max(0, int(limit) - used)
    except (OSError, ValueError):
        return None


def available_memory() -> int | None:
    """Memory the machine can give a new run now, in bytes; None if it cannot be told.

    The smaller of ``MemAvailable`` (``/proc/meminfo``) and what is left under a cgroup
    limit; elsewhere, the free physical pages (``os.sysconf``).
    """
    found = [m for m in (_meminfo_available(), _cgroup_available()) if m is not None]
    if not found:
        try:
            found = [os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")]
        except (OSError, ValueError, AttributeError):
            return None
    return min(found)


def format_bytes(count: float) -> str:
    """``1.2 GB``, ``350 MB``."""
    if count >= 2**30:
        return f"{count / 2**30:.1f} GB"
    return f"{max(1.0, count / 2**20):.0f} MB"


def format_seconds(seconds: float) -> str:
    """``40 seconds``, ``4 minutes``, ``2.5 hours``."""
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    return f"{seconds / 3600:.1f} hours"
