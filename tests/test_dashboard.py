"""The dashboard, end to end: the real ``cocreate dashboard`` server driven in headless Chromium.

The server runs as a subprocess on a free port with a small population; Playwright drives
Debian's Chromium (``/usr/bin/chromium``). Without Chromium the browser tests skip, except
in CI (``CI`` set), where they fail: ``.ci/run`` installs Chromium.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from browser import CHROMIUM, launch

from sim.runs.outcomes import HARM_HIGHER_IS_WORSE, HARM_PANEL, OUTCOMES, run_scenario

REPO = Path(__file__).resolve().parent.parent
CITIZENS = 400
TIMEOUT_MS = 60_000


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; in CI .ci/run must install Debian's chromium")
    pytest.skip(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")


def _stop(proc: subprocess.Popen[str]) -> None:
    """Stop the server and anything it started (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_chromium()
    log = (tmp_path_factory.mktemp("dashboard") / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "dashboard", "--port", "0", "--citizens", str(CITIZENS)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        line = lines.get(timeout=120)
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, f"the CLI printed no URL: {line!r}"
        yield found.group(0)
    except queue.Empty:
        pytest.fail(f"the dashboard did not start; see {log.name}")
    finally:
        _stop(proc)
        log.close()


@pytest.fixture
def page(server_url: str, tmp_path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = launch(p, str(tmp_path / "profile"), {"width": 1600, "height": 1200})
        try:
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(server_url)
            page.get_by_text(re.compile(r"^Time: 0(\.0)?$")).wait_for()
            yield page
        finally:
            context.close()


def _chart_image(page, key: str) -> str:
    return page.locator(f".cocreate-{key} img").first.get_attribute("src")


def _caption(page, key: str) -> str:
    return page.locator(f".cocreate-{key} .cocreate-caption").first.inner_text()


def _wait_caption(page, key: str, start: str) -> None:
    """Wait for a chart's caption to start with ``start`` (charts are redrawn one by one)."""
    page.locator(f".cocreate-{key} .cocreate-caption", has_text=start).first.wait_for()
    assert _caption(page, key).startswith(start), _caption(page, key)


def _wait_time(page, weeks: int) -> None:
    page.get_by_text(re.compile(rf"^Time: {weeks}(\.0)?$")).wait_for()


def _until(act: Callable[[], None], shown: object, wait_ms: int, tries: int = 3) -> bool:
    """Do ``act`` until ``shown`` (a locator) is visible: at most ``tries`` times, waiting
    ``wait_ms`` after each but the last, which waits the page's timeout. Whether it showed.

    A click or typing can land while the page is redrawn, after the model paused or
    stepped, and be lost (see ``_play``).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        act()
        try:
            shown.wait_for(timeout=wait_ms if attempt < tries - 1 else TIMEOUT_MS)
            return True
        except PlaywrightTimeout:
            continue
    return False


def _press_until(page, button: str, shown: object) -> None:
    """Press a button until ``shown`` is visible, again after 30 s if need be.

    A second press that was not needed would step or reset twice, so the wait is long
    beside the page's redraw (a few seconds at 400 citizens).
    """
    if not _until(lambda: page.get_by_role("button", name=button).click(), shown, 30_000):
        week = page.get_by_text(re.compile(r"^Time: \d+(\.0)?$")).inner_text()
        pytest.fail(f"pressing {button} 3 times did not show {shown}: {week}")


def _pick_volunteer(page, row: int) -> None:
    """Type a citizen's row into the volunteer box and press Enter, until its chart shows.

    A redraw of the box between the fill and the Enter puts back the row it showed, and
    Enter then commits that one; in CI this left the chart at the default volunteer for a
    minute. Typing again is harmless, so it is tried again after 15 s.
    """

    def type_row() -> None:
        box = page.get_by_label("volunteer id (citizen row)")
        box.fill(str(row))
        box.press("Enter")

    shown = page.locator(".cocreate-volunteer .cocreate-caption", has_text=f"citizen {row}: ")
    if not _until(type_row, shown.first, 15_000):
        pytest.fail(f"the volunteer box did not take {row}: {_caption(page, 'volunteer')!r}")


def _play(page) -> None:
    """Press play, and make sure the model plays.

    A click can land while the controls are redrawn after the last step and be lost; in
    the full suite this left the week at 3 for a minute, with nothing in the server's log.
    So if after a while neither the week has moved nor the button turned to pause, press
    play once more; otherwise say what the page shows.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    play = page.get_by_role("button", name="▶")
    moved = page.get_by_text(re.compile(r"^Time: (?:[4-9]|\d{2,})(\.0)?$"))
    play.click()
    try:
        moved.wait_for(timeout=20_000)
    except PlaywrightTimeout:
        if play.count() and not page.get_by_role("button", name="❚❚").count():
            play.click()
    try:
        moved.wait_for()
    except PlaywrightTimeout:
        week = page.get_by_text(re.compile(r"^Time: \d+(\.0)?$")).inner_text()
        buttons = [b.inner_text() for b in page.get_by_role("button").all()]
        pytest.fail(f"play did not advance the model: {week}; buttons {buttons}")


def test_lever_reset_step_and_play_update_the_charts(page, tmp_path: Path) -> None:
    assert "week 0" in _caption(page, "participation_rate")
    before = _chart_image(page, "participation_rate")
    summary = page.locator(".cocreate-overrides")
    assert "scenario's own values" in summary.inner_text()

    # move a lever to its maximum, then Reset: the model is rebuilt with it
    slider = page.locator(".v-input", has=page.get_by_text("lever · outreach", exact=True))
    slider.locator("[role=slider]").first.focus()
    page.keyboard.press("End")
    page.get_by_role("button", name="Reset").click()
    page.get_by_text(re.compile(r"changed from the scenario: outreach .+ → ")).wait_for()

    # step three weeks: the step counter and every chart follow
    for weeks in (1, 2, 3):
        page.get_by_role("button", name="Step").click()
        _wait_time(page, weeks)
    page.get_by_text("week 3: participation rate", exact=False).wait_for()
    assert _chart_image(page, "participation_rate") != before
    for key in ("volunteers", "trust", "wellbeing_gap_q5_q1", "net_cost"):
        _wait_caption(page, key, "week 3:")
    # the harm panel: every harm with its registry unit, and no previous run yet
    harms = page.locator(".cocreate-harm-table")
    for name in HARM_PANEL:
        row = harms.locator(f"tr.cocreate-harm-{name}").inner_text()
        assert row.split("\t")[:2] == [figures_label(name), OUTCOMES[name].unit], row
    _wait_caption(page, "harm-table", "week 3, so far; previous run: none yet")

    # one volunteer's history: pick citizen 5 (not the one shown first) while the model
    # stands still
    assert "citizen 5: " not in _caption(page, "volunteer")
    _pick_volunteer(page, 5)
    _wait_caption(page, "volunteer", "week 3: citizen 5:")

    # play, let some weeks pass, pause; at the slowest pace, so that on a loaded machine the
    # page keeps up with the model (at the default pace the model could reach its last week,
    # which disables pause, before the page showed week 6)
    pace = page.locator(".v-input", has=page.get_by_text("Play Interval (ms)", exact=True))
    pace.locator("[role=slider]").first.focus()
    page.keyboard.press("End")
    _play(page)
    page.get_by_text(re.compile(r"^Time: (?:[6-9]|\d{2,})(\.0)?$")).wait_for()
    page.get_by_role("button", name="❚❚").click()
    played = page.get_by_text(re.compile(r"^Time: \d+(\.0)?$")).inner_text()
    weeks = int(float(played.split(":")[1]))
    assert weeks >= 6
    page.get_by_text(f"week {weeks}: participation rate", exact=False).wait_for()
    # the picked volunteer's chart follows the play
    _wait_caption(page, "volunteer", f"week {weeks}: citizen 5:")

    # Reset: the run just shown becomes the previous run, set beside the new one; with the
    # same settings and seed, every harm is the same at the same week
    _press_until(page, "Reset", page.get_by_text(re.compile(r"^Time: 0(\.0)?$")))
    _press_until(page, "Step", page.get_by_text(re.compile(r"^Time: 1(\.0)?$")))
    page.get_by_text(
        re.compile(r"^week 1, so far; previous run: wigan_deal \(outreach [\d.]+\), at the same")
    ).wait_for()
    for name in HARM_PANEL:
        cells = page.locator(f".cocreate-harm-table tr.cocreate-harm-{name} td").all_inner_texts()
        assert cells[3] == cells[4] and cells[5] == "same", cells
    # the harms week by week, on the second page, the previous run dashed
    page.get_by_role("tab", name="Page 1").click()
    _wait_caption(page, "harms", "week 1: least-resourced wellbeing")
    assert _caption(page, "harms").endswith("; dashed: the previous run")
    _wait_caption(page, "harm_hours", "week 1: implicit demands on volunteers")

    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


def test_scenario_picker_and_map_outcome(page) -> None:
    summary = page.locator(".cocreate-summary")
    assert summary.inner_text().startswith("wigan_deal:")
    map_before = page.locator(".vue-grid-item img").first.get_attribute("src")

    page.locator(".v-select", has=page.get_by_text("neighbourhood map shows")).click()
    page.locator(".v-menu__content .v-list-item", has_text="mean trust").click()
    page.wait_for_function(
        "before => document.querySelector('.vue-grid-item img').src !== before", arg=map_before
    )

    page.locator(".v-select", has=page.get_by_text("scenario (rebuilds the model)")).click()
    page.locator(".v-menu__content .v-list-item", has_text=re.compile(r"^npm$")).click()
    page.get_by_text(re.compile(r"^npm: ")).wait_for()
    assert "scenario's own values" in page.locator(".cocreate-overrides").inner_text()
    page.get_by_role("button", name="Step").click()
    _wait_time(page, 1)


def _dashboard_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``cocreate dashboard ARGS`` in a subprocess (for the refusals, which exit)."""
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", "dashboard", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_scenario_is_a_clean_error() -> None:
    out = _dashboard_cli("no_such_scenario", "--port", "0")
    assert out.returncode == 2
    assert "no_such_scenario" in out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout == ""


def test_bad_port_is_a_clean_error() -> None:
    out = _dashboard_cli("baseline", "--port", "70000")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "--port: 70000 is out of range; allowed 0 (any free port) to 65535"
    ]


def test_a_chart_drawn_while_the_model_collects_reads_one_moment() -> None:
    """Mesa plays the model in another thread: the DataCollector can have appended to one
    reporter's series and not yet to the next when a chart reads them. The chart must draw
    series of one length (a mismatch raised in the server and stopped play)."""
    import reacton
    import solara

    from sim.present.dashboard import DashboardModel, volunteers_chart

    model = DashboardModel(citizens=200)
    model.run_for(3)
    model.datacollector.model_vars["volunteers"].append(0)  # mid-collection: one ahead

    @solara.component
    def page() -> object:
        return volunteers_chart(model)

    # raised ValueError (x and y of different lengths) before the series were cut to one
    _, context = reacton.render(page(), handle_error=False)
    context.close()


def test_a_volunteer_history_read_while_the_model_steps_reads_one_moment() -> None:
    """The volunteer chart reads the model's history while Mesa plays the model in another
    thread: a history that grows while it is read must not raise (it raised IndexError in
    the server, which took the page down, when the page drew slowly)."""
    from sim.present.dashboard import DashboardModel

    class Growing(list):
        """A history that gains a week as soon as someone starts reading it."""

        def __iter__(self):  # type: ignore[override]
            self.append(self[-1])
            return super().__iter__()

    model = DashboardModel(citizens=200)
    model.run_for(3)
    row = model.default_volunteer
    model.history = Growing(model.history)
    data = model.volunteer_history(row)
    assert data.shape == (4, 3)
    assert (data[3] == data[2]).all() or np.isnan(data[2]).all()


# --------------------------------------------------------------------------- harm panel


def _harm_rows(model) -> dict[str, list[str]]:
    """The harm table the page shows for ``model``: its cells by harm, parsed from its HTML."""
    import html as html_module

    import reacton
    import solara

    from sim.present.dashboard import harm_table

    @solara.component
    def page() -> object:
        return harm_table(model)

    _, context = reacton.render(page(), handle_error=False)
    try:
        inner = context.find(solara.widgets.HTML).widget.unsafe_innerHTML
    finally:
        context.close()
    rows = re.findall(r'<tr class="cocreate-harm-(\w+)">(.*?)</tr>', inner)
    return {
        name: [html_module.unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells)]
        for name, cells in rows
    }


def test_the_live_harm_panel_is_computed_as_compare_computes_it() -> None:
    """The dashboard's harms so far, after a year, are the outcomes ``cocreate compare``
    reports for that year: same definitions, same numbers."""
    from sim.present.dashboard import (
        DashboardModel,
        _reporter_frame,
        base_scenario,
        harm_series,
        harms_so_far,
    )

    model = DashboardModel(scenario_name="dark_responsibility_shift", citizens=300, seed=3)
    model.run_for(52)
    frame = _reporter_frame(model)
    live = harms_so_far(frame, model.n_citizens)
    ran = run_scenario(base_scenario("dark_responsibility_shift", 300), rng=3, years=1)
    assert list(live) == list(HARM_PANEL)
    assert live == pytest.approx({name: ran["outcomes"][name] for name in HARM_PANEL})
    assert live["services_withdrawn_share"] > 0.5  # the shift withdraws services: a harm shows

    series = harm_series(frame, model.n_citizens)
    ts = ran["timeseries"]
    assert series["q1_unmet_need_share"] == pytest.approx(ts["unmet_need_share_q1"].to_numpy())
    assert series["q1_final_wellbeing"] == pytest.approx(ts["wellbeing_q1"].to_numpy())
    assert series["services_withdrawn_share"] == pytest.approx(
        ts["responsibility_withdrawn"].to_numpy()
    )
    assert series["volunteers_gone_share"] == pytest.approx(ts["gone"].to_numpy() / 300)
    # the shares counted over the run end at the run's outcome
    for name in ("unanswered_voice_share", "promises_broken_share"):
        assert series[name][-1] == pytest.approx(ran["outcomes"][name]), name

    rows = _harm_rows(model)
    assert list(rows) == list(HARM_PANEL)
    for name, (shown, unit, worse, now, before, moved) in rows.items():
        assert shown == figures_label(name) and unit == OUTCOMES[name].unit
        assert worse == ("higher" if HARM_HIGHER_IS_WORSE[name] else "lower")
        assert float(now) == pytest.approx(live[name], rel=1e-2, abs=1e-3)
        assert before == moved == ""  # no previous run


def test_switching_a_mechanism_off_shows_which_harm_moves() -> None:
    """After Reset with a mechanism switched off, the harm table sets each harm beside the
    previous run's at the same week and says which way it moved."""
    from sim.present.dashboard import DashboardModel, PreviousRun, _reporter_frame, harms_so_far

    before = DashboardModel(scenario_name="dark_responsibility_shift", citizens=300)
    before.run_for(30)
    after = DashboardModel(
        scenario_name="dark_responsibility_shift",
        citizens=300,
        **{"mechanisms.public_value": False},
    )
    after.previous = PreviousRun.of(before)
    assert after.previous.name == "dark_responsibility_shift"
    assert PreviousRun.of(after).name == "dark_responsibility_shift (public_value off)"
    after.run_for(20)
    now = harms_so_far(_reporter_frame(after), after.n_citizens)
    then = harms_so_far(_reporter_frame(before).iloc[:21], before.n_citizens)  # weeks 0-20
    assert after.previous.at(20) == pytest.approx(then)
    assert after.previous.at(31) == {}  # the previous run stopped at week 30

    rows = _harm_rows(after)
    moved = {}
    for name, (_, _, _, shown_now, shown_then, word) in rows.items():
        assert float(shown_now) == pytest.approx(now[name], rel=1e-2, abs=1e-3)
        assert float(shown_then) == pytest.approx(then[name], rel=1e-2, abs=1e-3)
        if abs(now[name] - then[name]) <= 1e-9:
            assert word == "same", name
        else:
            rose = now[name] > then[name]
            assert word == ("worse" if rose == HARM_HIGHER_IS_WORSE[name] else "better"), name
        moved[name] = word
    # without public value, no value is counted as destroyed: that harm moved, for the better
    assert now["value_destroyed"] == 0 < then["value_destroyed"]
    assert moved["value_destroyed"] == "better"


def figures_label(name: str) -> str:
    from sim.present.figures import label

    return label(name)
