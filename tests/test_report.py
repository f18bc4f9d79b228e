"""`cocreate report DIR`: figures (PNG and PDF), a self-contained HTML report and a
plain-language reading that agrees with the numbers, for run, compare and sweep folders;
bad folders are refused in one line with exit 2 and nothing touched."""

from __future__ import annotations

import base64
import contextlib
import html
import io
import json
import math
import re
import shutil
import struct
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.present import figures
from sim.present.report import compare_reading, fmt
from sim.runs.outcomes import HARM_PANEL, HIGHER_IS_BETTER, OUTCOMES

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _scenario(folder: Path, name: str, extends: str, extra: str = "") -> str:
    path = folder / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nextends: {extends}\nmunicipality:\n  citizens: 300\n"
        f"  neighbourhoods: 3\n{extra}"
    )
    return str(path)


@pytest.fixture(scope="module")
def compare_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Baseline against the same town with a maximal community fund and full outreach."""
    root = tmp_path_factory.mktemp("compare")
    a = _scenario(root, "a_base", "baseline")
    b = _scenario(root, "b_fund", "baseline", "levers:\n  community_fund: 200.0\n  outreach: 1.0\n")
    out = root / "out"
    args = ["compare", a, b, "--replicates", "3", "--years", "1", "--workers", "1", "-q"]
    assert main([*args, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("run")
    scenario = _scenario(root, "small_wigan", "wigan_deal")
    out = root / "out"
    assert main(["run", scenario, "--seed", "7", "--years", "1", "--out", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sweep")
    exp = root / "tiny.yaml"
    exp.write_text(
        "method: morris\nbase: wigan_deal\nparameters:\n  volunteer_expectation: [0.5, 3.0]\n"
        "  recognition: null\n  trust_gain: [0.3, 0.9]\nN: 2\nreplicates: 1\nyears: 1\n"
        "citizens: 300\nseed: 5\noutcomes: [burnouts_per_1000_per_year, final_trust]\n"
    )
    out = root / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def compare_report(compare_dir: Path) -> tuple[Path, str]:
    """The comparison's report, rendered once for the tests that only read it (a render
    takes 10-15 s, mostly matplotlib's layout and PDF font subsetting); and what the
    command printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        out = _report(compare_dir)
    return out, printed.getvalue()


def _report(folder: Path, *extra: str) -> Path:
    assert main(["report", str(folder), "-q", *extra]) == 0
    return folder / "report"


def _check_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, path
    at = data.find(b"pHYs")
    assert at > 0, f"{path}: no resolution recorded"
    per_metre, _, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
    assert unit == 1 and per_metre * 0.0254 >= 200, f"{path}: below 200 dpi"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 1000 and height >= 400


def _check_pdf(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), path
    assert data.rstrip().endswith(b"%%EOF"), path
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1, f"{path}: expected one page"


def _check_self_contained(text: str) -> None:
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", text, re.I)
    assert "<link" not in text.lower()
    assert "<script" not in text.lower()
    assert "@import" not in text and "url(" not in text


def _reading(text: str) -> list[str]:
    block = re.search(r'<div class="reading">(.*?)</div>', text, re.S)
    assert block, "no reading section"
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", block.group(1), re.S)]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --------------------------------------------------------------------------- units


def test_every_outcome_and_drawn_reporter_has_a_unit() -> None:
    assert figures.unit("cumulative_net_cost") == "GBP"
    assert figures.unit("net_cost") == "GBP per week"
    assert figures.unit("burnouts_per_1000_per_year") == "burnouts per 1,000 adults per year"
    assert figures.unit("participation_rate") == "share of adults"
    for name in [*OUTCOMES, *figures.COMPARE_PANELS, *figures.RUN_PANELS]:
        assert figures.unit(name), f"{name} has no unit"
    assert figures.scaled("cumulative_net_cost", [2.5e6]) == (1e-6, "million GBP")
    assert figures.scaled("final_trust", [2.5e6]) == (1.0, "score, 0-1")


# --------------------------------------------------------------------------- compare


