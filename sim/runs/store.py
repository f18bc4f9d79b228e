"""A results store that survives interruptions: one Parquet file per finished run.

Each run is stored the moment it finishes, under a key that names it (scenario and
seed, or sample point and replicate), by writing to a temporary file and renaming it, so
a killed process leaves no half-written result under a final name. Starting the same
command again skips the keys already stored: completed runs are neither repeated nor
duplicated. ``store.json`` records what the store holds (the experiment or comparison);
pointing a different one at the same folder is refused rather than mixed in. Runs that
raise are recorded with their error and reported, and do not stop the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pandas as pd

from sim.core.io import atomic_write_json


class StoreMismatch(ValueError):
    """The folder already holds results of a different experiment."""


class WorkerLost(RuntimeError):
    """A worker process died; the runs finished before are stored."""


def _digest(identity: dict[str, Any]) -> str:
    text = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class RunStore:
    """Finished runs of one experiment or comparison, in ``root``.

    Args:
        root: the output folder.
        identity: JSON-serialisable description of what is being run; a store whose
            ``store.json`` describes something else is refused.
    """

    def __init__(self, root: Path, identity: dict[str, Any]) -> None:
        self.root = Path(root)
        self.digest = _digest(identity)
        marker = self.root / "store.json"
        if marker.exists():
            held = json.loads(marker.read_text())
            if held.get("digest") != self.digest:
                raise StoreMismatch(
                    f"{self.root}: holds results of a different experiment "
                    f"({held.get('name', 'unnamed')}); the experiment or its settings changed "
                    "since. Use a new --out folder, or delete this one to start over."
                )
        else:
            atomic_write_json(
                marker, {"digest": self.digest, "name": identity.get("name"), "identity": identity}
            )
        (self.root / "runs").mkdir(parents=True, exist_ok=True)
        (self.root / "series").mkdir(exist_ok=True)
        (self.root / "failed").mkdir(exist_ok=True)

    def done(self) -> set[str]:
        """Keys of the runs already stored."""
        return {p.stem for p in (self.root / "runs").glob("*.parquet")}

    def save(self, key: str, outcomes: dict[str, Any], series: pd.DataFrame | None = None) -> None:
        """Store one finished run (series first, so a stored run is always complete)."""
        if series is not None:
            self._write(self.root / "series" / f"{key}.parquet", series)
        self._write(self.root / "runs" / f"{key}.parquet", pd.DataFrame([{"key": key, **outcomes}]))
        (self.root / "failed" / f"{key}.json").unlink(missing_ok=True)

    def fail(self, key: str, job: Any, error: str) -> None:
        """Record a run that raised, with what it was given and the error."""
        atomic_write_json(
            self.root / "failed" / f"{key}.json", {"key": key, "job": repr(job), "error": error}
        )

    def failures(self) -> list[dict[str, Any]]:
        """Recorded failures, by key."""
        paths = sorted((self.root / "failed").glob("*.json"))
        return [json.loads(p.read_text()) for p in paths]

    def outcomes(self) -> pd.DataFrame:
        """All stored runs' outcomes, one row per run, sorted by key."""
        parts = [pd.read_parquet(p) for p in sorted((self.root / "runs").glob("*.parquet"))]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["key"])

    def series(self, key: str) -> pd.DataFrame:
        """The stored time series of one run."""
        return pd.read_parquet(self.root / "series" / f"{key}.parquet")

    @staticmethod
    def _write(path: Path, frame: pd.DataFrame) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            frame.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


Job = tuple[str, Any]
"""A run to do: its key and the argument for the job function."""


def _guarded(fn: Callable[[Any], Any], arg: Any) -> tuple[bool, Any]:
    try:
        return True, fn(arg)
    except Exception:  # a failing run is recorded, not fatal
        return False, traceback.format_exc(limit=3)


def _single_threaded() -> None:
    os.environ["NUMBA_NUM_THREADS"] = "1"


def run_jobs(
    fn: Callable[[Any], tuple[dict[str, Any], pd.DataFrame | None]],
    jobs: Iterable[Job],
    store: RunStore,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
) -> int:
    """Run the jobs not yet in ``store``, storing each as it finishes.

    ``fn(arg)`` returns (outcomes, time series or None). Returns the number of runs done
    now. Locally, workers are spawned processes with numba single-threaded, started
    after the numba cache is warmed once here. With ``scheduler`` (a ``dask.distributed``
    address such as ``tcp://host:8786``) the runs go to that cluster instead; start its
    workers with ``NUMBA_NUM_THREADS=1`` and one thread each. Results are stored here as
    they come back, whatever the order, so they do not depend on where they ran.
    """
    todo = [(key, arg) for key, arg in jobs if key not in store.done()]
    total = len(todo)
    if progress:
        progress(0, total)
    if total == 0:
        return 0
    finished = 0

    def record(key: str, arg: Any, ok: bool, value: Any) -> None:
        nonlocal finished
        if ok:
            store.save(key, *value)
        else:
            store.fail(key, arg, value)
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
    if workers <= 1:
        for key, arg in todo:
            record(key, arg, *_guarded(fn, arg))
        return finished
    import multiprocessing

    from sim.runs.warmup import warm

    warm()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_single_threaded) as pool:
        pending: dict[Future, Job] = {
            pool.submit(_guarded, fn, arg): (key, arg) for key, arg in todo
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
