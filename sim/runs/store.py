"""A results store that survives interruptions: one Parquet file per finished run.

Each run is stored the moment it finishes, under a key that names it (scenario and
seed, or sample point and replicate), by writing to a temporary file and renaming it, so
a killed process leaves no half-written result under a final name. Starting the same
command again skips the keys already stored: completed runs are neither repeated nor
duplicated. ``store.json`` records what the store holds (the experiment or comparison);
pointing a different one at the same folder is refused rather than mixed in. Runs that
raise are recorded with their error and reported, and do not stop the others.

Keys name what a run is (a scenario's content hash and the seed), and each run's label
(its name and seed) is stored beside its outcomes. What is left to do is found from one
listing of the folder. A stored run that cannot be read back is moved aside to
``*.corrupt``, reported and run again (:func:`run_stored`). Local workers end with the
process that started them, even when it is killed (:func:`_die_with_parent`).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import signal
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.core.io import atomic_write_json, excerpt

MAX_RUNS = 1_000_000
"""Most runs one sweep or comparison may plan (sample points or scenarios times replicates)."""

STORE_FORMAT = 2
"""Version of the layout of a store. 2: runs keyed by what they are (content hash and
seed), each with its label; a store of another version is refused, not mixed in."""


class StoreMismatch(ValueError):
    """The folder already holds results of a different experiment."""


class WorkerLost(RuntimeError):
    """A worker process died; the runs finished before are stored."""


class StoreCorrupt(RuntimeError):
    """A stored run could not be read even after it was run again."""


def _digest(identity: dict[str, Any]) -> str:
    text = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Collected:
    """The stored runs of a list of keys, as read back (:meth:`RunStore.collect`).

    Attributes:
        outcomes: one row per readable run, indexed by key, with its label columns.
        series: the time series of each readable run, by key (if asked for).
        corrupt: (key, why, where it was moved) of each run that could not be read.
    """

    outcomes: pd.DataFrame
    series: dict[str, pd.DataFrame] = field(default_factory=dict)
    corrupt: list[tuple[str, str, Path]] = field(default_factory=list)


class RunStore:
    """Finished runs of one experiment or comparison, in ``root``.

    Args:
        root: the output folder.
        identity: JSON-serialisable description of what is being run; a store whose
            ``store.json`` describes something else is refused.

    Raises:
        StoreMismatch: ``store.json`` describes another experiment, was written by
            another version of the store, or cannot be read.
    """

    def __init__(self, root: Path, identity: dict[str, Any]) -> None:
        self.root = Path(root)
        self.digest = _digest(identity)
        marker = self.root / "store.json"
        if marker.exists():
            try:
                held = json.loads(marker.read_text(encoding="utf-8"))
                held_format, held_digest = held.get("format", 1), held.get("digest")
            except (OSError, ValueError, AttributeError):
                raise StoreMismatch(
                    f"{marker}: cannot be read, so what the folder holds is unknown. "
                    "Use a new --out folder, or delete this one to start over."
                ) from None
            if held_format != STORE_FORMAT:
                raise StoreMismatch(
                    f"{self.root}: holds results stored by another version of cocreate "
                    f"(store format {held_format}, this one writes {STORE_FORMAT}). Use a new "
                    "--out folder, or delete this one to start over."
                )
            if held_digest != self.digest:
                raise StoreMismatch(
                    f"{self.root}: holds results of a different experiment "
                    f"({held.get('name', 'unnamed')}); the experiment or its settings changed "
                    "since. Use a new --out folder, or delete this one to start over."
                )
        else:
            atomic_write_json(
                marker,
                {
                    "format": STORE_FORMAT,
                    "digest": self.digest,
                    "name": identity.get("name"),
                    "identity": identity,
                },
            )
        (self.root / "runs").mkdir(parents=True, exist_ok=True)
        (self.root / "series").mkdir(exist_ok=True)
        (self.root / "failed").mkdir(exist_ok=True)

    def done(self) -> set[str]:
        """Keys of the runs already stored: one listing of the folder."""
        return {
            name[: -len(".parquet")]
            for name in os.listdir(self.root / "runs")
            if name.endswith(".parquet") and not name.startswith(".")
        }

    def plan(self, jobs: Iterable[Job]) -> list[Job]:
        """The jobs not yet stored, each key once, in order (one listing, not one per job)."""
        done = self.done()
        todo: dict[str, Job] = {}
        for key, arg in jobs:
            if key not in done and key not in todo:
                todo[key] = (key, arg)
        return list(todo.values())

    def save(
        self,
        key: str,
        outcomes: dict[str, Any],
        series: pd.DataFrame | None = None,
        label: Mapping[str, Any] | None = None,
    ) -> None:
        """Store one finished run (series first, so a stored run is always complete).

        ``label`` says in words what the run is (a scenario's name and the seed, say);
        it is stored with the outcomes, before them.
        """
        if series is not None:
            self._write(self.root / "series" / f"{key}.parquet", series)
        row = {"key": key, **(label or {}), **outcomes}
        self._write(self.root / "runs" / f"{key}.parquet", pd.DataFrame([row]))
        (self.root / "failed" / f"{key}.json").unlink(missing_ok=True)

    def fail(self, key: str, job: Any, error: str, label: Mapping[str, Any] | None = None) -> None:
        """Record a run that raised, with what it was given, its label and the error."""
        record = {"key": key, "job": repr(job), "error": error}
        if label:
            record["label"] = " ".join(f"{k} {v}" for k, v in label.items())
        atomic_write_json(self.root / "failed" / f"{key}.json", record)

    def failures(self) -> list[dict[str, Any]]:
        """Recorded failures, by key; a record that cannot be read is moved aside."""
        found = []
        for path in sorted((self.root / "failed").glob("*.json")):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                found.append({"key": str(record["key"]), "error": str(record["error"]), **record})
            except (OSError, ValueError, KeyError, TypeError):
                self._move_aside(path)
        return found

    def outcomes(self) -> pd.DataFrame:
        """All stored runs' outcomes, one row per run, sorted by key."""
        parts = [pd.read_parquet(p) for p in sorted((self.root / "runs").glob("*.parquet"))]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["key"])

    def series(self, key: str) -> pd.DataFrame:
        """The stored time series of one run."""
        return pd.read_parquet(self.root / "series" / f"{key}.parquet")

    def collect(self, keys: Iterable[str], series: bool = False) -> Collected:
        """Read back the stored runs of ``keys`` (and their time series).

        A stored run that cannot be read (a truncated or corrupt file, or its time series
        missing) is moved aside to ``*.corrupt``, so that it counts as not done and is run
        again, and is listed in :attr:`Collected.corrupt`. Keys not stored are skipped.
        """
        done = self.done()
        rows: list[pd.DataFrame] = []
        found = Collected(pd.DataFrame())
        for key in dict.fromkeys(keys):
            if key not in done:
                continue
            path = self.root / "runs" / f"{key}.parquet"
            try:
                row = pd.read_parquet(path)
                if len(row) != 1 or "key" not in row.columns or str(row["key"].iloc[0]) != key:
                    raise ValueError("not one row with its own key")
                ts = self.series(key) if series else None
            except Exception as exc:  # any unreadable file is the same case
                reason = _reason(exc)
                moved = self._move_aside(path)
                if series:
                    self._move_aside(self.root / "series" / f"{key}.parquet")
                found.corrupt.append((key, reason, moved))
                continue
            rows.append(row)
            if ts is not None:
                found.series[key] = ts
        if rows:
            found.outcomes = pd.concat(rows, ignore_index=True).set_index("key")
        else:
            found.outcomes = pd.DataFrame(columns=["key"]).set_index("key")
        return found

    @staticmethod
    def _move_aside(path: Path) -> Path:
        """Rename ``path`` to ``path.corrupt`` (numbered if taken); return the new path."""
        target = path.with_name(path.name + ".corrupt")
        k = 1
        while target.exists():
            target = path.with_name(f"{path.name}.corrupt{k}")
            k += 1
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, target)
        return target

    @staticmethod
    def _write(path: Path, frame: pd.DataFrame) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            frame.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{Path(exc.filename or '').name or 'a file'} is missing"
    text = str(exc).strip().splitlines()
    return excerpt(f"{type(exc).__name__}: {text[0] if text else ''}", 100)


