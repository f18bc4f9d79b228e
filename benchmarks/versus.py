"""The engine and borough benchmarks of this checkout against another commit, in one run.

Speed on these 2-core machines is noisy, so a figure from another day is no yardstick.
This script checks the other commit out into a temporary worktree, and runs each benchmark
there and here in turn (alternating, ``--rounds`` times each), on the same machine in the
same minutes, then prints each figure's best and the ratio here / there.

    python benchmarks/versus.py d808144 [--rounds 2] [--bench engine borough]

The other commit runs with its own code (``PYTHONPATH`` set to its worktree) in this
checkout's environment. Ratios above 1 mean this checkout is faster for rates (agent-steps
per second) and slower for times (seconds).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FIGURES = {
    "engine": ("numba_agent_steps_per_second", "reference_agent_steps_per_second"),
    "borough": ("agent_steps_per_second", "borough_10y_seconds"),
}
"""The figures each benchmark prints that are compared."""


def run(bench: str, root: Path) -> dict[str, float]:
    """Run ``benchmarks/<bench>.py`` of the checkout at ``root``; return its figures."""
    env = dict(os.environ, PYTHONPATH=str(root))
    script = root / "benchmarks" / f"{bench}.py"
    # A borough.py that also times the start commit of issue 15 is asked to time its own
    # checkout only; an older one has no such option and does so anyway.
    extra = ["--no-start"] if "--no-start" in script.read_text(encoding="utf-8") else []
    done = subprocess.run(
        [sys.executable, str(script), *extra],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = {}
    for line in done.stdout.splitlines():
        match = re.match(r"(\w+): ([\d,.]+)", line)
        if match and match.group(1) in FIGURES[bench]:
            figures[match.group(1)] = float(match.group(2).replace(",", ""))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--bench", nargs="+", default=list(FIGURES), choices=list(FIGURES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        there = Path(tmp) / "there"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(there), args.ref],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        try:
            for bench in args.bench:
                best: dict[str, dict[str, list[float]]] = {"here": {}, "there": {}}
                for _ in range(args.rounds):
                    for side, root in (("there", there), ("here", REPO)):
                        for name, value in run(bench, root).items():
                            best[side].setdefault(name, []).append(value)
                print(f"{bench} ({args.rounds} rounds, best of each):")
                for name in FIGURES[bench]:
                    pick = min if name.endswith("seconds") else max
                    a, b = pick(best["there"][name]), pick(best["here"][name])
                    print(f"  {name}: {args.ref} {a:,.1f}, here {b:,.1f}, here/there {b / a:.3f}")
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(there)], cwd=REPO, check=False
            )


if __name__ == "__main__":
    main()