def test_compare_report_figures_are_valid_png_and_pdf(
    compare_dir: Path, compare_report: tuple[Path, str]
) -> None:
    out, printed = compare_report
    assert "report.html" in printed
    for stem in ("timeseries", "outcomes", "differences"):
        _check_png(out / f"{stem}.png")
        _check_pdf(out / f"{stem}.pdf")
    assert not list(out.glob("*.tmp"))
    # the compare command's own PNGs are drawn by the same module and still written
    assert (compare_dir / "comparison.png").read_bytes()[:8] == PNG_MAGIC
    assert (compare_dir / "outcomes.png").read_bytes()[:8] == PNG_MAGIC


def test_compare_report_html_is_self_contained_with_manifest_and_table(
    compare_dir: Path, compare_report: tuple[Path, str]
) -> None:
    out, _ = compare_report
    text = (out / "report.html").read_text(encoding="utf-8")
    _check_self_contained(text)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 3
    assert base64.b64decode(images[0]) == (out / "timeseries.png").read_bytes()
    manifest = json.loads((compare_dir / "manifest.json").read_text())
    assert "<td>0, 1, 2</td>" in text  # the seeds
    for name in manifest["scenarios"]:
        assert name in text
    assert manifest["git_commit"] and manifest["git_commit"] in text
    assert manifest["package_version"] in text
    summary = pd.read_csv(compare_dir / "summary.csv")
    for row in summary.itertuples():
        cell = f"{fmt(row.mean)} [{fmt(row.ci_low)}, {fmt(row.ci_high)}]"
        assert html.escape(cell) in text, f"summary cell for {row.scenario}/{row.outcome}"


def test_compare_reading_agrees_with_summary_csv(
    compare_dir: Path, compare_report: tuple[Path, str]
) -> None:
    out, _ = compare_report
    paragraphs = _reading((out / "report.html").read_text(encoding="utf-8"))
    summary = pd.read_csv(compare_dir / "summary.csv")
    runs = pd.read_csv(compare_dir / "runs.csv")
    mine = summary[summary.scenario == "b_fund"].copy()
    mine["significant"] = (mine.diff_ci_low > 0) | (mine.diff_ci_high < 0)
    mine["size"] = [
        abs(d) / runs[o].std(ddof=1) if runs[o].std(ddof=1) > 0 else abs(d)
        for d, o in zip(mine["diff"], mine.outcome, strict=True)
    ]
    significant = mine[mine.significant].sort_values("size", ascending=False)
    assert not significant.empty, "a maximal fund and full outreach should change something"
    (para,) = [p for p in paragraphs if p.startswith("Compared with a_base, b_fund")]
    better = mine.outcome.map(HIGHER_IS_BETTER)
    up = mine["diff"] > 0
    good = mine.significant & ((up & better.eq(True)) | (~up & better.eq(False)))
    bad = mine.significant & ((up & better.eq(False)) | (~up & better.eq(True)))
    gains = mine[good].sort_values("size", ascending=False)
    losses = mine[bad & ~mine.outcome.isin(HARM_PANEL)].sort_values("size", ascending=False)

    def words(row) -> str:
        diff = row["diff"] if isinstance(row, pd.Series) else row.diff  # a Series has .diff()
        verb = "raised" if diff > 0 else "lowered"
        return f"{verb} {figures.label(row.outcome)} by"

    named = para.split(" No difference from a_base distinguishable from zero")[0]
    if gains.empty:
        assert para.startswith("Compared with a_base, b_fund has no gain distinguishable")
    else:
        # the largest gain comes first, then the next ones, before the harms
        assert para.startswith("Compared with a_base, b_fund's ") and ": it " in para
        gain_part = re.split(r" Its (?:largest harms|harm)| It has no clear harm", named)[0]
        assert gain_part.split(": it ", 1)[1].startswith(words(gains.iloc[0]))
        for row in gains.head(3).itertuples():
            assert words(row) in gain_part, row.outcome
    for row in losses.head(3).itertuples():
        assert words(row) in named.split(" It did worse than a_base: ")[1], row.outcome
    for row in mine[~mine.significant].itertuples():
        # as a named change ("raised X by"), not inside another label ("least-resourced
        # final wellbeing" holds "final wellbeing")
        label = figures.label(row.outcome)
        assert f"raised {label} by" not in named and f"lowered {label} by" not in named, row
    if (~mine.significant).any():
        tail = para.split(" No difference from a_base distinguishable from zero")[1]
        for outcome in mine[~mine.significant].outcome:
            assert figures.label(outcome) in tail


