"""The harm panel in every table a planner reads (issue 11, "What a planner reads").

``summary.csv`` carries each harm with its interval and direction; ``outcomes.png`` draws
the eight harms per strategy; the printed table of ``cocreate compare`` has a block
headed "harms"; the report's reading never describes a strategy with a clear harm by its
gains alone, and its tables carry the harm panel.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.present import figures
from sim.present.report import compare_reading, fmt, harm_findings, harm_table
from sim.runs.compare import mean_ci, summarise
from sim.runs.outcomes import HARM_HIGHER_IS_WORSE, HARM_PANEL, HIGHER_IS_BETTER, OUTCOMES

# --------------------------------------------------------------------------- registry


def test_every_outcome_says_which_way_is_better_and_harms_agree() -> None:
    assert set(HIGHER_IS_BETTER) == set(OUTCOMES), "declare a direction for every outcome"
    assert set(HARM_PANEL) <= set(OUTCOMES)
    for name in HARM_PANEL:
        assert HIGHER_IS_BETTER[name] is (not HARM_HIGHER_IS_WORSE[name]), name
    assert HIGHER_IS_BETTER["q1_final_wellbeing"] is True
    assert HIGHER_IS_BETTER["q1_unmet_need_share"] is False
    assert HIGHER_IS_BETTER["cumulative_net_cost"] is False
    assert HIGHER_IS_BETTER["final_trust"] is True


# --------------------------------------------------------------------------- summary.csv


def _runs(values: dict[str, dict[str, list[float]]], seeds: int = 3) -> pd.DataFrame:
    """runs.csv with every outcome: 0.5 on every seed unless ``values`` says otherwise."""
    rows = []
    for scenario, given in values.items():
        for seed in range(seeds):
            row = {"scenario": scenario, "seed": seed}
            for name in OUTCOMES:
                row[name] = given[name][seed] if name in given else 0.5
            rows.append(row)
    return pd.DataFrame(rows)


def test_summary_carries_every_harm_with_mean_interval_unit_and_direction() -> None:
    runs = _runs(
        {
            "ref": {"q1_unmet_need_share": [0.0, 0.0, 0.0]},
            "alt": {"q1_unmet_need_share": [0.2, 0.3, 0.4], "implicit_demand_hours": [1, 2, 6]},
        }
    )
    summary = summarise(runs, ["ref", "alt"])
    old = ["scenario", "outcome", "n", "mean", "ci_low", "ci_high", "reference", "diff"]
    assert list(summary.columns[: len(old) + 2]) == [*old, "diff_ci_low", "diff_ci_high"]
    assert {"unit", "harm", "better"} <= set(summary.columns)
    for scenario in ("ref", "alt"):
        mine = summary[summary.scenario == scenario].set_index("outcome")
        assert set(HARM_PANEL) <= set(mine.index)
        assert set(mine.index[mine.harm]) == set(HARM_PANEL)
        for name in HARM_PANEL:
            assert mine.loc[name, "unit"] == OUTCOMES[name].unit
            assert mine.loc[name, "better"] == ("lower" if HARM_HIGHER_IS_WORSE[name] else "higher")
    alt = summary[summary.scenario == "alt"].set_index("outcome")
    mean, low, high = mean_ci(np.array([1.0, 2.0, 6.0]))
    assert alt.loc["implicit_demand_hours", ["mean", "ci_low", "ci_high"]].tolist() == (
        pytest.approx([mean, low, high])
    )
    assert alt.loc["q1_unmet_need_share", "diff"] == pytest.approx(0.3)
    assert alt.loc["final_service_demand", "better"] == "neither"
    assert alt.loc["final_trust", "better"] == "higher"


# --------------------------------------------------------------------------- reading

REF_LEVELS = {name: 0.0 for name in HARM_PANEL} | {"q1_final_wellbeing": 0.5}
"""The reference's harm levels in the synthetic comparisons: no harm at all."""


