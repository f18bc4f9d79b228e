"""The single source of every model parameter: default, unit, range, role and source.

The scenario schema (:mod:`sim.core.scenario`), the model (:mod:`sim.model`), the kernels
and the documentation tables all read this module. Nothing else defines a default.

Parameters live in three sections, following the EMA Workbench convention of keeping
exogenous *uncertainties* apart from policy *levers*:

* ``municipality`` – the size and layout of the place being simulated (context);
* ``uncertainties`` – behavioural and contextual quantities a user varies but a council
  does not control;
* ``levers`` – what a strategy sets.

Mechanism switches (:data:`MECHANISMS`) and the two-sided deal (:data:`PROMISE_KINDS`)
are declared here too.

Sources are cited in short form; full references are in ``docs/references.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

WEEKS_PER_YEAR = 52
"""One model step is one week; a year is 52 steps."""

HOURS_PER_WEEK = 37.5
"""Contracted hours of a full-time professional: one FTE."""

MIDPOINT = 0.5
"""The middle of a [0, 1] scale (resources, trust, mattering), where a gradient is zero."""

QUINTILES = 5
"""Citizens are grouped into resource quintiles (0 the lowest) for the breakdowns."""

ENGINES: tuple[str, ...] = ("numba", "reference")
"""The step engines: compiled kernels (the default) and their plain-Python twins."""

DEFAULT_ENGINE = "numba"
"""The engine used when none is named."""

DEFAULT_SEED = 0
"""The seed every runner uses when none is given (``cocreate run``, ``compare``...)."""

Section = Literal["municipality", "uncertainties", "levers"]
SECTIONS: tuple[Section, ...] = ("municipality", "uncertainties", "levers")


@dataclass(frozen=True)
class Param:
    """One model parameter.

    Attributes:
        name: key used in scenario files and in the model.
        section: ``municipality``, ``uncertainties`` or ``levers``.
        default: the documented default.
        unit: physical unit or ``"-"`` for dimensionless.
        low: smallest allowed value (inclusive).
        high: largest allowed value (inclusive).
        doc: one-line meaning.
        source: where the default or functional role comes from.
        kind: ``"float"``, ``"int"`` or ``"bool"``.
        plausible: ``(low, high)``, the range a sweep, an EMA experiment or a SALib
            problem spans by default: inside the allowed range and around the default,
            where the evidence (the source) or a stated judgement puts the value. The
            allowed range (``low``, ``high``) is only what the model can run.
        plausible_basis: where the plausible range comes from when the source does not
            state it ("judgement: ..."); empty when the source gives it.
    """

    name: str
    section: Section
    default: float | int | bool
    unit: str
    low: float
    high: float
    doc: str
    source: str
    kind: Literal["float", "int", "bool"] = "float"
    plausible: tuple[float, float] | None = None
    plausible_basis: str = ""

    @property
    def plausible_range(self) -> tuple[float, float]:
        """The plausible range, or the allowed range where none is given."""
        return self.plausible if self.plausible is not None else (self.low, self.high)

    @property
    def full_source(self) -> str:
        """The source, with where the plausible range comes from when it does not say."""
        if not self.plausible_basis:
            return self.source
        return f"{self.source}; plausible range, {self.plausible_basis}"


def _p(*args, **kwargs) -> Param:
    return Param(*args, **kwargs)


# fmt: off
PARAMS: tuple[Param, ...] = (
    # ------------------------------------------------------------------ municipality
    _p("citizens", "municipality", 20_000, "persons", 50, 2_000_000,
       "adult citizens simulated", "preset; ONS mid-year estimates for scale", "int",
       plausible=(2_000, 400_000),
       plausible_basis="judgement: a rural municipality (municipality_rural) to a Wigan-sized "
       "borough"),
    _p("neighbourhoods", "municipality", 8, "wards", 1, 200,
       "number of neighbourhoods (wards)", "preset; Wigan has 25 wards", "int",
       plausible=(4, 30),
       plausible_basis="judgement: a small town's few areas to Wigan's 25 wards"),
    _p("professionals_per_1000", "municipality", 12.0, "FTE per 1000 citizens", 0.5, 100.0,
       "frontline public employees per 1000 citizens",
       "order of magnitude of English council frontline staffing",
       plausible=(6.0, 20.0),
       plausible_basis="judgement: half to nearly twice the default's order of magnitude"),
    _p("citizens_per_arena", "municipality", 200.0, "persons", 20.0, 20_000.0,
       "citizens per co-creation arena at start", "assumption; seed 002 cases",
       plausible=(100.0, 400.0),
       plausible_basis="judgement: half to twice the default"),
    _p("civic_infrastructure_ratio", "municipality", 1.5, "-", 1.0, 5.0,
       "groups per head at the start in the least deprived ward over the most deprived "
       "(the arenas open at the start follow it, the fund's slots do not; 1: per head "
       "everywhere)",
       "Mohan 2011, TSRC WP 62, and Clifford 2012, Environment and Planning A 44(5): fewer "
       "neighbourhood-level voluntary organisations per head in more deprived areas (Mohan "
       "& Lindsey, CGAP 2011: 30% of England's people live where charities per head are "
       "under half the national ratio); calibrated to the Community Life Survey 2016/17's "
       "area gradient, civic participation 48% in the least and 34% in the most deprived "
       "fifth of areas: the small town's least and most deprived quarters of wards differ "
       "by 13-15 points at 1.5 (seeds 0-2, 20,000 adults; 12 at 1.4, 16 at 1.6, 3 at 1, "
       "22-24 at 2); no Norwegian figure, the English one stands in",
       plausible=(1.0, 3.0),
       plausible_basis="judgement: per head everywhere to a charity-density ratio of "
       "about three"),
    _p("fund_arena_share", "municipality", 1.0, "-", 0.0, 3.0,
       "arena slots the community fund can open, as a share of those open at the start",
       "assumption; Wigan CIF funded ~560 organisations in a borough of ~330k",
       plausible=(0.5, 2.0),
       plausible_basis="judgement: half to twice the arenas open at the start"),
    _p("anchor_share", "municipality", 0.3, "-", 0.0, 1.0,
       "share of arenas hosted by anchor institutions (schools, kindergartens)",
       "seed 002, Preston and Asker cases",
       plausible=(0.1, 0.5),
       plausible_basis="judgement: the Preston and Asker cases' range of anchor-hosted arenas"),
    _p("arena_demand_hours", "municipality", 50.0, "h/week", 1.0, 500.0,
       "volunteer hours an arena needs each week", "calibrated: experiments/calibrate.py",
       plausible=(30.0, 80.0),
       plausible_basis="judgement: the calibrated value give or take about half"),
    _p("hours_per_member", "municipality", 0.72, "h/week", 0.1, 20.0,
       "weekly hours an arena plans on from each member; it asks for more hands while its "
       "members times this fall short of its need",
       "calibrated: experiments/calibrate.py (a two-hour session every other week)",
       plausible=(0.4, 1.2),
       plausible_basis="judgement: a session every three weeks to one a week"),
    _p("budget_per_citizen", "municipality", 1_100.0, "GBP/year", 100.0, 20_000.0,
       "council revenue per adult citizen",
       "English metropolitan borough net revenue expenditure, order of magnitude",
       plausible=(800.0, 1600.0),
       plausible_basis="judgement: the spread of English councils' net revenue per adult"),
    _p("service_cost_per_hour", "municipality", 45.0, "GBP/h", 5.0, 500.0,
       "cost of one hour of frontline service", "PSSRU unit costs, order of magnitude",
       plausible=(30.0, 70.0),
       plausible_basis="judgement: PSSRU unit costs of frontline hours"),
    _p("initial_volunteer_share", "municipality", 0.285, "-", 0.0, 0.9,
       "share of citizens in a volunteer role at the start",
       "calibrated: experiments/calibrate.py (the status quo's own share, so that a run "
       "starts at rest)",
       plausible=(0.2, 0.45),
       plausible_basis="judgement: the status quo's own share in a role at rest, 0.33 in "
       "England and 0.43 in Norway, give or take"),
    _p("service_hours_per_need", "municipality", 0.75, "h/week", 0.0, 20.0,
       "frontline hours a week a citizen of need 1 asks for",
       "assumption, balances baseline staffing",
       plausible=(0.5, 1.0),
       plausible_basis="judgement: a third less to a third more than the default"),
    _p("acute_cost_factor", "municipality", 1.5, "-", 1.0, 10.0,
       "cost of an unmet service hour (acute, bought-in care) relative to a frontline hour",
       "Wigan Deal: prevention saves costly services (Naylor & Wellings 2019)",
       plausible=(1.2, 3.0),
       plausible_basis="judgement: bought-in care costs a little to several times more"),
    _p("arena_setup_cost", "municipality", 5_000.0, "GBP", 0.0, 1_000_000.0,
       "community fund needed to open (or reopen) an arena",
       "Wigan CIF: ~GBP10m over 560 organisations (~GBP18k each)",
       plausible=(2000.0, 15_000.0),
       plausible_basis="judgement: Wigan CIF grants, GBP2k to GBP18k"),
    _p("arena_grant", "municipality", 2_600.0, "GBP/year", 0.0, 1_000_000.0,
       "yearly grant that keeps an arena the community fund opened going",
       "Wigan CIF: ~GBP18k per organisation over five years, less the set-up cost",
       plausible=(1000.0, 5000.0),
       plausible_basis="judgement: the Wigan CIF's yearly sums"),
    _p("support_cost", "municipality", 3.0, "GBP/volunteer/week", 0.0, 200.0,
       "cost of full volunteer support per active volunteer, given as professionals' time "
       "(support_cost / service_cost_per_hour hours a volunteer a week): it takes service "
       "hours, not money on top (Wigan reported only its fund as the Deal's cost)",
       "Gaskin 2011 (VIVA): involving volunteers returns GBP 2-8 of their time's value for "
       "each pound spent on them (managers' salaries, recruitment, training, expenses); the "
       "model's volunteers give 0.58-0.73 hours a week (status quo and Wigan Deal), worth GBP "
       "7-11 at GBP 12-15 an hour (ASHE median pay, order of magnitude), so GBP 1-5 a week "
       "in all, part of it staff time the model counts as facilitation: plausible 1-5, the "
       "default an assumption inside it",
       plausible=(1.0, 5.0)),
    _p("coordination_share", "municipality", 0.5, "h/h", 0.0, 4.0,
       "coordination hours per facilitation hour across fully separate silos, out of "
       "professionals' contracted hours; silo bridging saves it in proportion",
       "Steen, Brandsen & Verschuere 2018 (co-creation raises transaction costs) give the "
       "direction, no figure: an uncertainty (was the constant COORDINATION_SHARE)",
       plausible=(0.1, 1.0),
       plausible_basis="judgement: a few minutes to an hour of coordinating across services "
       "for each hour spent facilitating citizens"),
    # ------------------------------------------------------------------ uncertainties
    _p("initial_trust", "uncertainties", 0.61, "-", 0.05, 0.95,
       "mean initial trust in the municipality (where the status quo keeps it)",
       "calibrated: experiments/calibrate.py (the status quo at rest)",
       plausible=(0.45, 0.7),
       plausible_basis="judgement: around the calibrated status quo"),
    _p("trust_disposition", "uncertainties", 0.37, "-", 0.05, 0.95,
       "mean lasting disposition to trust the municipality, where trust returns without "
       "news (rising with resources and spread like initial trust)",
       "calibrated: experiments/calibrate.py (OECD Trust Survey 2024: UK 34% answer 6-10 "
       "on 0-10 about local government)",
       plausible=(0.3, 0.55),
       plausible_basis="judgement: around the calibrated value (OECD: 30-45% high trust in local "
       "government across countries)"),
    _p("trust_spread", "uncertainties", 0.2, "-", 0.0, 0.4,
       "standard deviation of the disposition to trust (and of initial trust)",
       "OECD Trust Survey 2024: answers on the 0-10 scale span the whole scale in every "
       "country; an uncertainty, plausible 0.1-0.3 (judgement: experience narrows trust "
       "around the disposition, so the disposition varies more than trust)",
       plausible=(0.1, 0.3)),
    _p("trust_ses_gradient", "uncertainties", 0.2, "-", 0.0, 1.0,
       "how much more the better-off trust at the start (difference q5-q1 scale)",
       "OECD Trust Survey 2023: trust rises with income and education",
       plausible=(0.1, 0.4),
       plausible_basis="judgement: OECD gradients by income of 5-15 points"),
    _p("trust_prior_weight", "uncertainties", 20.0, "events", 2.0, 200.0,
       "evidence behind initial trust in the beta reputation",
       "Josang & Ismail 2002, Beta Reputation System",
       plausible=(10.0, 40.0),
       plausible_basis="judgement: half to twice the default"),
    _p("trust_disposition_weight", "uncertainties", 20.0, "events", 0.0, 200.0,
       "weight of a citizen's lasting disposition to trust, in events of evidence that never "
       "fade: trust is (good + w d) / (good + bad + w) for disposition d",
       "Mayer, Davis & Schoorman 1995 (propensity to trust); Uslaner 2002 and Sonderskov & "
       "Dinesen 2016 (trust is stable within persons and rises with resources); an "
       "uncertainty, plausible 5-60 (judgement: about the evidence a citizen holds at rest, "
       "~18 events, so disposition and experience weigh about the same)",
       plausible=(5.0, 60.0)),
    _p("trust_gain", "uncertainties", 0.4288, "events", 0.0, 5.0,
       "evidence added by one good experience (w+)",
       "Josang & Ismail 2002; calibrated: experiments/calibrate.py",
       plausible=(0.25, 0.7),
       plausible_basis="judgement: around the calibrated value"),
    _p("trust_loss", "uncertainties", 1.5, "events", 0.0, 10.0,
       "evidence added by one bad experience (w-); w- > w+ is Slovic's asymmetry",
       "Slovic 1993, Risk Analysis 13(6)",
       plausible=(1.0, 3.0),
       plausible_basis="judgement: Slovic's asymmetry, bad news weighing two to seven times good"),
    _p("trust_forgetting", "uncertainties", 0.995, "1/week", 0.9, 1.0,
       "weekly decay factor of trust evidence (lambda)", "Josang & Ismail 2002",
       plausible=(0.99, 0.998),
       plausible_basis="judgement: evidence half-lives of 1.3 to 6.7 years"),
    _p("confirmation_bias", "uncertainties", 0.5, "-", 0.0, 1.0,
       "how strongly prior trust colours new evidence",
       "Poortinga & Pidgeon 2004, Risk Analysis 24(6)",
       plausible=(0.2, 0.8),
       plausible_basis="judgement: the middle of the scale"),
    _p("word_of_mouth", "uncertainties", 0.1, "1/week", 0.0, 1.0,
       "weekly chance of comparing trust with one tie",
       "Deffuant et al. 2000, Adv. Complex Systems 3",
       plausible=(0.05, 0.25),
       plausible_basis="judgement: a conversation about the council every one to five months"),
    _p("wom_confidence", "uncertainties", 0.3, "-", 0.0, 1.0,
       "bounded-confidence radius for word of mouth", "Deffuant et al. 2000",
       plausible=(0.15, 0.5),
       plausible_basis="judgement: Deffuant et al.'s radii that neither freeze nor merge opinions"),
    _p("wom_evidence", "uncertainties", 1.0, "events", 0.0, 10.0,
       "evidence a citizen takes from a tie's view when within the radius: the tie's trust "
       "as good evidence, the rest as bad; it fades like the citizen's own",
       "Josang & Ismail 2002 (reputation from others combines additively with one's own); "
       "Deffuant et al. 2000 (bounded confidence); an uncertainty, plausible 0.25-2 "
       "(judgement: a conversation weighs less than a personal experience)",
       plausible=(0.25, 2.0)),
    _p("voice_rate", "uncertainties", 0.1, "1/week", 0.0, 1.0,
       "weekly chance a participant raises something with the council",
       "Wigan Deal: tell us if we get it wrong",
       plausible=(0.05, 0.2),
       plausible_basis="judgement: half to twice the default"),
    _p("voice_recency", "uncertainties", 26.0, "weeks", 0.0, 104.0,
       "weeks after a voice was answered (or ignored) during which the same outcome again "
       "adds no evidence (0: every outcome is news)",
       "Lind 2001 and Van den Bos, Lind & Wilke 2001 (fairness heuristic theory: a fairness "
       "judgement forms from the first information and is then used as a heuristic); no "
       "figure: an uncertainty, plausible 13-52 (judgement: a season to a year)",
       plausible=(13.0, 52.0)),
    _p("promise_evidence", "uncertainties", 1.0, "experiences/year", 0.0, 8.0,
       "evidence one council promise of weight 1 adds to every citizen in a year of checks, "
       "good while kept, bad while broken, spread over the year's reviews (leader_period)",
       "assumption: a public promise is seen by everyone but weighs less than a personal "
       "experience (before issue 12, 0.25 at each quarterly review); an uncertainty, "
       "plausible 0.25-2 (judgement: not every resident follows the council's promises)",
       plausible=(0.25, 2.0)),
    _p("promise_kept_credit", "uncertainties", 0.5, "-", 0.0, 1.0,
       "share of a kept promise's evidence citizens credit, against a broken promise's in "
       "full: good news about the council's performance counts for less than bad",
       "James & Moseley 2014 (field experiments with English councils: information about "
       "low performance lowered satisfaction, about high performance did not raise it) and "
       "James 2011 (it raised it mostly among the incumbent's supporters); Slovic 1993; "
       "plausible 0-1, from James & Moseley's no credit to full credit (the model before "
       "this parameter); the default the middle, an uncertainty",
       plausible=(0.0, 1.0)),
    _p("heard_evidence", "uncertainties", 2.0, "experiences", 0.0, 10.0,
       "good evidence from speaking up and being told what came of it, in good experiences",
       "Lind & Tyler 1988 and Tyler 2006 (voice and procedural justice); Halvorsen 2003, "
       "PAR 63(5) (well-run participation raises perceived responsiveness); an uncertainty, "
       "plausible 1-4 (judgement: 'strong' evidence, more than one good service contact)",
       plausible=(1.0, 4.0)),
    _p("ignored_evidence", "uncertainties", 0.25, "experiences", 0.0, 5.0,
       "bad evidence from speaking up and hearing nothing back, in bad experiences",
       "Arnstein 1969 (tokenism); Fung 2015, PAR 75(4); an uncertainty, plausible 0.1-1 "
       "(judgement: a disappointment, not a failed service contact; the model's earlier "
       "fixed 0.25)",
       plausible=(0.1, 1.0)),
    _p("ses_spread", "uncertainties", 0.18, "-", 0.02, 0.4,
       "standard deviation of socioeconomic resources", "assumption",
       plausible=(0.12, 0.25),
       plausible_basis="judgement: around the default"),
    _p("segregation", "uncertainties", 0.8, "-", 0.0, 1.0,
       "how strongly ward deprivation shapes residents' resources",
       "an uncertainty, plausible 0.5-1: at 0.8 ward mean resources run from 0.3 to 0.7, so "
       "with the bottom 15% of resources counted income-deprived the least deprived ward "
       "has about 1% and the most deprived about 45% (at 0.5: 3% to 34%); English Indices "
       "of Deprivation 2019: most districts hold small areas from the most to the least "
       "deprived deciles; Community Life Survey 2016/17: civic participation 48% in the "
       "least and 34% in the most deprived fifth of areas",
       plausible=(0.5, 1.0)),
    _p("network_degree", "uncertainties", 8.0, "ties", 0.0, 50.0,
       "mean number of social ties", "Dunbar sympathy group order of magnitude",
       plausible=(4.0, 15.0),
       plausible_basis="judgement: Dunbar's support clique (5) to sympathy group (15)"),
    _p("tie_locality", "uncertainties", 0.8, "-", 0.0, 1.0,
       "share of ties within the own neighbourhood", "assumption",
       plausible=(0.6, 0.9),
       plausible_basis="judgement: most ties local, as in Wigan-type boroughs"),
    _p("homophily", "uncertainties", 0.7, "-", 0.0, 1.0,
       "share of local ties formed with people of similar resources",
       "McPherson, Smith-Lovin & Cook 2001",
       plausible=(0.5, 0.85),
       plausible_basis="judgement: McPherson et al. 2001 find strong but not total homophily"),
    _p("free_time_mean", "uncertainties", 4.0, "h/week", 0.5, 40.0,
       "mean hours a week a citizen could give", "UK Time Use Survey, order of magnitude",
       plausible=(2.5, 6.0),
       plausible_basis="judgement: UK Time Use Survey, spare hours a week for civic life"),
    _p("time_ses_gradient", "uncertainties", 0.6, "-", 0.0, 2.0,
       "extra free time of the better-off (time poverty of the deprived)",
       "Mohan & Bulloch 2012",
       plausible=(0.3, 1.0),
       plausible_basis="judgement: around the default"),
    _p("threshold_mean", "uncertainties", 0.25, "-", 0.0, 1.0,
       "mean Granovetter threshold: share of ties taking part before one joins",
       "Granovetter 1978, AJS 83(6)",
       plausible=(0.15, 0.4),
       plausible_basis="judgement: Granovetter's thresholds, mostly below half"),
    _p("threshold_spread", "uncertainties", 0.15, "-", 0.0, 0.5,
       "standard deviation of thresholds", "Granovetter 1978",
       plausible=(0.08, 0.25),
       plausible_basis="judgement: around the default"),
    _p("participation_base", "uncertainties", -7.0, "logit", -10.0, 4.0,
       "baseline log-odds of taking part in a week (taking part is occasional)",
       "an uncertainty, plausible -8 to -5: taking part is occasional (the former -3 "
       "compounded to 96% of adults a year); set when the share of adults who took part in "
       "the last 12 months, volunteers included, was read as the Community Life Survey's "
       "civic participation (34% in 2018/19 and 2021/22, 41% in 2019/20: the status quo "
       "gave 46%); read as the survey asks it, speaking up, the status quo gives 40%",
       plausible=(-8.0, -5.0)),
    _p("participation_resources", "uncertainties", 1.6, "logit", 0.0, 6.0,
       "log-odds gain per unit of socioeconomic resources",
       "Verba, Schlozman & Brady 1995 resource model",
       plausible=(1.0, 2.5),
       plausible_basis="judgement: Verba et al.'s resource gradient, give or take half"),
    _p("participation_trust", "uncertainties", 2.5, "logit", 0.0, 8.0,
       "log-odds gain per unit of trust above one half", "seed 001: co-creation needs trust",
       plausible=(1.5, 4.0),
       plausible_basis="judgement: around the default"),
    _p("trust_gate", "uncertainties", 0.35, "-", 0.0, 1.0,
       "trust below which citizens turn invitations to take part or volunteer down",
       "seed 001 and seed 002: co-creation needs trust; Epstein 2002 threshold; no survey "
       "figure: an assumption, set at 0.35 in issue 3 so that a deal launched at 0.25 "
       "stalled (pattern 6); the pattern is now read on collaboration in lastingly high- "
       "and low-trust places (docs/odd.md, 1.2)",
       plausible=(0.25, 0.45),
       plausible_basis="judgement: answers of 3 to 4 on the 0-10 trust scale, below its "
       "midpoint and far below high trust (6-10)"),
    _p("participation_social", "uncertainties", 1.2, "logit", 0.0, 6.0,
       "log-odds gain once the threshold of participating ties is passed",
       "Granovetter 1978",
       plausible=(0.6, 2.0),
       plausible_basis="judgement: half to nearly twice the default"),
    _p("participation_asked", "uncertainties", 1.0, "logit", 0.0, 6.0,
       "log-odds gain from being asked by outreach this week", "Verba et al. 1995",
       plausible=(0.5, 1.8),
       plausible_basis="judgement: being asked roughly doubles to sextuples the odds"),
    _p("participation_fatigue", "uncertainties", 2.0, "logit", 0.0, 8.0,
       "log-odds loss per unit of cynicism (participation fatigue)",
       "seed 002: co-creation fatigue",
       plausible=(1.0, 3.0),
       plausible_basis="judgement: half to one and a half times the default"),
    _p("tie_ask_rate", "uncertainties", 0.159, "1/week", 0.0, 1.0,
       "weekly chance that one volunteering tie asks a citizen to join",
       "NCVO Time Well Spent 2019: most are asked by someone they know; calibrated: "
       "experiments/calibrate.py",
       plausible=(0.08, 0.3),
       plausible_basis="judgement: around the calibrated value"),
    _p("anchor_reach", "uncertainties", 0.01, "1/week", 0.0, 1.0,
       "weekly chance an anchor institution asks a resident (at full anchor use)",
       "seed 002, Preston case",
       plausible=(0.005, 0.03),
       plausible_basis="judgement: half to three times the default"),
    _p("outreach_reach", "uncertainties", 0.01, "1/week", 0.0, 1.0,
       "weekly chance council outreach asks a citizen (at full outreach)", "assumption",
       plausible=(0.005, 0.03),
       plausible_basis="judgement: half to three times the default"),
    _p("exit_exhaustion", "uncertainties", 1.0, "-", 0.0, 10.0,
       "relative rise in a volunteer's weekly chance of stopping at full exhaustion (1: a "
       "fully exhausted volunteer stops twice as often), before any burnout",
       "Maslach, Schaufeli & Leiter 2001 (exhaustion goes with intentions to quit and "
       "quitting); Allen & Mueller 2013 (for volunteers); NCVO Time Well Spent 2019 "
       "(pressured volunteers say they will stop); none gives the size",
       plausible=(0.0, 3.0),
       plausible_basis="judgement: from no effect before burnout (0) to a fully exhausted "
       "volunteer stopping four times as often (3)"),
    _p("deal_call_asks", "uncertainties", 1.0, "asks per citizen", 0.0, 10.0,
       "personal asks to take on a volunteering role that a deal's call makes of each "
       "citizen over its campaign, at an invitation of one (a deal expecting an hour a "
       "week or more of every citizen)",
       "assumption: the Deal taken door to door, every resident asked once (Wigan Council, "
       "\"The Deal in Action\": weeks of action in one neighbourhood after another, with "
       "pledge cards to volunteer; Leigh Observer 2015)",
       plausible=(0.5, 2.0),
       plausible_basis="judgement: every other resident asked to every resident asked twice; "
       "no survey gives how many residents a local campaign asks in person"),
    _p("deal_call_half_life", "uncertainties", 13.0, "weeks", 1.0, 1000.0,
       "weeks in which a deal's call loses half its weekly reach: a campaign asks most at "
       "its launch",
       "assumption: campaigns recruit at their launch and attention fades (Downs 1972, the "
       "issue-attention cycle); the NHS Volunteer Responders call drew 750,000 applications "
       "within two days of its launch in March 2020 (NHS England 2020); Wigan's Deal in "
       "Action spent a week in each neighbourhood in turn (Leigh Observer 2015)",
       plausible=(4.0, 52.0),
       plausible_basis="judgement: a month-long burst to a year-long campaign; half the "
       "asks in the launch quarter by default"),
    _p("acceptance_base", "uncertainties", -0.6865, "logit", -8.0, 4.0,
       "baseline log-odds of saying yes when asked", "calibrated: experiments/calibrate.py",
       plausible=(-1.5, 0.0),
       plausible_basis="judgement: around the calibrated value (a yes to one ask in two to five)"),
    _p("volunteer_exit_base", "uncertainties", 0.001, "1/week", 0.0, 0.2,
       "weekly chance a contented volunteer stops",
       "CNCS Volunteering in America 2006-09: ~1/3 stop within a year; calibrated: "
       "experiments/calibrate.py; refitted with role_recovery_rate (0.00109 -> 0.001), "
       "which raised exhaustion and cynicism and so exit",
       plausible=(0.0005, 0.005),
       plausible_basis="judgement: 2.5-23% of contented volunteers stopping a year"),
    _p("load_concentration", "uncertainties", 0.65, "-", 0.0, 4.0,
       "exponent of commitment in workload allocation (0 spreads evenly)",
       "Mohan & Bulloch 2012 civic core; calibrated: experiments/calibrate.py",
       plausible=(0.3, 1.2),
       plausible_basis="judgement: around the calibrated value"),
    _p("episodic_share", "uncertainties", 0.0, "-", 0.0, 1.0,
       "share of citizens who volunteer in occasional stints rather than every week",
       "Cnaan & Handy 2005; Community Life Survey 2018/19: (36% - 22%) / 36% of "
       "volunteers give less often than monthly",
       plausible=(0.0, 0.4),
       plausible_basis="judgement: the default (none) up to the Community Life Survey's ~40% of "
       "volunteers"),
    _p("episodic_activity", "uncertainties", 0.08, "1/week", 0.01, 1.0,
       "weekly chance an episodic volunteer is in a stint",
       "Macduff 2005: episodic stints are short and a few a year",
       plausible=(0.04, 0.2),
       plausible_basis="judgement: two to ten stint weeks a year"),
    _p("session_hours", "uncertainties", 2.0, "h", 1.0, 3.0,
       "length of one volunteering occasion: a week with H hours holds at least one "
       "occasion with chance 1 - exp(-H / session_hours) (sim.core.survey)",
       "an uncertainty, plausible 1-3 h: surveys count occasions, the model expected hours; "
       "a two-hour session is a typical formal-volunteering slot (docs/calibration.md shows "
       "the figures at 1 and 3 hours)",
       plausible=(1.0, 3.0)),
    _p("commitment_growth", "uncertainties", 0.05, "1/week", 0.0, 1.0,
       "how fast commitment follows hours given", "assumption (preferential attachment)",
       plausible=(0.02, 0.1),
       plausible_basis="judgement: commitment follows hours over 10 weeks to a year"),
    _p("work_limit", "uncertainties", 1.5, "-", 1.0, 4.0,
       "most hours given relative to free time", "Homer 1985, System Dynamics Review 1(1)",
       plausible=(1.2, 2.0),
       plausible_basis="judgement: around Homer's overwork limit"),
    _p("burnout_sensitivity", "uncertainties", 0.03, "1/week", 0.0, 1.0,
       "exhaustion built in a week at a load equal to free time with no resources, as a "
       "share of the headroom left (demand strain 1)",
       "Leiter & Maslach 1988; Demerouti et al. 2001 (the form); the rate an uncertainty, "
       "plausible 0.01-0.1: exhaustion builds over months, not weeks; kept when the burnout "
       "uncertainties were set jointly against Chirico et al. 2021 and the annual exit "
       "(role_recovery_rate): above about 0.035 the overload empties faster, at 0.08 "
       "within a year (docs/calibration.md)",
       plausible=(0.01, 0.1)),
    _p("burnout_susceptibility_spread", "uncertainties", 0.0, "-", 0.0, 2.0,
       "spread (lognormal sigma) of how easily citizens tire in a role: each citizen's "
       "burnout_sensitivity is multiplied by a draw of mean one (sim.core.world."
       "susceptibility_multiplier)",
       "Swider & Zimmerman 2010 (the Big Five's multiple true-score correlation with "
       "emotional exhaustion, .57, so personality explains about a third of its variance); "
       "Alarcon, Eschleman & Bowling 2009",
       plausible=(0.0, 1.25),
       plausible_basis="judgement: none (the calibration's), to the spread at which the "
       "susceptibility explains about a third of volunteers' exhaustion at rest (about 1.2, "
       "docs/odd.md 7.6)"),
    _p("recovery_rate", "uncertainties", 0.05, "1/week", 0.0, 1.0,
       "share of exhaustion lost per week of rest out of a role (recovering, idle or gone)",
       "Leiter & Maslach 1988; an uncertainty, plausible 0.02-0.2 (recovery over a few "
       "months)",
       plausible=(0.02, 0.2)),
    _p("role_recovery_rate", "uncertainties", 0.006, "1/week", 0.0, 1.0,
       "share of exhaustion a volunteer still in a role loses per week at no load; scaled "
       "by the slack left below free time",
       "an uncertainty, plausible 0.005-0.05: recovery while still in the role is partial, "
       "slower than rest away from it (recovery_rate; Leiter & Maslach 1988); set jointly "
       "with burnout_sensitivity, demand_convexity and resource_buffer against Chirico et "
       "al. 2021 (volunteers' high exhaustion and depersonalisation, an upper reference) "
       "and the annual exit (volunteer_exit_base refitted): 0.02 gave 0.2% of volunteers "
       "highly exhausted at rest, 0.006 gives 2% (docs/calibration.md)",
       plausible=(0.005, 0.05)),
    _p("cynicism_rate", "uncertainties", 0.05, "1/week", 0.0, 1.0,
       "speed at which cynicism moves towards its target (exhaustion and its own drivers)",
       "Leiter & Maslach 1988; an uncertainty, plausible 0.02-0.2",
       plausible=(0.02, 0.2)),
    _p("burnout_threshold", "uncertainties", 0.8, "-", 0.1, 1.0,
       "exhaustion at which a volunteer burns out and leaves the role to recover",
       "Maslach Burnout Inventory cut-offs: well above the 'high' exhaustion cut-off (0.5); "
       "an uncertainty, plausible 0.6-0.95",
       plausible=(0.6, 0.95)),
    _p("demand_convexity", "uncertainties", 1.5, "-", 1.0, 4.0,
       "power of the demand ratio (load over free time) in exhaustion's build-up: above one, "
       "overload strains more than in proportion",
       "an uncertainty, plausible 1-3: JD-R (Demerouti et al. 2001) gives the direction, "
       "not the curvature; 1.5 makes a load of 60% of free time strain about half as much "
       "as a full one; at 2 or more the overload scenario collapses within a year; kept when "
       "the burnout uncertainties were set jointly against Chirico et al. 2021 and the "
       "annual exit (role_recovery_rate; lower values raise cynicism more than exhaustion)",
       plausible=(1.0, 3.0)),
    _p("resource_buffer", "uncertainties", 0.5, "-", 0.0, 1.0,
       "share of demand strain that full job resources (support, recognition, control) "
       "take away",
       "an uncertainty, plausible 0.2-0.8: Bakker, Demerouti & Euwema 2005 find resources "
       "buffer but do not cancel demands; kept when the burnout uncertainties were set "
       "jointly against Chirico et al. 2021 and the annual exit (role_recovery_rate)",
       plausible=(0.2, 0.8)),
    _p("voice_memory", "uncertainties", 13.0, "weeks", 1.0, 52.0,
       "weeks an unanswered voice keeps feeding cynicism",
       "an uncertainty, plausible 4-52: a quarter, the leaders' review period",
       plausible=(4.0, 52.0)),
    _p("voice_cynicism", "uncertainties", 0.3, "-", 0.0, 1.0,
       "pull of an unanswered voice on cynicism's target",
       "an uncertainty, plausible 0.1-0.5: Maslach & Leiter 2008 (community, fairness) give "
       "the direction",
       plausible=(0.1, 0.5)),
    _p("recognition_cynicism", "uncertainties", 0.2, "-", 0.0, 1.0,
       "pull of missing recognition on cynicism's target",
       "an uncertainty, plausible 0.05-0.4: Maslach & Leiter 2008 (reward) give the "
       "direction",
       plausible=(0.05, 0.4)),
    _p("conflict_cynicism", "uncertainties", 0.3, "-", 0.0, 1.0,
       "pull of role conflict (the share of the load not chosen) on cynicism's target",
       "an uncertainty, plausible 0.1-0.5: Maslach & Leiter 2008 (control) give the "
       "direction",
       plausible=(0.1, 0.5)),
    _p("promise_cynicism", "uncertainties", 0.1, "-", 0.0, 1.0,
       "share of the distance to full cynicism a broken promise of weight one closes in a "
       "volunteer",
       "an uncertainty, plausible 0.02-0.3: Maslach & Leiter 2008 (values, fairness) give "
       "the direction",
       plausible=(0.02, 0.3)),
    _p("return_chance", "uncertainties", 0.5, "-", 0.0, 1.0,
       "chance a recovered volunteer comes back rather than leaving for good",
       "seed 002, Wigan case",
       plausible=(0.3, 0.7),
       plausible_basis="judgement: around the default"),
    _p("service_contact_rate", "uncertainties", 0.1, "1/week", 0.0, 1.0,
       "weekly chance a citizen of average need uses a service", "assumption",
       plausible=(0.05, 0.2),
       plausible_basis="judgement: a contact every five to twenty weeks"),
    _p("complex_need_share", "uncertainties", 0.2, "-", 0.0, 1.0,
       "share of service contacts at average need whose need spans more than one service "
       "(in proportion to need, at most all)",
       "seed 002: complex, cross-disciplinary needs and Stange 'Hjelpa''s interdisciplinary "
       "teams; no figure found: an uncertainty, plausible 0.1-0.4",
       plausible=(0.1, 0.4)),
    _p("silo_failure", "uncertainties", 0.5, "-", 0.0, 1.0,
       "share of contacts with a need spanning services that are passed between services "
       "unresolved when sectors work fully in silos (bridging the silos resolves them)",
       "seed 002 ('silotenkning'); no figure found: an uncertainty, plausible 0.25-0.75",
       plausible=(0.25, 0.75)),
    _p("distributional_elasticity", "uncertainties", 1.3, "-", 0.0, 3.0,
       "elasticity of the distributional weights public value is counted with: value that "
       "reaches citizens of resources r counts (mean r / r)^this, by resource quintile, with "
       "weights of population mean 1 (0 counts value whoever it reaches)",
       "HM Treasury Green Book 2022, Annex A3.12-A3.14 (1.3, after Layard, Mayraz & Nickell "
       "2008); Acland & Greenberg 2023 (1.6, bounds 1.2-2.0); an uncertainty, plausible "
       "0-2 (judgement: resources read as relative income; 0 is the unweighted count the "
       "Green Book asks to show beside the weighted one; no Norwegian figure, the Norwegian "
       "presets keep 1.3)",
       plausible=(0.0, 2.0)),
    _p("need_ses_gradient", "uncertainties", 0.6, "-", 0.0, 2.0,
       "extra need for services among the least resourced", "Marmot Review 2010",
       plausible=(0.3, 1.0),
       plausible_basis="judgement: Marmot's gradients of need by deprivation"),
    _p("prevention_effect", "uncertainties", 0.1, "-", 0.0, 0.5,
       "largest relative fall in need that local public value can bring (prevention is "
       "bounded: need approaches this fall as value grows far above the reference)",
       "Naylor & Wellings 2019 report prevention without an elasticity; an uncertainty, "
       "plausible 0-0.25 (judgement: Wigan's healthy life expectancy rose by a few percent)",
       plausible=(0.0, 0.25)),
    _p("benefit_homophily", "uncertainties", 0.5, "-", 0.0, 1.0,
       "share of an arena's preventive value that reaches residents like its members "
       "(their resource quintiles), the rest reaching its ward at large: groups work on "
       "their members' priorities, so captured arenas serve the better-off",
       "Mansuri & Rao 2013, ch. 5 (benefits of participatory projects follow those who "
       "take part and set the agenda; Rao & Ibanez 2005, Platteau & Gaspart 2003); Fung "
       "2015; no estimate of the share",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: from a pure public good of the ward (0) to a club good "
       "of people like the members (1); 0.5, half of each, is the midpoint"),
    _p("value_reference", "uncertainties", 0.12, "value/citizen/week", 0.001, 10.0,
       "arena value per citizen at which need sits at its structural level",
       "set to the baseline's value so that the status quo is steady",
       plausible=(0.06, 0.24),
       plausible_basis="judgement: half to twice the baseline's value"),
    _p("unmet_deterioration", "uncertainties", 0.3, "-", 0.0, 1.0,
       "relative rise in a citizen's need while all of it goes unmet: need left unmet "
       "comes back later as more need (failure demand)",
       "Seddon 2008, failure demand; an uncertainty, plausible 0.1-0.5 (judgement)",
       plausible=(0.1, 0.5)),
    _p("private_cover", "uncertainties", 0.5, "-", 0.0, 1.0,
       "share of a service shortfall the best-resourced replace privately (buying care, "
       "family and friends); the least resourced replace none, so unmet need falls on them",
       "Tudor Hart 1971, inverse care law; Marmot Review 2010; an uncertainty, plausible "
       "0.2-0.8 (judgement)",
       plausible=(0.2, 0.8)),
    _p("coproducible_health", "uncertainties", 0.15, "-", 0.0, 1.0,
       "share of health need citizens can co-produce (self-care, peer support); clinical "
       "work cannot be handed over",
       "Parks et al. 1981; Brandsen & Honingh 2016; an uncertainty, plausible 0.05-0.3",
       plausible=(0.05, 0.3)),
    _p("coproducible_care", "uncertainties", 0.3, "-", 0.0, 1.0,
       "share of social-care need citizens can co-produce (befriending, meals, transport); "
       "personal care and safeguarding stay professional",
       "Parks et al. 1981; Brandsen & Honingh 2016; an uncertainty, plausible 0.1-0.5",
       plausible=(0.1, 0.5)),
    _p("coproducible_schools", "uncertainties", 0.2, "-", 0.0, 1.0,
       "share of schools' and children's-services need citizens can co-produce (homework "
       "clubs, mentoring)",
       "Parks et al. 1981; Jakobsen 2013; an uncertainty, plausible 0.1-0.4",
       plausible=(0.1, 0.4)),
    _p("coproducible_culture", "uncertainties", 0.6, "-", 0.0, 1.0,
       "share of culture and leisure need citizens can co-produce (community-run "
       "libraries, clubs)",
       "Parks et al. 1981; an uncertainty, plausible 0.4-0.9",
       plausible=(0.4, 0.9)),
    _p("service_substitution", "uncertainties", -0.5, "-", -3.0, 0.99,
       "CES exponent rho between professional and citizen input in the co-producible part "
       "of services (below 0 complements: volunteers add to professional work, they do not "
       "replace it; 1 perfect substitutes)",
       "Parks et al. 1981; Jakobsen & Andersen 2013, PAR 73(5); an uncertainty, plausible "
       "-1.5 to 0.5",
       plausible=(-1.5, 0.5)),
    _p("harm_memory", "uncertainties", 0.99, "1/week", 0.9, 0.999,
       "weekly share of a citizen's lasting harm (burnout, leaving for good, a closed group, "
       "unmet need) still felt a week later: about a 1.3-year half-life at 0.99",
       "Wahrendorf, von dem Knesebeck & Siegrist 2006; an uncertainty, plausible 0.98-0.997",
       plausible=(0.98, 0.997)),
    _p("need_drift", "uncertainties", 0.01, "1/week", 0.0, 0.5,
       "weekly pull of need back to its structural level", "assumption",
       plausible=(0.005, 0.03),
       plausible_basis="judgement: need returns to its level over half a year to four years"),
    _p("cocreation_substitution", "uncertainties", 0.5, "-", -3.0, 0.99,
       "CES exponent rho of the co-production function (1 = perfect substitutes)",
       "Parks et al. 1981; Jakobsen & Andersen 2013, PAR 73(5)",
       plausible=(-1.0, 0.8),
       plausible_basis="judgement: Parks et al.'s complements to near substitutes"),
    _p("oversupply_return", "uncertainties", 0.05, "-", 0.0, 1.0,
       "worth of a volunteer hour an arena receives beyond its need, relative to one within "
       "it (overwork adds little value)",
       "Ringelmann effect, Kravitz & Martin 1986, JPSP 50(5): more hands on the same task add "
       "less each; an uncertainty, plausible 0-0.2 (judgement: 'little')",
       plausible=(0.0, 0.2)),
    _p("arena_productivity", "uncertainties", 1.0, "value/h", 0.0, 10.0,
       "public value per hour of co-produced input", "assumption",
       plausible=(0.5, 2.0),
       plausible_basis="judgement: half to twice the default"),
    _p("mattering_rate", "uncertainties", 0.05, "1/week", 0.0, 1.0,
       "speed of mattering updates", "Prilleltensky 2020 mattering; seed 000",
       plausible=(0.02, 0.1),
       plausible_basis="judgement: mattering follows experience over 10 weeks to a year"),
    _p("wellbeing_rate", "uncertainties", 0.03, "1/week", 0.0, 1.0,
       "speed of wellbeing updates", "assumption",
       plausible=(0.01, 0.06),
       plausible_basis="judgement: wellbeing follows its drivers over 4 months to 2 years"),
    _p("strain_rate", "uncertainties", 0.05, "1/week", 0.0, 1.0,
       "speed of professional strain build-up", "Rudolph & Repenning 2002, ASQ 47",
       plausible=(0.02, 0.1),
       plausible_basis="judgement: strain builds over 10 weeks to a year"),
    _p("strain_productivity", "uncertainties", 0.5, "-", 0.0, 1.0,
       "productivity lost between the tipping strain and full strain (self-escalation)",
       "Rudolph & Repenning 2002, ASQ 47, give the shape (stress past a threshold cuts "
       "performance), not the scale; an uncertainty, plausible 0.2-0.8",
       plausible=(0.2, 0.8)),
    _p("strain_onset", "uncertainties", 0.85, "-", 0.5, 1.0,
       "share of effective hours asked for above which professionals' strain builds",
       "Bagust, Place & Posnett 1999, BMJ 319: risks rise once hospital beds are more than "
       "85% full, as queueing theory predicts; transferred to staff time, an uncertainty, "
       "plausible 0.7-0.95",
       plausible=(0.7, 0.95)),
    _p("strain_span", "uncertainties", 0.5, "-", 0.1, 2.0,
       "load above the onset, as a share of effective hours, at which strain settles at 1",
       "an uncertainty, plausible 0.25-1.0: a week asked of 35% beyond effective hours "
       "(about 50 hours for a 37.5-hour post) held for months is full strain (judgement)",
       plausible=(0.25, 1.0)),
    _p("strain_effort", "uncertainties", 0.1, "-", 0.0, 0.5,
       "effective hours professionals add per unit of strain, below the tipping strain",
       "Rudolph & Repenning 2002: below the threshold more pressure brings more effort; "
       "an uncertainty, plausible 0-0.3 (0.1 is about 2 unpaid hours a week at the "
       "tipping strain; TUC analyses of the Labour Force Survey put public-sector unpaid "
       "overtime at several hours a week for those who do it)",
       plausible=(0.0, 0.3)),
    _p("strain_tipping", "uncertainties", 0.6, "-", 0.2, 0.9,
       "strain past which productivity falls, so that overload feeds itself",
       "Rudolph & Repenning 2002, ASQ 47, the tipping point of accumulated pressure (no "
       "scale given); an uncertainty, plausible 0.4-0.8",
       plausible=(0.4, 0.8)),
    _p("mandate_persistence", "uncertainties", 0.5, "-", 0.0, 1.0,
       "share of the co-creation work political leaders pull back that a fully mandated "
       "professional keeps doing on top of the rest (less with less mandate)",
       "Lipsky 1980: street-level discretion makes policy at the frontline; Tummers, "
       "Bekkers, Vink & Musheno 2015, JPART 25(4): under pressure frontline workers most "
       "often move towards clients (working overtime, bending rules for them); seed 002, "
       "Stange Hjelpa: empowered staff decide the help with citizens, and the low threshold "
       "brings citizens in. They give the direction, not the share; an uncertainty, "
       "plausible 0.2-0.9 (judgement: some of the work goes with the pull-back, much stays "
       "with the citizens who come)",
       plausible=(0.2, 0.9)),
    _p("target_crowding_out", "uncertainties", 0.5, "-", 0.0, 1.0,
       "share of the facilitation hours asked of professionals that full NPM targets crowd "
       "out (unmeasured work gives way to measured outputs)",
       "Bevan & Hood 2006, Public Administration 84(3): what's measured is what matters; "
       "Lipsky 1980; an uncertainty, plausible 0.2-0.8",
       plausible=(0.2, 0.8)),
    _p("target_efficiency", "uncertainties", 0.1, "-", 0.0, 0.5,
       "extra need met per core service hour under full NPM targets (unit-cost efficiency)",
       "Hood 1991, Public Administration 69(1): NPM's promise of doing more with less; Hood "
       "& Dixon 2015 find little sign of lower UK running costs; an uncertainty, plausible "
       "0-0.2",
       plausible=(0.0, 0.2)),
    _p("target_creaming", "uncertainties", 1.0, "-", 0.0, 3.0,
       "exponent of need in how a ward's unmet need is shared among citizens under full "
       "NPM targets: easy cases are served first (creaming), 0 is uniform",
       "Lipsky 1980 (creaming); Koning & Heinrich 2013, JPAM 32(3): cream-skimming and "
       "parking of hard cases under performance-based contracts; an uncertainty, plausible "
       "0-2 (1: a citizen's share of the ward's shortfall rises in proportion to need)",
       plausible=(0.0, 2.0)),
    _p("budget_pressure", "uncertainties", 0.0, "1/year", 0.0, 0.3,
       "share of the council's budget cut each year by central government (half of it falls "
       "on the lines the model keeps: sim/phases/accounting.py, CUTS_TO_FRONTLINE)",
       "Wigan: ~40% cut 2011-19 (Naylor & Wellings 2019)",
       plausible=(0.0, 0.06),
       plausible_basis="judgement: no cuts to Wigan's ~40% over 2011-19 (about 6% a year)"),
    _p("implicit_demand_share", "uncertainties", 0.05, "-", 0.0, 1.0,
       "share of the citizens' unmet part of a deal that falls on volunteers as extra load",
       "Steen, Brandsen & Verschuere 2018, implicit demands",
       plausible=(0.0, 0.2),
       plausible_basis="judgement: none to a fifth of the citizens' unmet part"),
    _p("champion_hours", "uncertainties", 8.0, "h/week", 1.0, 60.0,
       "weekly hours from which a volunteer counts as a champion (ildsjel)", "seed 002",
       plausible=(5.0, 12.0),
       plausible_basis="judgement: around the default"),
    # ------------------------------------------------------------------ levers
    _p("logic_bureaucracy", "levers", 0.6, "weight", 0.0, 1.0,
       "weight of the classical bureaucratic logic (rules)", "seed 001, three governance logics",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; a council can set any weight"),
    _p("logic_npm", "levers", 0.4, "weight", 0.0, 1.0,
       "weight of the New Public Management logic (targets)", "seed 001",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; a council can set any weight"),
    _p("logic_cocreation", "levers", 0.0, "weight", 0.0, 1.0,
       "weight of the co-creation (New Public Governance) logic", "seed 001",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; a council can set any weight"),
    _p("arena_places", "levers", 10000.0, "volunteers", 1.0, 10000.0,
       "most volunteers an arena takes on (its design: a small panel or an open group); "
       "a full arena recruits no more",
       "Smaldino & Lubell 2011: capacity limits on arenas as an institutional rule",
       plausible=(10.0, 10_000.0),
       plausible_basis="judgement: a small panel to an open group"),
    _p("community_fund", "levers", 0.0, "GBP/citizen/year", 0.0, 200.0,
       "community investment fund", "Wigan Community Investment Fund: ~GBP10m 2013-18",
       plausible=(0.0, 30.0),
       plausible_basis="judgement: none to several times Wigan's CIF (~GBP10m over five "
       "years for ~330k adults, about GBP6 a citizen a year)"),
    _p("fund_targeting", "levers", 0.0, "-", 0.0, 1.0,
       "0 an open call (claimed most by the better-resourced wards), 0.5 about per capita, "
       "1 proportionate to deprivation (proportionate universalism)",
       "Local Trust & OCSI 2019 (open calls); Marmot Review 2010",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("outreach", "levers", 0.0, "-", 0.0, 1.0,
       "intensity of council outreach", "seed 002, Wigan pitfall: uneven engagement",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("outreach_targeting", "levers", 0.0, "-", 0.0, 1.0,
       "0 uniform, 1 aimed at the least resourced", "Marmot Review 2010",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("volunteer_support", "levers", 0.2, "-", 0.0, 1.0,
       "support for volunteers (coordination, training, respite)", "seed 002, Wigan pitfall",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("volunteer_expectation", "levers", 1.0, "-", 0.2, 4.0,
       "multiplier of hours expected of volunteers", "seed 002, Wigan: unrealistic expectations",
       plausible=(0.5, 2.0),
       plausible_basis="judgement: half to twice the hours volunteers plan to give"),
    _p("recognition", "levers", 0.3, "-", 0.0, 1.0,
       "how visibly contributions are recognised", "seed 000: mattering; Wahrendorf et al. 2006",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("frontline_mandate", "levers", 0.3, "-", 0.0, 1.0,
       "what frontline staff may decide themselves", "seed 002, Stange Hjelpa; Wigan",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("silo_bridging", "levers", 0.2, "-", 0.0, 1.0,
       "how well sectors work across silos", "seed 002 Table 2",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("evaluation_culture", "levers", 0.2, "-", 0.0, 1.0,
       "formative evaluation and learning (0 = zero-error culture)", "seed 002, Aarhus case",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("political_patience", "levers", 104.0, "weeks", 4.0, 1040.0,
       "how long leaders wait for returns before pulling back",
       "seed 002: work slowly to work fast",
       plausible=(26.0, 260.0),
       plausible_basis="judgement: half a year to an electoral term and more (five years)"),
    _p("responsiveness", "levers", 0.3, "-", 0.0, 1.0,
       "chance citizens who speak up are told what came of it",
       "Wigan: tell us if we get it wrong",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("anchor_institutions", "levers", 0.2, "-", 0.0, 1.0,
       "use of anchor institutions as platforms that reach everyone", "seed 002, Preston case",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("service_withdrawal", "levers", 0.0, "-", 0.0, 1.0,
       "service hours withdrawn per volunteer hour given (responsibility shift)",
       "Steen, Brandsen & Verschuere 2018; seed 004",
       plausible=(0.0, 0.5),
       plausible_basis="judgement: none to half an hour withdrawn per volunteer hour"),
    _p("asset_based_assessment", "levers", 0.0, "-", 0.0, 1.0,
       "share of social-care assessments held as a 'different conversation' that connects "
       "a citizen to the community support in their ward for the co-producible part of "
       "their care need, in place of paid service (bounded by coproducible_care and by the "
       "community's service hours)",
       "Wigan's Deal for Adult Social Care and Health (Wigan Council; Naylor & Wellings "
       "2019); Hall 2016, SCIE: all 4,500 frontline staff trained in strengths-based "
       "conversations",
       plausible=(0.0, 1.0),
       plausible_basis="judgement: a lever; the whole scale is a choice"),
    _p("assessment_embedding", "uncertainties", 104.0, "weeks", 0.0, 520.0,
       "time constant with which the share of assessments held as different conversations "
       "follows asset_based_assessment (63% of the way after it, 95% after three times "
       "it): staff are trained and the practice spreads",
       "Hall 2016, SCIE (Wigan trained all 4,500 frontline staff in strengths-based "
       "conversations); Wigan Council 2017 (adult social care from a projected GBP 6.9m "
       "overspend in 2011 to a balanced budget by 2017/18): most of the effect within about "
       "six years; no figure for the lag itself",
       plausible=(52.0, 156.0),
       plausible_basis="judgement: 95% embedded after three to nine years, around Wigan's "
       "six"),
    _p("leader_period", "levers", 13, "weeks", 1, 104,
       "how often leaders review and reallocate (slower clock)",
       "seed 002, leadership levels", "int",
       plausible=(4, 52),
       plausible_basis="judgement: monthly to yearly reviews"),
    _p("cocreation_staff_share", "levers", 0.25, "-", 0.0, 1.0,
       "largest share of staff hours for facilitation at full co-creation logic", "assumption",
       plausible=(0.1, 0.4),
       plausible_basis="judgement: around the default"),
)
# fmt: on

PARAM_BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}
if len(PARAM_BY_NAME) != len(PARAMS):  # pragma: no cover - guards the table itself
    raise RuntimeError("duplicate parameter name in PARAMS")


def checked_bounds(
    given: Sequence[str] | Mapping[str, tuple[float, float] | None], role: str
) -> dict[str, tuple[float, float]]:
    """``{name: (low, high)}`` for an experiment's parameters, each checked against the registry.

    ``given`` names the parameters, or maps them to bounds; a name without bounds spans its
    plausible range. The EMA and SALib factories (:mod:`sim.ema`, :mod:`sim.salib`) share
    this check.

    Raises:
        ValueError: a name that is not a numeric parameter, or bounds that are not
            increasing within its allowed range (one line, naming ``role`` and the name).
    """
    pairs = given.items() if isinstance(given, Mapping) else ((name, None) for name in given)
    bounds: dict[str, tuple[float, float]] = {}
    for name, span in pairs:
        p = PARAM_BY_NAME.get(name)
        if p is None or p.kind == "bool":
            raise ValueError(f"{role}: '{name}' is not a numeric parameter (cocreate params)")
        low, high = p.plausible_range if span is None else span
        if not p.low <= low < high <= p.high:
            raise ValueError(
                f"{role}.{name}: ({low:g}, {high:g}) is not allowed; allowed low < high "
                f"within {p.low:g} to {p.high:g} (plausible {p.plausible_range})"
            )
        bounds[name] = (float(low), float(high))
    return bounds


def params_in(section: Section) -> tuple[Param, ...]:
    """Return the parameters of one section, in table order."""
    return tuple(p for p in PARAMS if p.section == section)


def defaults() -> dict[str, dict[str, float | int | bool]]:
    """Return ``{section: {name: default}}`` for every parameter."""
    return {s: {p.name: p.default for p in params_in(s)} for s in SECTIONS}


@dataclass(frozen=True)
class Constraint:
    """A rule between parameter values that the model assumes, beyond each one's range.

    The scenario schema checks every constraint on the resolved scenario (after
    ``extends`` and overrides), so that no scenario it accepts breaks the model; a sweep
    checks them at the corners of its bounds.

    Attributes:
        keys: the parameters it relates, the one to change first.
        holds: whether it holds, given a flat ``{name: value}`` of the parameters.
        rule: the rule in words, as a message shows it after "allowed:".
        reason: why the model needs it, and where the code relies on it.
    """

    keys: tuple[str, ...]
    holds: Callable[[Mapping[str, float]], bool]
    rule: str
    reason: str

    def message(self, values: Mapping[str, float]) -> str:
        """What is wrong with ``values``, and what is allowed, on one line."""
        given = " with ".join(f"{key} {_number(values[key])}" for key in self.keys)
        return f"{given} is not allowed; allowed: {self.rule} ({self.reason})"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) and not value.is_integer() else f"{value:.0f}"


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        ("neighbourhoods", "citizens"),
        lambda v: v["neighbourhoods"] <= v["citizens"],
        "neighbourhoods up to citizens",
        "every neighbourhood has at least one citizen: sim/core/world.py::build_world",
    ),
    Constraint(
        ("network_degree", "citizens"),
        lambda v: v["network_degree"] <= v["citizens"] - 1,
        "network_degree up to citizens - 1",
        "a tie joins two different citizens, so no one can have more ties than there are "
        "others: sim/core/world.py::build_network",
    ),
)
"""The constraints between parameters (:class:`Constraint`), checked with their ranges."""


def broken_constraints(values: Mapping[str, float]) -> list[Constraint]:
    """The constraints that ``values`` (a flat ``{name: value}``) break."""
    return [c for c in CONSTRAINTS if not c.holds(values)]


@dataclass(frozen=True)
class Measure:
    """One thing the model reports: a reporter (each week) or an outcome (of a run).

    Attributes:
        name: column name in every output table.
        unit: what one unit of it is, as axes and tables show it.
        low: smallest value it can take (None: unbounded).
        high: largest value it can take (None: unbounded).
        doc: one-line meaning.
    """

    name: str
    unit: str
    low: float | None
    high: float | None
    doc: str


@dataclass(frozen=True)
class Mechanism:
    """A switchable part of the weekly step."""

    name: str
    doc: str
    source: str


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism(
        "participation",
        "citizens decide each week whether to take part",
        "Granovetter 1978; Verba, Schlozman & Brady 1995",
    ),
    Mechanism(
        "recruitment",
        "citizens are asked through ties, anchor institutions and outreach",
        "NCVO 2019; seed 002 Preston",
    ),
    Mechanism(
        "workload",
        "arena hours fall on volunteers, concentrating on the most committed",
        "Mohan & Bulloch 2012",
    ),
    Mechanism(
        "burnout",
        "exhaustion, cynicism, burnout and recovery of volunteers",
        "Leiter & Maslach 1988; Homer 1985",
    ),
    Mechanism(
        "trust",
        "disposition and beta-reputation experience, with asymmetry, voice and word of mouth",
        "Josang & Ismail 2002; Mayer et al. 1995; Slovic 1993; Lind & Tyler 1988; "
        "Deffuant et al. 2000",
    ),
    Mechanism(
        "cross_pressure",
        "professionals split hours between targets, rules, services and co-creation",
        "Rudolph & Repenning 2002; seed 001",
    ),
    Mechanism(
        "leadership",
        "leaders reallocate, learn and pull back on a slower clock",
        "seed 002, leadership levels and High-5",
    ),
    Mechanism(
        "public_value",
        "arenas and services produce value; wellbeing, mattering, prevention",
        "Jakobsen & Andersen 2013; seed 000",
    ),
    Mechanism(
        "accounting",
        "budget in, costs out, savings, budget-pressure cuts",
        "Naylor & Wellings 2019 (Wigan)",
    ),
)
MECHANISM_NAMES: tuple[str, ...] = tuple(m.name for m in MECHANISMS)

PROMISE_KINDS: dict[str, str] = {
    "keep_council_tax_low": "kept while reserves stay above minus level times a year's "
    "revenue (the council balances its books without raising tax)",
    "help_communities": "kept while at least the promised share of open groups thrive: "
    "half the hours they need from at least half the hands they plan for (groups that "
    "actually thrive, not the fund's size)",
    "listen_and_respond": "kept while at least the promised share of the voices raised "
    "since the last review got an answer (voices actually answered, not the lever)",
    "services_around_people": "kept while at least the promised share of service need is "
    "actually met, by professionals and what citizens co-produce",
}
"""The council's side of a deal (seed 001, slide 18, "Our part")."""

SECTORS: tuple[str, ...] = ("health", "care", "schools", "culture")
"""Professionals' sectors."""

ARENA_KINDS: tuple[str, ...] = ("community_group", "street_deal", "workshop", "help_service")
"""Arena kinds (MODEL.md, Entities)."""
