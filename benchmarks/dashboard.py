"""How responsive ``cocreate dashboard`` is: server start, first page, step latency, play rate.

Starts the real server (``python -m sim.cli dashboard --port 0``) and drives it in
headless Chromium with Playwright, as a user would:

* server start: from launching the command to the URL being printed (listening);
* first page: from opening the URL to the page showing week 0 (model built, charts drawn);
* step latency: from clicking Step to the browser showing the next week, every chart
  redrawn (median and worst of ``--steps`` clicks);
* model step: the model's own step in this process, for comparison;
* play: weeks per second while playing at the default play interval.

    python benchmarks/dashboard.py [SCENARIO] [--citizens 20000] [--screenshot PATH]

``--screenshot`` plays ``--play-weeks`` weeks first and saves the page (the README's
``docs/figures/dashboard.png`` is made this way).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WEEK = re.compile(r"^Time: (\d+)(?:\.0)?$")


def model_step_ms(scenario: str, citizens: int | None, steps: int) -> float:
    from sim.present.dashboard import DashboardModel

    model = DashboardModel(scenario_name=scenario, citizens=citizens)
    model.step()  # numba's cached code loads on the first step
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    return 1000 * (time.perf_counter() - start) / steps


def shown_week(page) -> int:
    text = page.get_by_text(WEEK).inner_text()
    return int(WEEK.match(text).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="wigan_deal")
    parser.add_argument("--citizens", type=int, default=None, help="default: the scenario's")
    parser.add_argument("--steps", type=int, default=10, help="Step clicks timed")
    parser.add_argument("--play-seconds", type=float, default=10.0)
    parser.add_argument("--screenshot", default=None, help="save the page here at the end")
    parser.add_argument("--play-weeks", type=int, default=104, help="weeks before the shot")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    # The launch helper lives with the tests that share it, not in the installed package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import launch

    command = [sys.executable, "-m", "sim.cli", "dashboard", args.scenario, "--port", "0"]
    if args.citizens is not None:
        command += ["--citizens", str(args.citizens)]
    launched = time.perf_counter()
    server = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        line = server.stdout.readline()
        started = time.perf_counter() - launched
        url = re.search(r"http://\S+/", line).group(0)
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            context = launch(p, profile, {"width": 1600, "height": 1700})
            page = context.new_page()
            page.set_default_timeout(300_000)
            opened = time.perf_counter()
            page.goto(url)
            page.get_by_text(WEEK).wait_for()
            first_page = time.perf_counter() - opened

            latencies = []
            for week in range(1, args.steps + 1):
                clicked = time.perf_counter()
                page.get_by_role("button", name="Step").click()
                page.get_by_text(re.compile(rf"^Time: {week}(\.0)?$")).wait_for()
                page.get_by_text(f"week {week}: participation rate", exact=False).wait_for()
                latencies.append(time.perf_counter() - clicked)

            page.get_by_role("button", name="▶").click()
            time.sleep(args.play_seconds)
            page.get_by_role("button", name="❚❚").click()
            played = shown_week(page) - args.steps
            rate = played / args.play_seconds

            if args.screenshot:
                if shown_week(page) < args.play_weeks:
                    page.get_by_role("button", name="▶").click()
                    page.get_by_text(re.compile(rf"^Time: {args.play_weeks}\d*(\.0)?$")).wait_for()
                    page.get_by_role("button", name="❚❚").click()
                time.sleep(2)
                page.screenshot(path=args.screenshot, full_page=False)
            context.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    citizens = f"{args.citizens:,}" if args.citizens else "the scenario's"
    print(f"scenario: {args.scenario}, {citizens} citizens")
    print(f"server start: {started:.1f} s (command to URL printed)")
    print(f"first page: {first_page:.1f} s (URL opened to week 0 drawn)")
    print(
        f"step latency: median {1000 * statistics.median(latencies):.0f} ms, "
        f"worst {1000 * max(latencies):.0f} ms (click to every chart redrawn)"
    )
    print(f"model step alone: {model_step_ms(args.scenario, args.citizens, 20):.1f} ms")
    print(f"play: {rate:.1f} weeks/s")
    if args.screenshot:
        print(f"screenshot: {args.screenshot}")


if __name__ == "__main__":
    main()
