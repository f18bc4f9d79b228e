"""Survey observation models: the model's state read the way surveys ask.

A survey does not see a citizen's trust on a 0-1 scale or their expected hours a week; it
asks a question and counts answers. Each function here turns state into one such answer,
and the reporters (:mod:`sim.model.reporters`) and the calibration
(:mod:`sim.runs.calibration`) both read the state through them, so the two cannot differ.

* **Trust on a 0-10 scale** (OECD Trust Survey: "On a scale of 0 to 10, how much do you
  trust the local government?"). A citizen with trust t answers round(10 t), halves up
  (:func:`trust_answer`), and answers of 6 to 10 count as "high or moderately high"
  (:data:`HIGH_TRUST_ANSWER`; OECD 2024, *Drivers of Trust in Public Institutions*), so
  trust of 0.55 or more is high.
* **Civic participation in the last 12 months** (Community Life Survey: "took part in civic
  participation at least once in the last 12 months"). The survey's civic participation is
  engaging in democratic processes: contacting a local official or councillor, signing a
  petition, attending a public meeting or rally; volunteering is asked about apart, and a
  volunteer who never did any of these does not count. The model's act of that kind is
  speaking up: a participant raising something with the council, answered or not
  (:mod:`sim.phases.trust`, ``voice_rate``). A citizen counts when they spoke up in one of
  the last 52 weeks, this week included (the later of ``Citizens.heard`` and
  ``Citizens.ignored`` >= step - 51; :func:`within`). Only those taking part speak up, so
  it is at most the share who took part in the year (``Citizens.last_part``), and the
  petitions and letters of adults who take no part in co-creation are missing from it.
* **Formal volunteering at least once a month and at least once a year** (Community Life
  Survey). The model gives a volunteer expected hours a week; a survey counts occasions. A
  week with H hours holds at least one occasion with chance 1 - exp(-H / session_hours)
  (:func:`occasion_chance`: occasions of ``session_hours`` arriving at random), drawn each
  week (``Citizens.last_occasion``, stream ``S_OCCASION``, in the workload phase). Over a
  window the draws give exactly the window model the calibration uses (at least one
  occasion in a window of H hours with chance 1 - exp(-H / session_hours)). "Monthly" is
  an occasion in the last four weeks (:data:`MONTH_WEEKS`), "yearly" in the last 52.

Before a run has lasted a year the 12-month figures see less than a year; read them after
the burn-in.

Sources: OECD Trust Survey 2024; DCMS Community Life Survey 2018/19 (civic participation
34%, formal volunteering 22% monthly and 36% yearly) and 2021/22 (civic participation 34%).
"""

from __future__ import annotations

import math

import numpy as np

from sim.core.jit import rule
from sim.core.params import WEEKS_PER_YEAR

TRUST_SCALE = 10
"""Answers run from 0 to 10 (OECD Trust Survey)."""

HIGH_TRUST_ANSWER = 6
"""Answers of 6 or more are "high or moderately high" trust (OECD Trust Survey 2024)."""

YEAR_WEEKS = WEEKS_PER_YEAR
""""In the last 12 months": this week and the 51 before it."""

MONTH_WEEKS = 4
""""At least once a month": an occasion in this week or the three before it."""


@rule
def trust_answer(trust: float) -> int:
    """The answer, 0 to 10, of a citizen with trust ``trust`` in [0, 1]: round(10 t), halves up."""
    answer = math.floor(TRUST_SCALE * trust + 0.5)
    if answer < 0:
        return 0
    return answer if answer < TRUST_SCALE else TRUST_SCALE


@rule
def trusts_highly(trust: float) -> bool:
    """Whether a citizen with trust ``trust`` answers 6-10 ("high or moderately high")."""
    return trust_answer(trust) >= HIGH_TRUST_ANSWER


@rule
def in_window(last: int, step: int, weeks: int) -> bool:
    """Whether a last step (-1 never) falls in the ``weeks`` weeks up to ``step``."""
    return last >= 0 and last > step - weeks


@rule
def occasion_chance(hours: float, session_hours: float) -> float:
    """Chance that a week with ``hours`` volunteer hours holds at least one occasion.

    Occasions of ``session_hours`` arriving at random: 1 - exp(-hours / session_hours), 0
    for no hours.
    """
    if hours <= 0.0:
        return 0.0
    return 1.0 - math.exp(-hours / session_hours)


def trust_answers(trust: np.ndarray) -> np.ndarray:
    """:func:`trust_answer` element by element (int64)."""
    return np.clip(np.floor(TRUST_SCALE * np.asarray(trust) + 0.5), 0, TRUST_SCALE).astype(np.int64)


def high_trust(trust: np.ndarray) -> np.ndarray:
    """Whether each citizen answers 6-10 ("high or moderately high" trust).

    :func:`trusts_highly` element by element.
    """
    return trust_answers(trust) >= HIGH_TRUST_ANSWER


def occasions(hours: np.ndarray, session_hours: float) -> np.ndarray:
    """Chance of at least one occasion given the hours in a window, element by element."""
    return 1.0 - np.exp(-np.asarray(hours) / session_hours)


def within(last: np.ndarray, step: int, weeks: int) -> np.ndarray:
    """Whether each last step (-1 never) falls in the ``weeks`` weeks up to ``step``.

    :func:`in_window` element by element.
    """
    last = np.asarray(last)
    return (last >= 0) & (last > step - weeks)


def share(flags: np.ndarray) -> float:
    """Share of true entries (0 for none)."""
    return float(np.mean(flags)) if len(flags) else 0.0


def spoke_up(heard: np.ndarray, ignored: np.ndarray) -> np.ndarray:
    """The last step each citizen spoke up, answered or not (-1 never)."""
    return np.maximum(heard, ignored)


def civic_participation_12m(heard: np.ndarray, ignored: np.ndarray, step: int) -> float:
    """Share of adults who spoke up to the council at least once in the last 12 months."""
    return share(within(spoke_up(heard, ignored), step, YEAR_WEEKS))


def formal_volunteering(last_occasion: np.ndarray, step: int, weeks: int) -> float:
    """Share of adults with a volunteering occasion in the last ``weeks`` weeks."""
    return share(within(last_occasion, step, weeks))


def high_trust_share(trust: np.ndarray) -> float:
    """Share of adults answering 6-10 on the 0-10 trust scale."""
    return share(high_trust(trust))


def high_trust_gap_heard(trust: np.ndarray, heard: np.ndarray, step: int) -> float:
    """High-trust share of adults heard and answered in the last 52 weeks minus the rest's.

    0 when either group is empty.
    """
    was_heard = within(heard, step, YEAR_WEEKS)
    high = high_trust(trust)
    if was_heard.all() or not was_heard.any():
        return 0.0
    return float(high[was_heard].mean() - high[~was_heard].mean())
