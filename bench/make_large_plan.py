"""Write a large synthetic plan for the benchmarks, deterministic for a seed.

    python bench/make_large_plan.py OUT.plan --actions 5000 [--seed N] [--force]

Per 5,000 actions: 20 themes, 1,000 people, 300 partner bodies, 20,000 milestones,
15,000 person links (one "A" lead and two of R/C/I per action), 10,000 partner links
(two per action, at most one "lead"), 10,000 progress updates and about 100 re-baselinings;
every count scales with --actions. Dates fall in the plan period 2011-04-01 to 2015-03-31
(status date 2013-12-31).

The data is built in the plan-data format of resources/sample/northshire.json and
written by the product's own planner.io.sample.create_from_data (one executemany per
table); the content is the same for a seed, the random record uids are not.
"""

from __future__ import annotations

import argparse
import random
import sys
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

PERIOD_START = date(2011, 4, 1)
PERIOD_END = date(2015, 3, 31)
STATUS_DATE = date(2013, 12, 31)


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
    """People, partner bodies and themes for `actions` actions (proportional, with floors)."""
    return {
        "people": max(PER_ACTION["people_links"], round(actions * PEOPLE_PER_ACTION)),
        "partners": max(PER_ACTION["partner_links"], round(actions * PARTNERS_PER_ACTION)),
        "themes": max(1, round(actions * THEMES_PER_ACTION)),
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
    print(f"  {counts.text()}")
    print(f"  {counts.rows:,} rows in all")
    print(
        f"  took {seconds['total']:.2f} s (build data {seconds['build']:.2f} s, "
        f"write {seconds['write']:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
