"""Write a large synthetic plan for the benchmarks, deterministic for a seed.

    python bench/make_large_plan.py OUT.plan --actions 5000 [--seed N] [--force]

Per 5,000 actions: 20 themes, 1,000 people, 300 partner bodies, 20,000 milestones,
15,000 person links (one "A" lead and two of R/C/I per action), 10,000 partner links
(two per action, at most one "lead"), 10,000 progress updates and about 100 re-baselinings;
then what the plan is for: 50 outcomes (each served by a few themes and actions), 1,000
measures (95% quarterly with 20 quarters, 5% annual with 5 years: 19,250 figures),
5,000 benefits with planned and realised values by year (about a third of realised values
validated), and budget lines with funding that adds up to the budget for half the actions.
Every count scales with --actions. Dates fall in the plan period 2011-04-01 to 2015-03-31
(status date 2013-12-31); measures reach back a year before it, to 2010/11, for a baseline.

The data is built in the plan-data format of resources/sample/northshire.json and
written by the product's own planner.io.sample.create_from_data (one executemany per
table); the content is the same for a seed, the random record uids are not.
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# Per-5,000-action counts, as the brief gives them.
PER_ACTION = {"milestones": 4, "people_links": 3, "partner_links": 2, "updates": 2}
PEOPLE_PER_ACTION = 1000 / 5000
PARTNERS_PER_ACTION = 300 / 5000
THEMES_PER_ACTION = 20 / 5000
REBASELINE_SHARE = 0.02
OUTCOMES_PER_ACTION = 50 / 5000
MEASURES_PER_ACTION = 1000 / 5000
BENEFITS_PER_ACTION = 5000 / 5000
ANNUAL_MEASURE_EVERY = 20  # every 20th measure is annual, the rest quarterly
ACTIONS_WITH_BENEFITS = 0.7  # the rest of the benefits go to actions that already have one
FUNDED_SHARE = 0.5  # actions with budget lines and funding
# of realised benefit values for years closed by the status date: about a third of all
# realised values, since the current year's are never validated
VALIDATED_SHARE = 0.75

PERIOD_START = date(2011, 4, 1)
PERIOD_END = date(2015, 3, 31)
STATUS_DATE = date(2013, 12, 31)
# Financial years (by the calendar year they start in): measures have a baseline year
# before the plan; the status date falls in Q3 2013/14.
FIRST_MEASURE_YEAR = 2010
FIRST_YEAR, LAST_YEAR = 2011, 2014
STATUS_YEAR, STATUS_QUARTER = 2013, 3


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Helen Martin David Ruth Claire Sarah Gareth Priya Tom Aisha James Fiona Mark Joanne "
    "Peter Hannah Rajesh Emma Colin Siobhan Andrew Karen Imran Lucy Graham Nadia Stuart "
    "Bethan Neil Zainab Paul Rebecca Owen Grace Simon Mary Kevin Leanne Ian Yasmin"
)
SURNAMES = _words(
    "Ashworth Greaves Pennington Calloway Dobson Whitfield Lloyd Sharma Hughes Khan Barker "
    "Mitchell Evans Patel Robson Clarke Nolan Walsh Thompson Begum Fletcher Armstrong Wood "
    "Hussain Jenkins Morgan Price Turner Holmes Ahmed Bradshaw Kaur Foster Doyle Whittaker "
    "Singh Henderson Rowe Chapman Ellis"
)
JOB_TITLES = (
    "Chief Executive",
    "Director of Finance",
    "Head of ICT",
    "ICT Programme Manager",
    "Information Governance Manager",
    "Enterprise Architect",
    "Head of Customer Services",
    "Business Change Manager",
    "Project Officer",
    "Procurement Lead",
    "Head of HR",
    "Policy Officer",
    "Senior Information Risk Owner",
    "Digital Inclusion Officer",
    "Service Manager",
)
PLACES = _words(
    "Northshire Eastvale Westmoor Southdale Kingsbridge Ashford Millbrook Thornton Hadley "
    "Carrow Bramley Fenwick Gorsey Harrow Ingleby Kelton Langdale Marston Netherby Oakham "
    "Penrose Quarry Redhill Stanton Tarrow Upton Varley Wexcombe Yarwood Zennor"
)
BODIES = (
    ("District Council", "local_government"),
    ("Borough Council", "local_government"),
    ("Town Council", "local_government"),
    ("Fire and Rescue Service", "emergency_services"),
    ("Police", "emergency_services"),
    ("Clinical Commissioning Group", "health"),
    ("Hospitals NHS Foundation Trust", "health"),
    ("Community Health Trust", "health"),
    ("College", "education"),
    ("Academy Trust", "education"),
    ("CVS", "civil_society"),
    ("Housing Association", "civil_society"),
    ("Jobcentre Plus", "central_government"),
    ("Chamber of Commerce", "private_sector"),
    ("Digital Ltd", "private_sector"),
)
THEME_TITLES = (
    "Leadership & Governance",
    "Organisational Change & Redesign",
    "Strategic Commissioning & Shared Services",
    "Local Public Services Infrastructure",
    "Information Governance & Transparency",
    "Digital Access & Inclusion",
    "Professionalism & Capability",
    "Customer Access & Channel Shift",
    "Health & Social Care Integration",
    "Community Safety Information",
    "Assets & Accommodation",
    "Procurement & Contracts",
    "Data & Insight",
    "Workforce & Smarter Working",
    "Resilience & Continuity",
    "Education & Skills",
    "Economic Growth & Broadband",
    "Housing & Neighbourhoods",
    "Transport & Place",
    "Performance & Assurance",
)
VERBS = (
    "Establish",
    "Agree",
    "Procure",
    "Implement",
    "Roll out",
    "Review",
    "Consolidate",
    "Pilot",
    "Publish",
    "Deliver",
    "Commission",
    "Migrate",
)
SUBJECTS = (
    "a shared data centre",
    "the Public Services Network connection",
    "superfast broadband",
    "an information-sharing protocol",
    "the joint ICT asset register",
    "library digital inclusion hubs",
    "public Wi-Fi in community buildings",
    "the customer contact platform",
    "an ICT skills framework",
    "open data publication",
    "the shared service business case",
    "G-Cloud purchasing",
    "a common business change method",
    "email and calendar migration",
    "the records management policy",
    "mobile working for frontline staff",
    "the partnership board terms of reference",
    "PSN Code of Connection compliance",
)
SCOPES = (
    "across all partners",
    "for rural areas",
    "in district councils",
    "with health partners",
    "for emergency services",
    "in partner buildings",
    "for schools and colleges",
    "county-wide",
)
DESCRIPTION_SENTENCES = (
    "The lead officer will report progress to the Partnership Board each quarter.",
    "Partners have agreed to share costs in proportion to population served.",
    "This supports the Planting the Flag ambition for shared local public services.",
    "A business case will be prepared before any procurement starts.",
    "Benefits will be tracked against the baseline agreed by chief officers.",
    "The work depends on PSN accreditation and the information-sharing protocol.",
    "Staff and trade unions will be consulted before changes to working practices.",
    "Funding has been secured from the transformation reserve for two years.",
    "Suppliers will be engaged through existing frameworks where possible.",
    "Equality impact assessment to be completed before roll-out.",
)
MILESTONE_TITLES = (
    "Project initiation document approved",
    "Business case agreed by partner chief executives",
    "Procurement route confirmed",
    "Supplier appointed",
    "Pilot site live",
    "Staff consultation complete",
    "Go-live across partner organisations",
    "Post-implementation review reported to the Board",
    "Data-sharing agreement signed",
    "Training delivered to frontline staff",
    "Benefits realisation report published",
    "Decommissioning of legacy system complete",
)
NOTES = (
    "Delayed pending legal advice on data sharing.",
    "Signed off by correspondence.",
    "Dependent on Openreach survey results.",
    "Agreed at Chief Executives' Group.",
    "Awaiting confirmation from the Fire Authority.",
    "Supplier resource constraints; mitigation agreed.",
)
COMMENTARY = (
    "Work is progressing to plan; next milestone on track.",
    "Procurement has slipped by four weeks following clarification questions.",
    "Partners have agreed the approach; resourcing is being confirmed.",
    "Broadband survey results received and being analysed.",
    "Risk escalated to the Partnership Board: funding for year two not yet confirmed.",
    "Pilot completed successfully; lessons learned captured for roll-out.",
    "Staff consultation closed with broadly positive feedback.",
    "Awaiting PSN accreditation before go-live can be scheduled.",
    "Action complete and closure reported to the Board.",
    "No progress this quarter because of competing priorities in partner ICT teams.",
)
APPROVERS = ("ICT Partnership Board", "Cabinet", "Chief Executives' Group")
OUTCOME_TITLES = (
    ("Residents", "transact online by default"),
    ("Residents", "get help first time, whichever channel they use"),
    ("Partners", "share one secure network and data centre"),
    ("Frontline staff", "have the information they need where they work"),
    ("Businesses", "can reach superfast broadband"),
    ("Partners", "share information safely and lawfully"),
    ("Digitally excluded residents", "get online with local support"),
    ("Public services", "cost less to run through shared ICT"),
    ("Communities", "see open data on how services perform"),
    ("Health and care partners", "plan services from a shared picture of need"),
)
OUTCOME_DESCRIPTIONS = (
    "Partners will know this is happening when the measures below move the right way and "
    "stay there.",
    "Agreed by the Partnership Board as one of the results the strategy exists to bring.",
    "Tracked quarterly by the lead officer and reported to chief executives each year.",
)
# (name, definition, unit, better, lowest baseline, highest baseline)
MEASURE_KINDS = (
    (
        "Share of transactions completed online",
        "Online as a percentage of all transactions for the services in scope.",
        "percent",
        "higher",
        10,
        40,
    ),
    (
        "Premises able to get superfast broadband",
        "Premises passed by 24 Mbps or faster, as a percentage of all premises.",
        "percent",
        "higher",
        40,
        75,
    ),
    (
        "Calls resolved at first contact",
        "Calls needing no call-back or transfer, as a percentage of calls answered.",
        "percent",
        "higher",
        55,
        80,
    ),
    (
        "Staff trained in information governance",
        "Staff who passed the annual e-learning, as a percentage of all staff.",
        "percent",
        "higher",
        30,
        70,
    ),
    (
        "Average days to process a new benefit claim",
        "Mean calendar days from claim to decision.",
        "days",
        "lower",
        18,
        35,
    ),
    (
        "Average days to resolve an ICT incident",
        "Mean working days from logging to resolution.",
        "days",
        "lower",
        3,
        10,
    ),
    (
        "Cost per transaction",
        "Total channel cost divided by transactions handled.",
        "gbp",
        "lower",
        3,
        9,
    ),
    (
        "Annual ICT running cost",
        "Revenue spend on ICT infrastructure and licences.",
        "gbp",
        "lower",
        800_000,
        4_000_000,
    ),
    (
        "Datasets published as open data",
        "Datasets on the open data portal at quarter end.",
        "number",
        "higher",
        5,
        60,
    ),
    (
        "Visits to library digital inclusion hubs",
        "Assisted digital sessions recorded by hub staff.",
        "number",
        "higher",
        200,
        3000,
    ),
    (
        "Data incidents reported",
        "Information security incidents logged across partners.",
        "number",
        "lower",
        10,
        60,
    ),
    (
        "Community buildings with public Wi-Fi",
        "Buildings where the public Wi-Fi service is live.",
        "number",
        "higher",
        5,
        40,
    ),
)
MEASURE_COMMENTARY = (
    "On track; the improvement follows the new online forms going live.",
    "Slightly behind the target because the supplier release slipped by a month.",
    "Seasonal dip expected at this time of year; trend still improving.",
    "Figure provisional until the partner's quarter-end reconciliation.",
    "Ahead of target after the channel shift campaign.",
    "Off target: staff vacancies in the contact centre; recovery plan agreed.",
    "Target met; partners asked for a stretch target next year.",
)
DATA_QUALITY = (
    "Provisional: partner figures to be confirmed.",
    "Taken from the system of record; checked by the performance team.",
    "Estimate for two partners who have not yet reported.",
)
BENEFIT_KINDS = ("cashable", "cashable", "non_cashable", "cost_avoidance", "income")
BENEFIT_TITLES = {
    "cashable": (
        "Lower licence costs",
        "Fewer leased buildings",
        "Saving on telephony contracts",
        "Reduced printing and postage",
    ),
    "non_cashable": (
        "Officer time released",
        "Fewer phone and face-to-face contacts",
        "Quicker decisions for residents",
    ),
    "cost_avoidance": (
        "Avoided hardware refresh",
        "Avoided data breach fines",
        "Avoided separate procurements",
    ),
    "income": (
        "Income from hosting partners' systems",
        "Room hire income from freed space",
    ),
}
BENEFIT_EVIDENCE = (
    "Contract values before and after, from the finance ledger.",
    "Contact centre volumes against the 2011/12 baseline at Socitm unit costs.",
    "Time-and-motion sample of frontline staff, scaled to the whole service.",
    "Supplier quotes for the refresh that was no longer needed.",
    "Invoices raised to partners, from the finance ledger.",
)
BUDGET_NOTES = (
    "Capital from the transformation reserve.",
    "Includes one-off implementation costs.",
    "Underspend to be carried forward.",
    "Supplier milestone payments.",
)


@dataclass
class Counts:
    themes: int = 0
    actions: int = 0
    milestones: int = 0
    people: int = 0
    partners: int = 0
    person_links: int = 0
    partner_links: int = 0
    updates: int = 0
    rebaselines: int = 0
    outcomes: int = 0
    outcome_links: int = 0
    measures: int = 0
    measure_values: int = 0
    benefits: int = 0
    benefit_values: int = 0
    budget_lines: int = 0
    funding: int = 0

    @property
    def rows(self) -> int:
        """Rows inserted into plan tables, including the plan and its 4 RAG definitions."""
        return 5 + sum(vars(self).values())

    def text(self) -> str:
        return ", ".join(f"{name.replace('_', ' ')} {n:,}" for name, n in vars(self).items())


def _day(d: date) -> str:
    return d.isoformat()


def _between(rng: random.Random, low: date, high: date) -> date:
    if high <= low:
        return low
    return low + timedelta(days=rng.randint(0, (high - low).days))


def _quarter_ends(low: date, high: date) -> list[date]:
    found = []
    for year in range(low.year, high.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            q = date(year, month, day)
            if low <= q <= high:
                found.append(q)
    return found


def scaled_counts(actions: int) -> dict[str, int]:
    """People, partner bodies, themes, outcomes, measures, benefits and funded actions for
    `actions` actions (proportional, with floors)."""
    return {
        "people": max(PER_ACTION["people_links"], round(actions * PEOPLE_PER_ACTION)),
        "partners": max(PER_ACTION["partner_links"], round(actions * PARTNERS_PER_ACTION)),
        "themes": max(1, round(actions * THEMES_PER_ACTION)),
        "outcomes": max(1, round(actions * OUTCOMES_PER_ACTION)),
        "measures": max(1, round(actions * MEASURES_PER_ACTION)),
        "benefits": max(1, round(actions * BENEFITS_PER_ACTION)),
        "funded_actions": max(1, round(actions * FUNDED_SHARE)),
    }


def build_data(actions: int, seed: int = 1) -> dict[str, Any]:
    """A plan in the plan-data format (see resources/sample/northshire.json)."""
    if actions < 1:
        raise ValueError("--actions must be at least 1")
    rng = random.Random(seed)
    sizes = scaled_counts(actions)

    partners = []
    names_seen: set[str] = set()
    for i in range(sizes["partners"]):
        place = PLACES[i % len(PLACES)]
        body, sector = BODIES[(i // len(PLACES)) % len(BODIES)]
        name = f"{place} {body}"
        if name in names_seen:
            name = f"{name} ({i // (len(PLACES) * len(BODIES)) + 1})"
        names_seen.add(name)
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = SURNAMES[(i * 7) % len(SURNAMES)]
        mailbox = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        partners.append(
            {
                "key": f"P{i}",
                "name": name,
                "short_name": f"{place[:4]}{i}",
                "sector": sector,
                "contacts": [
                    {
                        "name": f"{first} {last}",
                        "role": "Programme lead",
                        "email": f"{mailbox}@body{i}.example.gov.uk",
                        "round_contact": True,
                    }
                ],
            }
        )

    people = []
    for i in range(sizes["people"]):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        organisation = rng.choice(partners)["key"] if rng.random() < 0.85 else None
        people.append(
            {
                "key": f"u{i}",
                "name": f"{first} {last}",
                "job_title": rng.choice(JOB_TITLES),
                "organisation": organisation,
                "email": f"{first}.{last}{i}@example.gov.uk".lower(),
            }
        )

    themes: list[dict[str, Any]] = []
    n_themes = sizes["themes"]
    for t in range(n_themes):
        title = THEME_TITLES[t % len(THEME_TITLES)]
        if t >= len(THEME_TITLES):
            title = f"{title} {t // len(THEME_TITLES) + 1}"
        themes.append({"number": t + 1, "title": title, "actions": []})
    for t, theme in enumerate(themes):
        size = actions // n_themes + (1 if t < actions % n_themes else 0)
        for k in range(size):
            theme["actions"].append(_action(rng, f"{t + 1}.{k + 1}", people, partners))

    all_actions = [action for theme in themes for action in theme["actions"]]
    outcomes = _outcomes(rng, sizes, themes, all_actions, people, partners)
    _benefits(rng, sizes["benefits"], all_actions, people, partners)
    _money(rng, sizes["funded_actions"], all_actions, partners)

    return {
        "plan": {
            "title": f"Synthetic delivery plan ({actions:,} actions, seed {seed})",
            "organisation": "Northshire County Council",
            "period_start": _day(PERIOD_START),
            "period_end": _day(PERIOD_END),
            "status_date": _day(STATUS_DATE),
            "protective_marking": "OFFICIAL",
            "uid": f"{random.Random(seed + 1).getrandbits(128):032x}",
        },
        "partners": partners,
        "people": people,
        "themes": themes,
        "outcomes": outcomes,
    }


def _action(
    rng: random.Random, ref: str, people: list[dict[str, Any]], partners: list[dict[str, Any]]
) -> dict[str, Any]:
    start = _between(rng, PERIOD_START, date(2014, 9, 30))
    due = min(start + timedelta(days=rng.randint(60, 900)), PERIOD_END)
    if start > STATUS_DATE:
        status, rag, percent = "not_started", rng.choice((None, None, "G")), 0
    elif due < STATUS_DATE:
        roll = rng.random()
        if roll < 0.78:
            status, rag, percent = "completed", "B", 100
        elif roll < 0.86:
            status, rag, percent = "cancelled", None, rng.randint(0, 60)
        else:
            status, rag, percent = "in_progress", rng.choice("RRA"), rng.randint(40, 95)
    else:
        elapsed = (STATUS_DATE - start).days / max(1, (due - start).days)
        roll = rng.random()
        if roll < 0.85:
            status = "in_progress"
            rag = rng.choices(("G", "A", "R"), (55, 30, 15))[0]
            percent = max(0, min(99, round(elapsed * 100) + rng.randint(-20, 10)))
        elif roll < 0.95:
            status, rag, percent = "on_hold", rng.choice("AR"), rng.randint(0, 60)
        else:
            status, rag, percent = "not_started", rng.choice((None, "A")), 0

    baseline_due = due
    rebaselines = []
    if rng.random() < REBASELINE_SHARE:
        old_due = max(start, due - timedelta(days=rng.randint(30, 180)))
        decided = min(_between(rng, start, old_due), STATUS_DATE)
        rebaselines.append(
            {
                "target": "action",
                "old_due": _day(old_due),
                "new_due": _day(due),
                "reason": "Timescale extended after a partner asked for more time to consult.",
                "approved_by": rng.choice(APPROVERS),
                "decision_ref": f"Board minute {rng.randint(1, 200)}/{decided.year % 100}",
                "decided_on": _day(decided),
            }
        )
    elif rng.random() < 0.15:
        baseline_due = max(start, due - timedelta(days=rng.randint(14, 120)))

    chosen = rng.sample(people, PER_ACTION["people_links"])
    people_links = [{"person": chosen[0]["key"], "role": "A"}] + [
        {"person": p["key"], "role": rng.choice("RCI")} for p in chosen[1:]
    ]
    bodies = rng.sample(partners, PER_ACTION["partner_links"])
    partner_links = [
        {
            "partner": bodies[0]["key"],
            "role": "lead" if rng.random() < 0.7 else rng.choice(("delivery", "funder")),
        }
    ] + [
        {"partner": b["key"], "role": rng.choice(("delivery", "consulted", "funder"))}
        for b in bodies[1:]
    ]

    n_milestones = PER_ACTION["milestones"]
    span = max(0, (due - start).days)
    milestones = []
    for m in range(n_milestones):
        m_due = start + timedelta(days=span * (m + 1) // n_milestones)
        m_due = min(due, m_due + timedelta(days=rng.randint(-10, 0)))
        m_due = max(start, m_due)
        completed = None
        if (m_due <= STATUS_DATE and status != "not_started") and (
            status == "completed" or rng.random() < 0.75
        ):
            completed = min(STATUS_DATE, m_due + timedelta(days=rng.randint(-5, 30)))
        milestones.append(
            {
                "title": rng.choice(MILESTONE_TITLES),
                "due": _day(m_due),
                "baseline_due": _day(m_due),
                "completed": _day(completed) if completed else None,
                "owner": rng.choice(chosen)["key"] if rng.random() < 0.9 else None,
                "note": rng.choice(NOTES) if rng.random() < 0.3 else None,
            }
        )

    n_updates = PER_ACTION["updates"]
    quarters = _quarter_ends(start, min(due, STATUS_DATE)) or _quarter_ends(
        STATUS_DATE - timedelta(days=400), STATUS_DATE
    )
    as_ats = sorted(rng.sample(quarters, n_updates) if len(quarters) >= n_updates else quarters)
    while len(as_ats) < n_updates:
        as_ats.append(as_ats[-1])
    updates = []
    for u, as_at in enumerate(as_ats):
        last = u == n_updates - 1
        updates.append(
            {
                "as_at": _day(as_at),
                "status": status if last else ("in_progress" if percent else "not_started"),
                "rag": rag if last else (rng.choice("GA") if percent else None),
                "percent": percent if last else percent * (u + 1) // (n_updates + 1),
                "commentary": rng.choice(COMMENTARY),
                "author": rng.choice(chosen)["key"],
            }
        )

    sentences = rng.sample(DESCRIPTION_SENTENCES, rng.randint(1, 3))
    return {
        "ref": ref,
        "title": f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(SCOPES)}",
        "description": " ".join(sentences),
        "start": _day(start),
        "due": _day(due),
        "baseline_due": _day(baseline_due),
        "status": status,
        "rag": rag,
        "percent": percent,
        "people": people_links,
        "partners": partner_links,
        "milestones": milestones,
        "updates": updates,
        "rebaselines": rebaselines,
    }


# ----- what the plan is for -----------------------------------------------------------


def _year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _year_end(year: int) -> date:
    return date(year + 1, 3, 31)


# The 20 quarters measures report: Q1 2010/11 (the baseline year) to Q4 2014/15.
MEASURE_QUARTERS = tuple(
    (year, quarter) for year in range(FIRST_MEASURE_YEAR, LAST_YEAR + 1) for quarter in (1, 2, 3, 4)
)
MEASURE_YEARS = tuple(range(FIRST_MEASURE_YEAR, LAST_YEAR + 1))


def _reported(year: int, quarter: int) -> bool:
    """Whether a period's actual is known by the status date (quarter 0: the whole year)."""
    if quarter == 0:
        return year < STATUS_YEAR
    return (year, quarter) <= (STATUS_YEAR, STATUS_QUARTER)