Job = tuple[str, Any]
"""A run to do: its key and the argument for the job function."""


def _guarded(fn: Callable[[Any], Any], arg: Any) -> tuple[bool, Any]:
    try:
        return True, fn(arg)
    except Exception:  # a failing run is recorded, not fatal
        return False, traceback.format_exc(limit=3)


PARENT_POLL_SECONDS = 1.0
"""How often a worker checks that the process that started it is still alive, where the
operating system cannot tell it (no ``prctl``)."""

_PR_SET_PDEATHSIG = 1
"""``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h)."""


def _die_with_parent(parent: int) -> None:
    """Make this worker end when ``parent`` does, even if the parent is killed (SIGKILL).

    On Linux the kernel sends SIGKILL on the parent's death (``prctl(PR_SET_PDEATHSIG)``);
    everywhere, a daemon thread also checks every :data:`PARENT_POLL_SECONDS` that the
    parent is still the one that started the worker, and ends the process if not. Without
    this, a killed ``compare`` leaves its workers (and with them multiprocessing's resource
    tracker) running.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="cocreate-parent-watch", daemon=True).start()


WORKER_THREADS = 1
"""Threads a local worker's numba may use: one, so that W workers take W cores (a run's
result is the same on any number of threads: its random draws are keyed)."""

WORKER_PRELOAD: tuple[str, ...] = ("sim.runs.outcomes",)
"""Modules a local worker imports as it starts (numba, the model, pandas, scipy), so that
the seconds they take pass once per worker, while the parent warms the numba cache
(:func:`run_jobs`), and not in the worker's first run."""


