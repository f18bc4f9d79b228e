"""Headless Chromium for driving the dashboard offline: the browser test and benchmark.

Not part of the installed package: ``tests/test_dashboard.py`` imports it from here, and
``benchmarks/dashboard.py`` puts this folder on its path to do the same.

Debian's chromium (``.ci/run`` installs it) is driven through Playwright, with the flags
that keep it from reaching the network, so that the dashboard is checked as it works on
an offline machine.
"""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
"""Where Debian's chromium package puts the browser."""

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
)
"""Flags for a headless, offline Chromium."""


def launch(playwright: Any, profile: str, viewport: dict[str, int]) -> Any:
    """Open a persistent headless Chromium context in ``profile`` (a Playwright context)."""
    return playwright.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        args=list(CHROMIUM_ARGS),
        headless=True,
        viewport=viewport,
    )