def _synthetic_summary(n: int, low: float, high: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for scenario, diff in (("ref", 0.0), ("alt", (low + high) / 2)):
        for outcome in ("final_trust", "cumulative_net_cost"):
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": outcome,
                    "n": n,
                    "mean": 1.0 + diff,
                    "ci_low": math.nan if n < 2 else 0.5,
                    "ci_high": math.nan if n < 2 else 1.5,
                    "reference": "ref",
                    "diff": diff,
                    "diff_ci_low": 0.0 if scenario == "ref" else low,
                    "diff_ci_high": 0.0 if scenario == "ref" else high,
                }
            )
    runs = pd.DataFrame({"final_trust": [0.4, 0.6], "cumulative_net_cost": [1e6, 3e6]})
    return pd.DataFrame(rows), runs


def test_reading_says_plainly_when_no_difference_is_distinguishable() -> None:
    summary, runs = _synthetic_summary(5, -0.1, 0.3)
    text = " ".join(compare_reading(summary, runs, ["ref", "alt"]))
    assert "alt made no difference distinguishable from zero" in text
    assert "raised" not in text and "lowered" not in text

    summary, runs = _synthetic_summary(5, -0.3, -0.1)
    (first, *_) = compare_reading(summary, runs, ["ref", "alt"])
    # lower cost is a gain, lower trust a loss: each is named where it belongs
    assert first == (
        "Compared with ref, alt's gain: it lowered cumulative net cost by 0.2 GBP (95% CI 0.1 "
        "to 0.3). It did worse than ref: it lowered final trust by 0.2 on the 0-1 scale (95% CI "
        "0.1 to 0.3)."
    )

    summary, runs = _synthetic_summary(1, math.nan, math.nan)
    text = " ".join(compare_reading(summary, runs, ["ref", "alt"]))
    assert "single seed" in text and "--replicates" in text


# --------------------------------------------------------------------------- run


def test_run_report(run_dir: Path) -> None:
    out = _report(run_dir)
    for stem in ("run", "quintiles"):
        _check_png(out / f"{stem}.png")
        _check_pdf(out / f"{stem}.pdf")
    text = (out / "report.html").read_text(encoding="utf-8")
    _check_self_contained(text)
    assert len(re.findall(r'src="data:image/png;base64,', text)) == 2
    assert "small_wigan" in text and "<td>7</td>" in text  # scenario and seed
    ts = pd.read_csv(run_dir / "timeseries.csv")
    reading = " ".join(_reading(text))
    for column in ("participation_rate", "mean_trust"):
        first, last = ts[column].iloc[0], ts[column].iloc[-1]
        verb = "rose" if last > first else "fell" if last < first else "stayed"
        assert f"{figures.label(column)} {verb}" in reading, column


# --------------------------------------------------------------------------- sweep


def test_sweep_report_names_the_inputs_that_matter(sweep_dir: Path) -> None:
    out = _report(sweep_dir)
    _check_png(out / "indices.png")
    _check_pdf(out / "indices.pdf")
    text = (out / "report.html").read_text(encoding="utf-8")
    _check_self_contained(text)
    assert "<td>5</td>" in text  # the experiment's seed
    assert "tiny" in text and "morris" in text
    indices = pd.read_csv(sweep_dir / "indices.csv")
    paragraphs = _reading(text)
    for outcome, part in indices[indices["index"] == "mu_star"].groupby("outcome"):
        (para,) = [p for p in paragraphs if p.startswith(f"For {figures.label(outcome)},")]
        top = part.sort_values("value", ascending=False).iloc[0]
        if top.value - top.conf > 0:
            assert re.search(rf"matters? most (are|is) {top.parameter} \(μ\* ", para), para
        else:
            assert "no input" in para
        for row in part.itertuples():
            if row.value - row.conf <= 0 and "Indistinguishable" in para:
                assert row.parameter in para.split("Indistinguishable")[1]