WORKER_START_SECONDS = 600.0
"""How long the workers of a pool wait for each other as they start before giving up."""

_started: Any = None
"""In a worker: the barrier its pool's workers meet at once set up (:func:`_ready`)."""


def _init_worker(
    parent: int, started: Any = None, preload: tuple[str, ...] = WORKER_PRELOAD
) -> None:
    """Set up a local worker: numba on one thread, ending with its parent, modules loaded.

    ``NUMBA_NUM_THREADS`` is set for a numba not yet imported; where the parent's main
    module already imported it in this process (spawn imports it first),
    ``numba.set_num_threads`` limits it, for this (the only) thread that runs jobs, and the
    threading layer is chosen again for one thread
    (:func:`sim.core.jit.choose_threading_layer`). ``started`` is the barrier
    :func:`_ready` waits at.
    """
    global _started
    os.environ["NUMBA_NUM_THREADS"] = str(WORKER_THREADS)
    _die_with_parent(parent)
    _started = started
    import importlib

    import numba

    from sim.core.jit import choose_threading_layer

    choose_threading_layer(WORKER_THREADS)  # before the worker's first parallel loop
    numba.set_num_threads(WORKER_THREADS)
    for module in preload:
        importlib.import_module(module)


def _ready() -> tuple[int, int]:
    """A worker's process id and its numba threads, once every worker is set up.

    Each worker waits here for the others, so the pool's first tasks, one per worker,
    run one on each.
    """
    import numba

    if _started is not None:
        _started.wait(WORKER_START_SECONDS)
    return os.getpid(), numba.get_num_threads()