def _summary(scenarios: dict[str, dict[str, tuple[float, float, float]]], n: int = 5):
    """A synthetic summary and runs.

    Each scenario gives ``{outcome: (mean, diff_ci_low, diff_ci_high)}``; the level's
    interval is mean ± 0.05 (for shares and scores) and the difference is from the
    reference's level. Outcomes not given sit at the reference's level with a difference
    interval across zero.
    """
    names = ["mean_participation", "final_trust", "cumulative_net_cost", *HARM_PANEL]
    base = {"mean_participation": 0.3, "final_trust": 0.5, "cumulative_net_cost": 1e6}
    base |= REF_LEVELS
    rows = []
    for scenario, given in {"ref": {}, **scenarios}.items():
        for name in names:
            mean, d_low, d_high = given.get(name, (base[name], -0.01, 0.01))
            if scenario == "ref":
                d_low = d_high = 0.0
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": name,
                    "n": n,
                    "mean": mean,
                    "ci_low": mean - 0.05 if n > 1 else math.nan,
                    "ci_high": mean + 0.05 if n > 1 else math.nan,
                    "reference": "ref",
                    "diff": mean - base[name],
                    "diff_ci_low": d_low if n > 1 else math.nan,
                    "diff_ci_high": d_high if n > 1 else math.nan,
                }
            )
    summary = pd.DataFrame(rows)
    runs = pd.DataFrame({name: [0.0, 0.2] for name in names})
    return summary, runs


GAINS = {
    "mean_participation": (0.5, 0.15, 0.25),
    "final_trust": (0.7, 0.15, 0.25),
}
"""Two clear gains every synthetic strategy has."""


def _paragraph(paragraphs: list[str], name: str) -> str:
    (found,) = [p for p in paragraphs if p.startswith(f"Compared with ref, {name}")]
    return found


def _harm_part(paragraph: str) -> str:
    """The paragraph up to the list of outcomes not distinguishable from the reference."""
    return paragraph.split(" No difference from ref")[0]


def test_a_strategy_with_a_clear_harm_is_never_described_by_its_gains_alone() -> None:
    """Each strategy has the same two clear gains. Three of them also carry a clear harm
    of a different kind, which the reading must name next to the gains, with its level
    and interval; the fourth has none and must not be accused of one."""
    summary, runs = _summary(
        {
            # a harm above zero and above the reference's
            "shifts": GAINS | {"q1_unmet_need_share": (0.3, 0.25, 0.35)},
            # a harm where lower is worse: wellbeing below the reference's
            "drains": GAINS | {"q1_final_wellbeing": (0.44, -0.08, -0.04)},
            # a harm the reference shares: above zero, but no worse than the reference
            "ignores": GAINS | {"unanswered_voice_share": (0.6, -0.01, 0.01)},
            "clean": GAINS,
        }
    )
    summary.loc[
        (summary.scenario == "ref") & (summary.outcome == "unanswered_voice_share"),
        ["mean", "ci_low", "ci_high"],
    ] = [0.6, 0.55, 0.65]
    paragraphs = compare_reading(summary, runs, ["ref", "shifts", "drains", "ignores", "clean"])
    label = figures.label
    expected = {
        "shifts": f"{label('q1_unmet_need_share')} 30% of need (95% CI 25% to 35%; "
        "30 percentage points above ref, 95% CI 25 to 35)",
        "drains": f"{label('q1_final_wellbeing')} 0.44 on the 0-1 scale (95% CI 0.39 to 0.49; "
        "0.06 below ref on the 0-1 scale, 95% CI 0.04 to 0.08)",
        "ignores": f"{label('unanswered_voice_share')} 60% of voices (95% CI 55% to 65%; "
        "not distinguishable from ref's)",
    }
    for name, harm in expected.items():
        text = _harm_part(_paragraph(paragraphs, name))
        assert "largest gains: it raised mean participation" in text, text
        assert f"Its harm: {harm}." in text, text
    clean = _harm_part(_paragraph(paragraphs, "clean"))
    gains, none = clean.split(" It has no clear harm: ")
    assert none.startswith("the 95% CI of every harm in the panel includes zero")
    assert not any(label(h) in gains for h in HARM_PANEL), clean
    # the reference's own harm is named too
    assert paragraphs[0] == "ref's own harm: voices unanswered 60% of voices (95% CI 55% to 65%)."


def test_a_harm_rising_is_a_harm_not_a_gain() -> None:
    """A rise in a harm where more is worse is never listed among the gains; a fall in
    one is a gain, and a rise in the least-resourced's wellbeing is too."""
    summary, runs = _summary(
        {
            "alt": {
                "value_destroyed": (0.3, 0.25, 0.35),
                "q1_final_wellbeing": (0.6, 0.05, 0.15),
                "cumulative_net_cost": (1e6 - 5e5, -6e5, -4e5),
            }
        }
    )
    text = _paragraph(compare_reading(summary, runs, ["ref", "alt"]), "alt")
    gains = text.split(" Its harm")[0]
    assert f"raised {figures.label('q1_final_wellbeing')} by 0.1" in gains
    assert "lowered cumulative net cost by 500 thousand GBP" in gains
    assert figures.label("value_destroyed") not in gains
    assert f"Its harm: {figures.label('value_destroyed')} 0.3 model units per week" in text