# --------------------------------------------------------------------------- outputs kept


def test_report_keeps_existing_files_and_honours_out(compare_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    (target / "report.html").write_text("old")
    before = _snapshot(compare_dir)
    assert main(["report", str(compare_dir), "--out", str(target), "-q"]) == 0
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert (target / "differences.pdf").exists()
    after = _snapshot(compare_dir)
    assert {k: v for k, v in after.items() if not k.startswith("report/")} == {
        k: v for k, v in before.items() if not k.startswith("report/")
    }


def test_no_progress_bar_off_a_terminal(run_dir: Path, capsys) -> None:
    assert main(["report", str(run_dir)]) == 0
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- bad folders


def _broken(kind: str, tmp_path: Path, compare_dir: Path, sweep_dir: Path) -> tuple[Path, str]:
    """A broken folder and the file its error must name."""
    if kind == "missing":
        return tmp_path / "nowhere", "nowhere"
    folder = tmp_path / kind
    if kind == "empty":
        folder.mkdir()
        (folder / "data.csv").write_text("a,b\n1,2\n")
        return folder, "manifest.json"
    if kind in ("bad_json", "foreign_json"):
        folder.mkdir()
        text = '{"scenarios": [' if kind == "bad_json" else '{"model": "something else"}'
        (folder / "manifest.json").write_text(text)
        return folder, "manifest.json"
    if kind == "compare_without_summary":
        shutil.copytree(compare_dir, folder, ignore=shutil.ignore_patterns("report"))
        (folder / "summary.csv").unlink()
        return folder, "summary.csv"
    shutil.copytree(sweep_dir, folder, ignore=shutil.ignore_patterns("report"))
    if kind == "unfinished_sweep":
        (folder / "manifest.json").unlink()
        return folder, "manifest.json"
    assert kind == "sweep_missing_an_outcome"
    indices = pd.read_csv(folder / "indices.csv")
    indices[indices.outcome != "final_trust"].to_csv(folder / "indices.csv", index=False)
    return folder, "indices.csv"


@pytest.mark.parametrize(
    "kind",
    [
        "missing",
        "empty",
        "bad_json",
        "foreign_json",
        "compare_without_summary",
        "unfinished_sweep",
        "sweep_missing_an_outcome",
    ],
)
def test_bad_folders_are_refused_in_one_line(
    kind: str, tmp_path: Path, compare_dir: Path, sweep_dir: Path, capsys
) -> None:
    folder, culprit = _broken(kind, tmp_path, compare_dir, sweep_dir)
    before = _snapshot(folder) if folder.exists() else None
    capsys.readouterr()
    assert main(["report", str(folder)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert culprit in lines[0]
    assert "expected" in lines[0] or "run the same command again" in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""
    if before is not None:
        assert _snapshot(folder) == before  # nothing written, nothing deleted
        assert not (folder / "report").exists()


def test_a_dollar_in_a_scenario_name_is_drawn_as_written(tmp_path: Path, capsys) -> None:
    """Issue 13: a scenario file named ``cost$_$.yaml`` (its name, from the stem) broke
    matplotlib's mathtext after every run had finished; labels are drawn as written."""
    odd = tmp_path / "cost$_$.yaml"
    odd.write_text(
        "extends: baseline\nyears: 1\nmunicipality: {citizens: 200, neighbourhoods: 2}\n"
    )
    out = tmp_path / "cmp"
    args = ["compare", _scenario(tmp_path, "a_base", "baseline"), str(odd), "--years", "1"]
    assert main([*args, "--out", str(out), "--workers", "1", "-q"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert (out / "outcomes.png").read_bytes()[:8] == PNG_MAGIC
    summary = pd.read_csv(out / "summary.csv")
    fig = figures.outcomes_figure(summary, ["a_base", "cost$_$"])
    figures.png_bytes(fig)
    shown = {t.get_text() for ax in fig.axes for t in ax.get_yticklabels()}
    assert "cost$_$" in shown
