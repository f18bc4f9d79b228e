"""Time a Wigan-sized borough (330k citizens, 25 wards) for 10 years, here and at the start.

Runs the same borough job twice in one invocation, each in a fresh process with this
checkout's Python environment: once on the code of the commit issue 15 started from
(:data:`START_COMMIT`, exported from git into a cache folder and put first on
``PYTHONPATH``), once on this checkout's code, and prints both times, both peak memories
and the speed-up. Speed on a shared 2-core machine is noisy: both sides run in the same
minutes, alternating, ``--rounds`` times each, and the best time of each is compared.
Each side also prints its CPU seconds: well below its wall time, the machine was busy
with other work, and the comparison is worth repeating with more rounds.

In each run the first numba compile is excluded (a process of its own builds each side's
cache first, and a warm-up run on a tiny population loads it); model construction is
included. Both sides run with numba's threads set to ``--threads`` (default: every core,
as a single large run uses them); the start commit's kernels have no parallel loop, so
it runs on one core whatever the setting. The peak memory is the measuring process's
(its imports, the cache loaded and the borough).

    python benchmarks/borough.py [--scenario wigan_deal] [--years 10] [--citizens N]
                                 [--threads CORES] [--rounds 1] [--no-start]

``--citizens`` and ``--years`` make a smaller borough to try it quickly. ``--no-start``
times this checkout only. Without git, or without the start commit (a source archive, a
shallow clone), it says so in one line, times this checkout only and exits with 2.

Last line: ``borough_speedup_vs_start: <x>`` (the start's time / this checkout's), or
with ``--no-start`` or no start commit, ``borough_<years>y_seconds: <s>``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

START_COMMIT = "6bf4be5"
"""main when issue 15 ("Speed for the calibration ahead") began: its target, a borough
three times as fast, is measured against this commit."""

EXPORTED = ("sim", "scenarios", "pyproject.toml")
"""What a run of the start commit needs from it: the package and the bundled scenarios
(:func:`sim.core.io.bundled_dir` finds them beside the package, in a folder that has a
``pyproject.toml``)."""

RESULT = "borough-result: "
"""Prefix of the line in which a measuring process reports its figures, as JSON."""


def _code() -> str:
    """The folder of the ``sim`` package imported in this process."""
    import sim

    return str(Path(sim.__file__).resolve().parent.parent)


def measure(scenario_name: str, years: int, citizens: int | None, seed: int) -> dict:
    """Build and run the borough in this process; its figures.

    Uses only what both this checkout and the start commit offer (``load_scenario``,
    ``with_overrides``, ``CoCreationModel(..., rng=)``, ``run_for``), imported from
    whichever ``sim`` is first on the path.
    """
    import numba  # with NUMBA_NUM_THREADS set by the parent

    from sim import CoCreationModel
    from sim.core.scenario import load_scenario

    borough = load_scenario("municipality_borough")
    scenario = load_scenario(scenario_name).with_overrides(
        {
            "citizens": citizens or borough.municipality["citizens"],
            "neighbourhoods": borough.municipality["neighbourhoods"],
            "segregation": borough.uncertainties["segregation"],
        }
    )
    tiny = CoCreationModel(scenario.with_overrides({"citizens": 500}), rng=seed)
    tiny.run_for(2)  # loads the cache (built by a --warm process before)

    weeks = 52 * years
    cpu = time.process_time()
    start = time.perf_counter()
    model = CoCreationModel(scenario, rng=seed)
    built = time.perf_counter()
    model.run_for(weeks)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "code": _code(),
        "citizens": int(model.n_citizens),
        "weeks": weeks,
        "construction_seconds": built - start,
        "stepping_seconds": done - built,
        "seconds": done - start,
        "cpu_seconds": cpu,
        "threads": numba.get_num_threads(),
        # ru_maxrss is in kilobytes on Linux, in bytes on macOS
        "peak_bytes": peak if sys.platform == "darwin" else peak * 1024,
    }


def warm(scenario_name: str, seed: int) -> None:
    """Load or build the numba cache of the ``sim`` first on the path (a tiny run)."""
    from sim import CoCreationModel
    from sim.core.scenario import load_scenario

    tiny = load_scenario(scenario_name).with_overrides({"citizens": 500})
    CoCreationModel(tiny, rng=seed).run_for(2)


def run_side(root: Path, args: argparse.Namespace, step: str = "--measure") -> dict:
    """Measure the borough on the code at ``root`` in a fresh process; its figures.

    With ``step="--warm"``, only build the numba cache there, so that a compile's memory
    is not counted in a measuring process's peak.
    """
    command = [sys.executable, str(Path(__file__).resolve()), step]
    command += ["--scenario", args.scenario, "--years", str(args.years), "--seed", str(args.seed)]
    if args.citizens:
        command += ["--citizens", str(args.citizens)]
    env = dict(os.environ, PYTHONPATH=str(root), NUMBA_NUM_THREADS=str(args.threads))
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            figures = json.loads(line[len(RESULT) :])
            if Path(figures["code"]) != root.resolve():
                raise RuntimeError(f"measured the code in {figures['code']}, not in {root}")
            return figures
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    raise RuntimeError(f"the run on {root} failed (exit {done.returncode}): {last}")


def start_tree(commit: str) -> tuple[Path | None, str]:
    """The start commit's code, exported once into the user's cache; or None and why.

    The folder is kept between runs, so numba's on-disk cache of its kernels (keyed by
    the path and content of their sources) is built once.
    """
    git = shutil.which("git")
    if git is None:
        return None, "git is not installed"
    found = subprocess.run(
        [git, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if found.returncode != 0:
        return None, f"commit {commit} is not in {REPO} (no .git, or a shallow clone)"
    full = found.stdout.strip()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cocreate"
    tree = cache / f"start-{full[:12]}"
    if all((tree / name).exists() for name in EXPORTED):
        return tree, full
    archive = subprocess.run(
        [git, "archive", "--format=tar", full, *EXPORTED], cwd=REPO, capture_output=True
    )
    if archive.returncode != 0:
        why = archive.stderr.decode(errors="replace").strip().splitlines()
        return None, f"git archive {commit} failed: {why[-1] if why else 'no reason given'}"
    cache.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".start-", dir=cache))
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(partial, filter="data")
    shutil.rmtree(tree, ignore_errors=True)  # an incomplete export, if any
    try:
        partial.rename(tree)  # whole or not at all
    except OSError:  # another run put it there first
        shutil.rmtree(partial, ignore_errors=True)
    return tree, full


def _mb(count: float) -> str:
    return f"{count / 1e6:,.0f} MB"


def _report(side: str, best: dict) -> None:
    weeks = best["weeks"]
    print(
        f"{side}: {best['seconds']:.2f} s (construction {best['construction_seconds']:.2f} s, "
        f"stepping {best['stepping_seconds']:.2f} s, {best['threads']} thread(s), "
        f"{best['stepping_seconds'] / weeks * 1e3:.1f} ms/week; CPU {best['cpu_seconds']:.2f} s), "
        f"peak memory {_mb(best['peak_bytes'])}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="wigan_deal")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--citizens", type=int, default=None, help="default: the borough's")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--threads", type=int, default=os.cpu_count() or 1, help="numba threads (all cores)"
    )
    parser.add_argument("--rounds", type=int, default=1, help="runs of each side")
    parser.add_argument("--no-start", action="store_true", help="time this checkout only")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm:  # builds one side's numba cache before it is measured
        warm(args.scenario, args.seed)
        print(RESULT + json.dumps({"code": _code()}))
        return 0
    if args.measure:  # the measuring process of one side
        figures = measure(args.scenario, args.years, args.citizens, args.seed)
        print(RESULT + json.dumps(figures), flush=True)
        return 0

    tree, start = (None, "") if args.no_start else start_tree(START_COMMIT)
    if tree is None and not args.no_start:
        print(f"start commit {START_COMMIT} unavailable ({start}); timing this checkout only")
    sides = {"here": REPO} if tree is None else {"start": tree, "here": REPO}
    runs: dict[str, list[dict]] = {side: [] for side in sides}
    try:
        for root in sides.values():
            run_side(root, args, "--warm")
        for _ in range(args.rounds):
            for side, root in sides.items():
                runs[side].append(run_side(root, args))
    except RuntimeError as exc:
        print(f"borough: {exc}", file=sys.stderr)
        return 1
    best = {side: min(found, key=lambda f: f["seconds"]) for side, found in runs.items()}
    here = best["here"]
    print(
        f"scenario: {args.scenario}, citizens: {here['citizens']}, weeks: {here['weeks']}, "
        f"rounds: {args.rounds} (best of each)"
    )
    if tree is not None:
        _report(f"start ({START_COMMIT})", best["start"])
    _report("here", here)
    print(f"construction_seconds: {here['construction_seconds']:.2f}")
    print(f"stepping_seconds: {here['stepping_seconds']:.2f}")
    steps = here["citizens"] * here["weeks"] / here["stepping_seconds"]
    print(f"agent_steps_per_second: {steps:,.0f}")
    print(f"peak_memory_bytes: {here['peak_bytes']}")
    print(f"borough_{args.years}y_seconds: {here['seconds']:.2f}")
    if tree is None:
        return 0 if args.no_start else 2
    print(f"start_borough_{args.years}y_seconds: {best['start']['seconds']:.2f}")
    print(f"start_peak_memory_bytes: {best['start']['peak_bytes']}")
    print(f"borough_speedup_vs_start: {best['start']['seconds'] / here['seconds']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