def test_the_largest_harms_are_named_in_full_and_every_other_clear_harm_by_name() -> None:
    # worse than the reference by 0.4, 0.3, 0.2, 0.1 on the same spread, and one as bad
    # as the reference's (ranked last)
    summary, runs = _summary(
        {
            "alt": GAINS
            | {
                "services_withdrawn_share": (0.2, 0.15, 0.25),
                "promises_broken_share": (0.4, 0.35, 0.45),
                "q1_unmet_need_share": (0.1, 0.05, 0.15),
                "volunteers_gone_share": (0.3, 0.25, 0.35),
            }
        }
    )
    text = _paragraph(compare_reading(summary, runs, ["ref", "alt"], top=3), "alt")
    harms = text.split("Its largest harms: ")[1]
    full, rest = harms.split(" Also clearly harmful: ")
    order = ["promises_broken_share", "volunteers_gone_share", "services_withdrawn_share"]
    positions = [full.index(f"{figures.label(o)} ") for o in order]
    assert positions == sorted(positions), full
    assert rest.startswith(f"{figures.label('q1_unmet_need_share')}.")


def test_rounding_noise_is_no_harm_and_one_seed_names_harms_without_intervals() -> None:
    summary, runs = _summary({"alt": GAINS})
    noise = (summary.scenario == "alt") & (summary.outcome == "q1_unmet_need_share")
    summary.loc[noise, ["mean", "ci_low", "ci_high"]] = [2.3e-17, 1.7e-17, 2.9e-17]
    found = harm_findings(summary, runs, ["ref", "alt"])
    assert not found.clear.any()
    assert "It has no clear harm" in _paragraph(
        compare_reading(summary, runs, ["ref", "alt"]), "alt"
    )

    summary, runs = _summary({"alt": {"implicit_demand_hours": (4.0, 0, 0)}}, n=1)
    paragraphs = compare_reading(summary, runs, ["ref", "alt"])
    assert "single seed" in paragraphs[0]
    text = _paragraph(paragraphs, "alt")
    assert "one seed: no intervals" in text
    assert (
        f"{figures.label('implicit_demand_hours')} 4 hours per week (one seed, no interval" in text
    )


# --------------------------------------------------------------------------- outcomes.png


def test_outcomes_figure_draws_each_harm_per_strategy_with_its_interval_and_unit() -> None:
    summary, _ = _summary(
        {"alt": {"value_destroyed": (300.0, 250, 350), "q1_final_wellbeing": (0.4, -0.2, -0.0)}}
    )
    order = ["ref", "alt"]
    fig = figures.outcomes_figure(summary, order)
    axes = {ax.get_title(): ax for ax in fig.axes if ax.get_visible()}
    for name in HARM_PANEL:
        ax = axes[figures.label(name)]
        rows = summary[summary.outcome == name].set_index("scenario").reindex(order)
        factor, unit = figures.scaled(name, rows[["ci_low", "mean", "ci_high"]])
        assert ax.get_xlabel() == unit == OUTCOMES[name].unit
        points = [c.lines[0].get_xdata()[0] for c in ax.containers]
        assert points == pytest.approx(list(rows["mean"] * factor)), name
        spans = [c.lines[2][0].get_segments()[0][:, 0] for c in ax.containers]
        assert [list(s) for s in spans] == [
            pytest.approx([lo * factor, hi * factor])
            for lo, hi in zip(rows.ci_low, rows.ci_high, strict=True)
        ], name
        # the line each harm is read against: zero, or the reference's level
        verticals = [
            line.get_xdata()[0]
            for line in ax.lines
            if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]
        ]
        expected = 0.0 if HARM_HIGHER_IS_WORSE[name] else REF_LEVELS[name]
        assert verticals == [expected], (name, verticals)
    title = fig.subfigs[1].get_suptitle()
    assert title.startswith("Harm panel") and figures.label("q1_final_wellbeing") in title


# --------------------------------------------------------------------------- end to end


def _scenario(folder: Path, name: str, extends: str) -> str:
    path = folder / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nextends: {extends}\nmunicipality:\n  citizens: 300\n  neighbourhoods: 3\n"
    )
    return str(path)