def _outcomes(
    rng: random.Random,
    sizes: dict[str, int],
    themes: list[dict[str, Any]],
    actions: list[dict[str, Any]],
    people: list[dict[str, Any]],
    partners: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Outcomes, each served by 1-3 themes and 2-6 actions, with the measures spread evenly
    over them."""
    outcomes: list[dict[str, Any]] = []
    for o in range(sizes["outcomes"]):
        who, what = OUTCOME_TITLES[o % len(OUTCOME_TITLES)]
        title = f"{who} {what}"
        if o >= len(OUTCOME_TITLES):
            title = f"{who} in {PLACES[(o // len(OUTCOME_TITLES)) % len(PLACES)]} {what}"
            if o >= len(OUTCOME_TITLES) * (len(PLACES) + 1):
                title = f"{title} ({o})"
        outcomes.append(
            {
                "title": title,
                "description": rng.choice(OUTCOME_DESCRIPTIONS),
                "themes": sorted(
                    t["number"] for t in rng.sample(themes, min(len(themes), rng.randint(1, 3)))
                ),
                "actions": [
                    a["ref"] for a in rng.sample(actions, min(len(actions), rng.randint(2, 6)))
                ],
                "measures": [],
            }
        )
    for m in range(sizes["measures"]):
        outcome = outcomes[m % len(outcomes)]
        outcome["measures"].append(_measure(rng, m, outcome, people, partners))
    return outcomes


def _figure(value: float, unit: str, high: float) -> float:
    """A measure's figure rounded as its owner would give it: counts and large sums of money
    whole (to the nearest 10 above 1,000), small sums to the penny, the rest to 0.1."""
    if unit == "number" or (unit == "gbp" and high > 100):
        return int(round(value, -1 if high > 1000 else 0))
    return round(value, 2 if unit == "gbp" else 1)


def _measure(
    rng: random.Random,
    m: int,
    outcome: dict[str, Any],
    people: list[dict[str, Any]],
    partners: list[dict[str, Any]],
) -> dict[str, Any]:
    name, definition, unit, better, low, high = rng.choice(MEASURE_KINDS)
    source = rng.choice(partners)
    annual = m % ANNUAL_MEASURE_EVERY == ANNUAL_MEASURE_EVERY - 1
    baseline = rng.uniform(low, high)
    # the target moves by 10-40% of the baseline, the right way, over the periods
    change = rng.uniform(0.1, 0.4) * (1 if better == "higher" else -1)
    goal = baseline * (1 + change)
    if unit == "percent":
        goal = min(99.0, goal)
    periods = [(y, 0) for y in MEASURE_YEARS] if annual else list(MEASURE_QUARTERS)
    steps = max(1, len(periods) - 1)
    values = []
    for i, (year, quarter) in enumerate(periods):
        target = baseline + (goal - baseline) * i / steps
        actual = target * rng.uniform(0.9, 1.08) if _reported(year, quarter) else None
        if unit == "percent" and actual is not None:
            actual = min(100.0, actual)
        target = _figure(target, unit, high)
        actual = _figure(actual, unit, high) if actual is not None else None
        label = _year_label(year)
        value: dict[str, Any] = {
            "period": f"Q{quarter} {label}" if quarter else label,
            "target": target,
            "actual": actual,
        }
        if actual is not None and rng.random() < 0.4:
            value["commentary"] = rng.choice(MEASURE_COMMENTARY)
        if actual is not None and rng.random() < 0.1:
            value["data_quality"] = rng.choice(DATA_QUALITY)
        values.append(value)
    measure: dict[str, Any] = {
        "name": f"{name} ({source['name']})",
        "definition": definition,
        "unit": unit,
        "better": better,
        "frequency": "annual" if annual else "quarterly",
        "owner": rng.choice(people)["key"] if rng.random() < 0.9 else None,
        "source": source["key"],
        "baseline_value": _figure(baseline, unit, high),
        "baseline_on": _day(_year_end(FIRST_MEASURE_YEAR - 1)),
        "values": values,
    }
    if outcome["actions"] and rng.random() < 0.3:
        measure["action"] = rng.choice(outcome["actions"])
    return measure


def _benefits(
    rng: random.Random,
    n_benefits: int,
    actions: list[dict[str, Any]],
    people: list[dict[str, Any]],
    partners: list[dict[str, Any]],
) -> None:
    """`n_benefits` benefits: one each for most actions, several for some, none for the
    rest; each with planned values for the years from its action's due year to the plan's
    end and realised values up to the status date."""
    with_one = rng.sample(actions, min(len(actions), round(n_benefits * ACTIONS_WITH_BENEFITS)))
    owners = with_one + [rng.choice(with_one) for _ in range(n_benefits - len(with_one))]
    validators = [p for p in people if p["job_title"] in ("Director of Finance", "Chief Executive")]
    validators = validators or people
    for action in actions:
        action["benefits"] = []
    for action in owners:
        kind = rng.choice(BENEFIT_KINDS)
        first = min(LAST_YEAR, _financial_year(date.fromisoformat(action["due"])))
        first = max(FIRST_YEAR, first - rng.randint(0, 1))
        yearly = rng.randrange(5_000, 250_000, 1_000)
        values = []
        for year in range(first, LAST_YEAR + 1):
            planned = yearly * (year - first + 1)
            value: dict[str, Any] = {"year": _year_label(year), "planned": planned}
            if year <= STATUS_YEAR and action["status"] != "not_started":
                share = rng.uniform(0.5, 1.1) if year < STATUS_YEAR else rng.uniform(0.3, 0.7)
                value["realised"] = round(planned * share)
                if year < STATUS_YEAR and rng.random() < VALIDATED_SHARE:
                    value["validated_by"] = rng.choice(validators)["key"]
                    value["validated_on"] = _day(
                        min(STATUS_DATE, _year_end(year) + timedelta(days=rng.randint(30, 150)))
                    )
            values.append(value)
        action["benefits"].append(
            {
                "title": f"{rng.choice(BENEFIT_TITLES[kind])}: {action['title']}",
                "kind": kind,
                "partner": rng.choice(action["partners"])["partner"],
                "evidence": rng.choice(BENEFIT_EVIDENCE),
                "values": values,
            }
        )


def _money(
    rng: random.Random,
    n_funded: int,
    actions: list[dict[str, Any]],
    partners: list[dict[str, Any]],
) -> None:
    """Budget lines for each financial year of `n_funded` actions, spent up to the status
    date, and funding from one to three partner bodies adding up to each year's budget."""
    for action in actions:
        action["budget"], action["funding"] = [], []
    for action in rng.sample(actions, min(len(actions), n_funded)):
        first = _financial_year(date.fromisoformat(action["start"]))
        last = _financial_year(date.fromisoformat(action["due"]))
        funders = [link["partner"] for link in action["partners"]]
        funders += [p["key"] for p in rng.sample(partners, 2) if p["key"] not in funders]
        funders = funders[: rng.randint(1, 3)]
        for year in range(first, last + 1):
            budget = rng.randrange(10_000, 400_000, 1_000)
            if year < STATUS_YEAR:
                spent = round(budget * rng.uniform(0.8, 1.0))
            elif year == STATUS_YEAR:
                spent = round(budget * rng.uniform(0.3, 0.8))
            else:
                spent = 0
            line: dict[str, Any] = {"year": _year_label(year), "budget": budget, "spent": spent}
            if rng.random() < 0.2:
                line["note"] = rng.choice(BUDGET_NOTES)
            action["budget"].append(line)
            left = budget
            for i, partner in enumerate(funders):
                share = left
                if i < len(funders) - 1:
                    share = int(round(left * rng.uniform(0.3, 0.7), -3))
                left -= share
                action["funding"].append(
                    {"partner": partner, "year": _year_label(year), "amount": share}
                )


def count_data(data: dict[str, Any]) -> Counts:
    counts = Counts(
        themes=len(data["themes"]), people=len(data["people"]), partners=len(data["partners"])
    )
    for theme in data["themes"]:
        for action in theme["actions"]:
            counts.actions += 1
            counts.milestones += len(action["milestones"])
            counts.person_links += len(action["people"])
            counts.partner_links += len(action["partners"])
            counts.updates += len(action["updates"])
            counts.rebaselines += len(action["rebaselines"])
            for benefit in action.get("benefits", []):
                counts.benefits += 1
                counts.benefit_values += len(benefit["values"])
            counts.budget_lines += len(action.get("budget", []))
            counts.funding += len(action.get("funding", []))
    for outcome in data.get("outcomes", []):
        counts.outcomes += 1
        counts.outcome_links += len(outcome["themes"]) + len(outcome["actions"])
        for measure in outcome["measures"]:
            counts.measures += 1
            counts.measure_values += len(measure["values"])
    return counts


# ----- writing -----------------------------------------------------------------------


def write_plan(
    out: Path, data: dict[str, Any], *, force: bool = False, data_dir: Path | None = None
) -> None:
    """Write `data` with the product's own loader and close it (saved)."""
    from planner.io.sample import create_from_data

    create_from_data(out, data, overwrite=force, data_dir=data_dir).close()


def make_large_plan(
    out: Path,
    actions: int = 5000,
    *,
    seed: int = 1,
    force: bool = False,
    data_dir: Path | None = None,
) -> tuple[Counts, dict[str, float]]:
    """Build and write the plan; returns its counts and the seconds each stage took."""
    started = time.perf_counter()
    data = build_data(actions, seed)
    built = time.perf_counter()
    write_plan(out, data, force=force, data_dir=data_dir)
    done = time.perf_counter()
    return count_data(data), {
        "build": built - started,
        "write": done - built,
        "total": done - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT.plan")
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.force:
        print(f"make_large_plan: {args.out} exists; use --force to replace it.", file=sys.stderr)
        return 2
    counts, seconds = make_large_plan(args.out, args.actions, seed=args.seed, force=args.force)
    size = args.out.stat().st_size
    print(f"Wrote {args.out} ({size / 1e6:.1f} MB), seed {args.seed}:")
    for line in textwrap.wrap(counts.text(), 86):
        print(f"  {line}")
    print(f"  {counts.rows:,} rows in all")
    print(
        f"  took {seconds['total']:.2f} s (build data {seconds['build']:.2f} s, "
        f"write {seconds['write']:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