class WorkerPool:
    """Local worker processes, started once and kept for a whole sweep or comparison.

    Each worker is a spawned process that imports numba and the model as it starts
    (:data:`WORKER_PRELOAD`), runs numba on one thread (:data:`WORKER_THREADS`), ends
    with the process that started it (:func:`_die_with_parent`), and takes runs until the
    pool is closed: the imports and the loading of the numba cache are paid once per
    worker, not once per run. It wraps :class:`concurrent.futures.ProcessPoolExecutor`
    (no ``max_tasks_per_child``), started with every worker at once; use it as a context
    manager, or call :meth:`close`.

    Args:
        workers: the number of processes.
    """

    def __init__(self, workers: int) -> None:
        import multiprocessing

        self.workers = workers
        context = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(os.getpid(), context.Barrier(workers)),
        )
        # One small task per worker, submitted now: the executor starts a process per
        # task while none is idle, so every worker starts (and imports) at once.
        self._started = [self.executor.submit(_ready) for _ in range(workers)]

    def ready(self) -> list[tuple[int, int]]:
        """Wait until the first tasks have run; their (process id, numba threads).

        Raises:
            WorkerLost: a worker died while it started.
        """
        try:
            return [future.result() for future in self._started]
        except BrokenProcessPool:
            raise WorkerLost("a worker process died as it started") from None

    def close(self) -> None:
        """Let the workers finish their runs and end."""
        self.executor.shutdown(wait=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:  # interrupted or failed: do not start the runs still queued
            self.executor.shutdown(wait=True, cancel_futures=True)


def run_jobs(
    fn: Callable[[Any], tuple[dict[str, Any], pd.DataFrame | None]],
    jobs: Iterable[Job],
    store: RunStore,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
    labels: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    pool: WorkerPool | None = None,
    cost: Callable[[Any], float] | None = None,
) -> int:
    """Run the jobs not yet in ``store``, storing each as it finishes.

    ``fn(arg)`` returns (outcomes, time series or None). A key given twice is run once,
    and which jobs are left is found from one listing of the store
    (:meth:`RunStore.plan`). ``labels`` gives each key's label, stored with its outcomes
    (:meth:`RunStore.save`). ``cost(arg)``, if given, estimates a run's time: the
    longest runs start first, so that no worker is left with a long run at the end while
    the others idle. Returns the number of runs done now.

    Locally, with ``workers`` above one, the runs go to a :class:`WorkerPool` (``pool``
    if given, kept open for the caller's next call; else one started here for this call):
    spawned processes with numba on one thread, each taking runs until the last. A pool
    started here starts its workers first, so that their imports overlap the warming
    of the numba cache here (:func:`sim.runs.warmup.warm`), which comes before any run so
    that workers do not compile at once. With ``scheduler`` (a ``dask.distributed``
    address such as ``tcp://host:8786``) the runs go to that cluster instead; start its
    workers with ``NUMBA_NUM_THREADS=1`` and one thread each. Results are stored here as
    they come back, whatever the order, so they do not depend on where they ran, nor on
    the order the runs started in.
    """
    return _run_planned(
        fn, store.plan(jobs), store, workers, progress, scheduler, labels, pool=pool, cost=cost
    )


def _run_planned(
    fn: Callable[[Any], tuple[dict[str, Any], pd.DataFrame | None]],
    todo: list[Job],
    store: RunStore,
    workers: int,
    progress: Callable[[int, int], None] | None,
    scheduler: str | None,
    labels: Mapping[str, Mapping[str, Any]] | None,
    *,
    pool: WorkerPool | None,
    cost: Callable[[Any], float] | None,
) -> int:
    """:func:`run_jobs` for jobs already planned: ``todo`` is ``store.plan(jobs)``."""
    if cost is not None:
        todo.sort(key=lambda job: -cost(job[1]))  # stable: equal costs keep their order
    total = len(todo)
    if progress:
        progress(0, total)
    if total == 0:
        return 0
    finished = 0

    def record(key: str, arg: Any, ok: bool, value: Any) -> None:
        nonlocal finished
        if ok:
            outcomes, series = value
            store.save(key, outcomes, series, (labels or {}).get(key))
        else:
            store.fail(key, arg, value, (labels or {}).get(key))
        finished += 1
        if progress:
            progress(finished, total)

    if scheduler:
        from distributed import Client, as_completed

        from sim.runs.warmup import warm

        warm()
        with Client(scheduler, timeout=10) as client:
            futures = {
                client.submit(_guarded, fn, arg, key=f"cocreate-{store.digest[:12]}-{key}"): (
                    key,
                    arg,
                )
                for key, arg in todo
            }
            for future in as_completed(futures):
                record(*futures[future], *future.result())
        return finished
    if pool is None and workers <= 1:
        for key, arg in todo:
            record(key, arg, *_guarded(fn, arg))
        return finished
    from sim.runs.warmup import warm

    with contextlib.ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(WorkerPool(workers))
        warm()  # while the workers start
        pending: dict[Future, Job] = {
            pool.executor.submit(_guarded, fn, arg): (key, arg) for key, arg in todo
        }
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                key, arg = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    raise WorkerLost(
                        f"{store.root}: a worker process died; the {len(store.done())} runs "
                        "finished so far are stored; run the same command again to resume"
                    ) from None
                record(key, arg, *result)
    return finished


def run_stored(
    fn: Callable[[Any], tuple[dict[str, Any], pd.DataFrame | None]],
    jobs: Iterable[Job],
    store: RunStore,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
    *,
    labels: Mapping[str, Mapping[str, Any]] | None = None,
    series: bool = False,
    notify: Callable[[str], None] | None = None,
    cost: Callable[[Any], float] | None = None,
) -> Collected:
    """Run the jobs not yet stored (:func:`run_jobs`), then read every stored run back.

    A stored run that cannot be read is moved aside (:meth:`RunStore.collect`), reported
    in one line through ``notify`` (a warning if None), and run again, on the same local
    workers (one :class:`WorkerPool` for the whole call, started only if there is a run
    to do). ``cost`` orders the runs, longest first (:func:`run_jobs`).

    Returns:
        The stored runs of the jobs' keys (failed runs are not among them).

    Raises:
        StoreCorrupt: a run could still not be read after it was run again.
    """
    jobs = list(jobs)
    keys = [key for key, _ in jobs]
    with contextlib.ExitStack() as stack:
        pool = None
        for attempt in range(2):
            todo = store.plan(jobs)  # one listing per attempt, for the pool and the runs
            if pool is None and workers > 1 and not scheduler and todo:
                pool = stack.enter_context(WorkerPool(workers))
            _run_planned(
                fn, todo, store, workers, progress, scheduler, labels, pool=pool, cost=cost
            )
            found = store.collect(keys, series=series)
            for key, reason, moved in found.corrupt:
                message = (
                    f"{store.root / 'runs' / (key + '.parquet')}: cannot be read ({reason}); "
                    f"moved aside to {moved.name}"
                )
                if attempt == 0:
                    message += " and run again"
                if notify is None:
                    warnings.warn(message, RuntimeWarning, stacklevel=2)
                else:
                    notify(message)
            if not found.corrupt:
                return found
    raise StoreCorrupt(
        f"{store.root}: {len(found.corrupt)} stored run(s) could not be read even after "
        "running them again; check the disk, or use a new --out folder"
    )