@pytest.fixture(scope="module")
def compare_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The status quo against the responsibility shifted without support."""
    root = tmp_path_factory.mktemp("harms")
    a = _scenario(root, "a_base", "baseline")
    b = _scenario(root, "b_shift", "dark_responsibility_shift")
    out = root / "out"
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        args = ["compare", a, b, "--replicates", "2", "--years", "1", "--workers", "1", "-q"]
        assert main([*args, "--out", str(out)]) == 0
    return out, printed.getvalue()


def test_compare_prints_a_harm_block_beside_the_gains(compare_dir: tuple[Path, str]) -> None:
    out, printed = compare_dir
    head, harms = printed.split("\nharms: ")
    assert head.startswith("headline outcomes: mean over replicates")
    assert "mean_participation" in head and "q1_unmet_need_share" not in head
    lines = harms.splitlines()
    assert lines[0].startswith("mean over replicates; higher is worse, except q1_final_wellbeing")
    assert lines[1].split() == ["harm", *HARM_PANEL]
    for name in HARM_PANEL:
        assert OUTCOMES[name].unit in lines[2], name
    summary = pd.read_csv(out / "summary.csv")
    runs = pd.read_csv(out / "runs.csv")
    found = harm_findings(summary, runs, ["a_base", "b_shift"])
    rows = {line.split()[0]: line for line in lines[4:6]}
    for scenario in ("a_base", "b_shift"):
        cells = re.findall(r"-?\d+\.\d{3}(?: !)?", rows[scenario])
        assert len(cells) == len(HARM_PANEL), rows[scenario]
        mine = found[found.scenario == scenario].set_index("outcome")
        for name, cell in zip(HARM_PANEL, cells, strict=True):
            assert float(cell.rstrip(" !")) == pytest.approx(mine.loc[name, "mean"], abs=6e-4)
            assert cell.endswith("!") == bool(mine.loc[name, "clear"]), (scenario, name)
    # withdrawn services without support: a clear harm the reading must name
    shift = found[found.scenario == "b_shift"].set_index("outcome")
    assert shift.loc["services_withdrawn_share", "clear"]
    assert "results in" in lines[-1] and "summary.csv" in lines[-1]


def test_report_tables_and_reading_carry_the_harm_panel(compare_dir: tuple[Path, str]) -> None:
    out, _ = compare_dir
    assert main(["report", str(out), "-q"]) == 0
    text = (out / "report" / "report.html").read_text(encoding="utf-8")
    tables = dict(re.findall(r"<h3>(.*?)</h3>(<table.*?</table>)", text, re.S))
    (caption,) = [c for c in tables if c.startswith("Harm panel by scenario")]
    harm_table_html = tables[caption]
    rows = re.findall(r"<td>([a-z0-9_]+) \((.*?)\)</td>\s*<td>(higher|lower)</td>", harm_table_html)
    assert [(name, html.unescape(unit), worse) for name, unit, worse in rows] == [
        (name, OUTCOMES[name].unit, "higher" if HARM_HIGHER_IS_WORSE[name] else "lower")
        for name in HARM_PANEL
    ]
    (headline,) = [c for c in tables if c.startswith("Outcomes by scenario")]
    assert "q1_unmet_need_share" not in tables[headline]
    assert any(c.startswith("Harm panel, paired difference") for c in tables)
    summary = pd.read_csv(out / "summary.csv")
    runs = pd.read_csv(out / "runs.csv")
    found = harm_findings(summary, runs, ["a_base", "b_shift"])
    block = re.search(r'<div class="reading">(.*?)</div>', text, re.S).group(1)
    paragraphs = [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", block, re.S)]
    (shift,) = [p for p in paragraphs if p.startswith("Compared with a_base, b_shift")]
    clear = found[(found.scenario == "b_shift") & found.clear]
    assert not clear.empty
    for name in clear.outcome:
        assert figures.label(name) in _harm_part(shift.replace("a_base", "ref")), name
    top = clear.iloc[0]
    level = (
        f"{fmt(top['mean'] * 100, 2)}%" if OUTCOMES[top.outcome].unit.startswith("share") else None
    )
    assert f"{figures.label(top.outcome)} {level or ''}" in shift


def test_harm_table_marks_exactly_the_clear_harms() -> None:
    summary, runs = _summary({"alt": {"q1_unmet_need_share": (0.3, 0.25, 0.35)}})
    table = harm_table(summary, runs, ["ref", "alt"])
    assert list(table.columns.get_level_values(0)) == list(HARM_PANEL)
    assert list(table.columns.get_level_values(1)) == [OUTCOMES[h].unit for h in HARM_PANEL]
    marked = {
        (s, h)
        for s in table.index
        for h, _ in table.columns
        if table.loc[s, (h, OUTCOMES[h].unit)].endswith("!")
    }
    assert marked == {("alt", "q1_unmet_need_share")}
    assert table.loc["alt", ("q1_unmet_need_share", "share of need")] == "0.300 !"
    assert table.loc["ref", ("q1_final_wellbeing", "score, 0-1")] == "0.500"
