"""How the phases are compiled: one numba set-up for every kernel and scalar rule.

* :data:`jit` compiles a kernel with numba and caches it on disk (``cache=True``).
* :func:`rule` marks a scalar rule with ``numba.extending.register_jitable``: called from
  Python it stays a plain Python function (the reference engine's twins call it so), and
  called from a kernel it is compiled into the kernel's loop. So the two engines cannot
  drift apart in their formulas.

numba's on-disk cache watches only the file of the cached function, not the rules it
inlines from other modules nor the layout of the state and parameter records (numba keys a
cached overload by a type signature that does not see a change in a named tuple's field
order, so a reordered parameter would otherwise be read from the wrong slot). So the cache
directory is keyed by a digest of every source the kernels compile from: the phases, the
state records, the parameter registry, the random numbers, this module and the reporters'
census (:mod:`sim.model.census`). Set
``NUMBA_CACHE_DIR`` to choose the directory yourself.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba as nb
from numba.extending import register_jitable

_CORE = Path(__file__).resolve().parent
SOURCES: tuple[Path, ...] = (
    *sorted((_CORE.parent / "phases").glob("*.py")),
    _CORE / "state.py",
    _CORE / "params.py",
    _CORE / "rng.py",
    _CORE / "survey.py",
    _CORE / "world.py",  # constants the phases' rules read (NEED_MEAN, CIVIC_CORE_TILT)
    _CORE / "jit.py",
    _CORE.parent / "model" / "census.py",  # the reporters' kernels, inlining survey's rules
)
"""Every file whose code a kernel compiles: a change to any of them starts a new cache."""

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
"""OpenMP threads (numba's ``omp`` threading layer) sleep between parallel loops rather than
spin. Measured on 2 cores with the second busy with another process (100,000 citizens, a
year): spinning, 2 threads took 1.6 times as long as 1 (thread scaling 0.64); sleeping,
they were still 1.06-1.29 times as fast. On idle cores sleeping costs some of the gain
(the borough, 2 threads against 1: 1.38 asleep, 1.48-1.67 with libgomp's default spin).
A run on a shared machine, or a dashboard beside a browser, is the common case, so the
threads sleep. Read when numba first starts its threads, after this module is imported;
set the variable to ``ACTIVE`` before starting Python to have them spin."""

TBB_LIBRARY = Path(sys.prefix) / "lib" / "libtbb.so.12"
"""Where the ``tbb`` package from PyPI puts Intel TBB's library (a dependency on Linux
x86-64; elsewhere numba keeps its own choice of layer)."""


def choose_threading_layer(threads: int) -> str:
    """Have numba schedule its parallel loops with Intel TBB when it runs on several threads.

    numba's ``omp`` layer gives each thread one fixed share of a loop's chunks (a
    ``#pragma omp for`` without a schedule, in numba's ``omppool``), so
    ``numba.parallel_chunksize`` (:data:`PARALLEL_CHUNK`) balances nothing there: when
    the host slows one core for a while, the other waits at the end of every loop. Under
    ``tbb`` a free thread takes the next chunk. Measured on 2 shared cores (numba 0.68,
    tbb 2023.2): a loop whose first half costs ten times its second, 170 ms on ``omp`` and
    90 ms on ``tbb``; the borough on 2 threads, 78 ms a week against 82 (3 runs each, in
    turn); with the other core busy with another process, a second thread gained 12% on
    ``tbb`` and nothing on ``omp``. On one thread ``tbb`` costs about 6% (numba builds a
    task arena for every parallel loop), so a process on one thread (a sweep's worker,
    ``benchmarks/engine.py``) keeps ``omp``.

    Call it before numba's first parallel loop, which fixes the layer for the process: on
    import with the threads numba started with, and again in a sweep's worker, which runs
    on one. numba looks for TBB's library by its name alone, which finds the copy pip
    installed in this environment only if the loader was told where it is, so it is
    loaded here by its path. Returns the layer asked of numba; ``NUMBA_THREADING_LAYER``
    set by the user stands (``tbb`` asked for by the user still has the library loaded).
    """
    asked = os.environ.get("NUMBA_THREADING_LAYER", "").lower()
    if asked not in ("", "default"):
        if asked == "tbb":
            _load_tbb()
        return asked
    layer = "tbb" if threads > 1 and _load_tbb() else "omp"
    if layer == "omp" and not _omp_loads():
        layer = "default"  # numba picks what this machine has
    nb.config.THREADING_LAYER = layer
    return layer


def _load_tbb() -> bool:
    """Whether Intel TBB's library is loaded (:data:`TBB_LIBRARY`, the ``tbb`` package)."""
    if not TBB_LIBRARY.is_file():
        return False
    try:
        ctypes.CDLL(str(TBB_LIBRARY), mode=ctypes.RTLD_GLOBAL)
    except OSError:
        return False
    return True


def _omp_loads() -> bool:
    """Whether numba's OpenMP layer loads here (it needs the OpenMP runtime)."""
    try:
        import numba.np.ufunc.omppool  # noqa: F401
    except ImportError:
        return False
    return True


THREADING_LAYER = choose_threading_layer(nb.config.NUMBA_NUM_THREADS)
"""The threading layer asked of numba on import (:func:`choose_threading_layer`)."""

if not os.environ.get("NUMBA_CACHE_DIR"):
    _digest = hashlib.sha1(b"".join(f.read_bytes() for f in SOURCES)).hexdigest()[:16]
    nb.config.CACHE_DIR = str(
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cocreate" / _digest
    )

jit = nb.njit(cache=True)
"""Compile a kernel (a loop over the state arrays) with numba, cached on disk."""

jit_parallel = nb.njit(cache=True, parallel=True)
"""Compile a kernel whose per-agent loop runs under ``numba.prange`` on every thread numba
has (``NUMBA_NUM_THREADS``, :func:`numba.set_num_threads`). Its loop body writes only its
own agent's row; whatever several agents add to (a ward's or an arena's sum, a float total)
is added afterwards in a serial loop in row order, so the result is the same to the bit
at any number of threads, and the same as the reference engine's (see
:mod:`sim.phases`).

The loop body reads and writes local names only, each bound to one array or number on a
line of its own before the loop (``need = c.need``), for two reasons found with numba 0.68:

* inside a ``prange`` loop, a write through a record's field (``c.trust[i] = ...``), or
  through names bound together by unpacking a tuple (``a, b = c.x, c.y``), is silently
  lost (the thread-count test in ``tests/test_determinism.py`` fails if one is);
* numba hands each field of a record the loop reads to every thread as an argument of
  its own, and compiling that took half a minute a loop with the parameter record (well
  over a hundred fields). A rule that takes a record gets a small one built for it
  (:class:`sim.phases.common.DecisionRules`, :class:`sim.phases.trust.TrustRules`).
"""

PARALLEL_CHUNK = 1024
"""Citizens a thread takes at a time in a parallel loop (``numba.parallel_chunksize``).

A volunteer costs more than an idle citizen and rows come ward by ward, so equal slices
of a loop are not equal work; and on a shared machine one core is now and then slowed.
Under the ``tbb`` layer (:func:`choose_threading_layer`, on several threads) a thread that
is free takes the next chunk of 1,024 citizens, so neither case leaves a thread waiting.
Under ``omp`` the chunks are dealt out in fixed shares and the setting changes little (an
earlier note here credited it with a gain on ``omp``; that was the machine's noise). Which
thread takes a chunk does not change a result, as each citizen writes only its own row."""

jit_inline = nb.njit(cache=True, inline="always")
"""Compile a small helper that numba inlines into the kernels calling it.

A helper that a loop calls once a citizen and that takes arrays or a record (the keyed
draw, :func:`sim.phases.common.ties_share`, :func:`sim.phases.common.person_of`) is
inlined: called as a compiled function of its own, each call passes every array's shape,
strides and pointer, and ``ties_share`` cost 28-46 ns a citizen at 100,000 citizens
where inlined it costs 18. Scalar rules (:data:`rule`) need not be: LLVM inlines them."""

RULES: list[Callable[..., Any]] = []
"""Every scalar rule marked with :func:`rule`, in the order their modules defined them."""


def rule[F: Callable[..., Any]](fn: F) -> F:
    """Mark a scalar rule: plain Python when called from Python, compiled into kernels.

    Both forms must give the same number to the last bit, as the engines run one each.
    Beware of an integer exponent: compiled, ``x ** k`` with an integer ``k`` is
    multiplied out (LLVM's ``powi``), which differs from Python's ``pow`` in the last bit
    for most ``x``; write ``x ** float(k)``. ``tests/test_rules_compiled.py`` compares the
    two forms of every rule in :data:`RULES` on inputs in the rules' range.
    """
    RULES.append(fn)
    return register_jitable(fn)
