"""Realistic ProcessReport objects for the DOCX tests and the benchmark, without a database.

Texts are put together from phrases of the Dresden participation process (Ehrenamt,
Gemeinwesenarbeit, Sprachkurse, Wohnen, Arbeitsmarkt) and are unique within one report, so tests
can count them. Same arguments, same report.
"""

import random

from forum.services.report_model import (
    AgendaRow,
    CardRow,
    ForumReport,
    GroupReport,
    MeasureRow,
    ProcessReport,
    Proposal,
    SwotTheme,
    number_measures,
)

TITLE = "Fachplan Asyl und Integration 2025–2030"
ORGANISER = "Landeshauptstadt Dresden, Sozialamt – Sozialplanung"
GUIDING_GOALS = [
    "Verfügbare Ressourcen sind verteilungsgerecht und gemeinwesenorientiert zu nutzen, um fließende und ununterbrochene Integrationsketten sicherzustellen.",
    "Um nachhaltige Integrationseffekte für Personen im Kontext Flucht und Asyl sowie die Stadtgesellschaft zu erzielen, sind die begrenzten Ressourcen bedarfsangemessen und wirkungsorientiert zu planen und einzusetzen.",
    "Menschen aus dem Kontext Flucht und Asyl, die dauerhaft und rechtmäßig in unserer Stadt leben, sollen ein alimentationsfreies Leben führen und gleichberechtigt sowie teilhabeorientiert an der Stadtgesellschaft teilnehmen.",
]
FORUMS = [
    ("Gemeinwesenarbeit und Ehrenamt", "", ""),
    (
        "Integrationsprozess in den Ausbildungs- und Arbeitsmarkt",
        "23. Januar 2025",
        "Sozialamt Dresden",
    ),
    (
        "Integrationsprozess in den regulären Wohnungsmarkt/Übergangsmanagement zum eigenständigen Wohnen",
        "13. Februar 2025",
        "Sozialamt Dresden",
    ),
    (
        "Integrationsstrukturen und -prozesse zur Förderung des Spracherwerbs",
        "20. März 2025",
        "Sozialamt Dresden",
    ),
]
QUESTIONS = {
    "strength": "Welche Ressourcen/Netzwerke und positiven Aspekte gibt es?",
    "weakness": "Wo bestehen Defizite oder Probleme?",
    "opportunity": "Welche (ungenutzten) Potenziale oder Möglichkeiten gibt es?",
    "threat": "Welche Hindernisse oder Herausforderungen bzw. Risiken gibt es?",
}
GROUPS = [
    ("Orange", "#E8710A", "E05", "Hr. Beitz"),
    ("Rot", "#C8102E", "E05", "Fr. Heyde"),
    ("Blau", "#1F5FBF", "5/501", "Fr. Bidell"),
    ("Grün", "#2E8540", "4/402b", "Hr. Schäfer"),
]
ORG_TYPES = ["Hauptamt", "Ehrenamt", "Migrant*innenorganisation", "Verwaltung", "Sonstige"]

PLACES = [
    "Prohlis",
    "Gorbitz",
    "Johannstadt",
    "Löbtau",
    "Leuben",
    "Laubegast",
    "Pieschen",
    "Neustadt",
    "Reick",
    "Strehlen",
    "Klotzsche",
    "Cotta",
]
OFFERS = [
    "Sprachcafé",
    "Hausaufgabenhilfe",
    "Deutschkurs für Mütter mit Kleinkindern",
    "PC-Kurs",
    "Formularhilfe",
    "Fußballtreff",
    "Frauentreff",
    "Lernpatenschaften",
    "Begleitung zu Wohnungsbesichtigungen",
    "Nähtreff",
]
TOPICS = [
    "Asylrecht",
    "Arbeitsmarktzugang",
    "Wohnberechtigungsschein",
    "Integrationskurse",
    "Kita-Anmeldung",
    "Anerkennung ausländischer Abschlüsse",
    "Bildung und Teilhabe",
]
CARD_PATTERNS = {
    "strength": [
        "Stadtteilverein in {place} ist gut vernetzt und im Quartier bekannt",
        "Ehrenamtliche in {place} tragen seit Jahren das Angebot „{offer}“",
        "Migrationssozialarbeit in {place} kennt die Familien und berät auch zum Thema {topic}",
        "Kostenfreie Räume bei der Kirchgemeinde in {place}",
        "Quartiersmanagement {place} bringt Hauptamt und Ehrenamt an einen Tisch",
    ],
    "weakness": [
        "Lange Wartelisten beim Angebot „{offer}“ in {place}",
        "Unklar, wer in {place} bei Fragen zum Thema {topic} zuständig ist",
        "Förderung nur jährlich – keine Planungssicherheit für „{offer}“ in {place}",
        "Kaum bezahlbarer Wohnraum für große Familien in {place}",
        "Neuigkeiten zum Thema {topic} erreichen die Ehrenamtlichen in {place} zu spät",
    ],
    "opportunity": [
        "Ehrenamtsbörse in {place}: Interessierte für „{offer}“ gewinnen",
        "Gemeinsame Fortbildung zum Thema {topic} für Haupt- und Ehrenamt in {place}",
        "Migrant*innenorganisationen in {place} bieten „{offer}“ mehrsprachig an",
        "Leere Räume im Stadtteilhaus {place} abends öffnen",
        "Sprachmittler*innen-Pool für Termine zum Thema {topic} in {place}",
    ],
    "threat": [
        "Ehrenamtliche in {place} brennen aus – Nachwuchs fehlt",
        "Haushaltskürzungen gefährden „{offer}“ in {place}",
        "Befristete Projektstellen: Ansprechpartner zum Thema {topic} in {place} wechseln ständig",
        "Vorbehalte in der Nachbarschaft in {place} bremsen Begegnung",
        "Überlastete Behörden: Termine zum Thema {topic} dauern in {place} Monate",
    ],
}
GOALS = [
    "Zuständigkeiten für Ehrenamtliche und Geflüchtete transparent machen",
    "Hauptamt und Ehrenamt im Wechselspiel – „Miteinander statt Nebeneinander“",
    "Ehrenamtliche qualifizieren, entlasten und langfristig halten",
    "Sprachförderung lückenlos an den Integrationskurs anschließen",
    "Übergang aus der Gemeinschaftsunterkunft in eigenen Wohnraum beschleunigen",
    "Geflüchtete schneller in Ausbildung und Arbeit bringen",
]
MEASURE_PATTERNS = [
    "Ansprechpartner-Übersicht zum Thema {topic} für {place} erstellen und online stellen",
    "Stadtbezirksrunde in {place} mit Migrationssozialarbeit und Initiativen einrichten",
    "Fortbildungsreihe zum Thema {topic} für Haupt- und Ehrenamtliche in {place}",
    "Mehrjährige Förderung für „{offer}“ in {place} sichern",
    "Wohnungslotsen-Projekt in {place} mit Vermietern und Jobcenter starten",
    "Sprachtreff-Netz in {place}: „{offer}“ mit dem Integrationskurs verzahnen",
]
OWNERS = [
    "Sozialamt – Sozialplanung",
    "Ehrenamtskoordination Asyl",
    "Integrations- und Ausländerbeauftragte",
    "Träger der Migrationssozialarbeit",
    "Jobcenter Dresden",
    "Volkshochschule Dresden",
    "Stadtbezirksamt {place}",
    "",
]
METHODS = [
    "Runder Tisch mit {n} Trägern, Kurzprotokoll an alle Beteiligten",
    "Online-Umfrage unter den Initiativen, Auswertung im Fachbeirat",
    "Kooperationsvereinbarung, halbjährliche Abstimmung im Stadtbezirksbeirat",
    "Pilot in {place}, danach Übertragung auf weitere Stadtbezirke",
    "",
]
INDICATORS = [
    "{n} Treffen pro Jahr; mind. {p} % der Initiativen nehmen teil",
    "{n} Teilnehmende bis 12/2026; Abbruchquote unter {p} %",
    "Übersicht für alle 10 Stadtbezirke online bis 06/2025; {n} Aktualisierungen pro Jahr",
    "Wartezeit auf einen Kursplatz sinkt bis 2027 um {p} %",
    "",
]
HORIZONS = ["short", "medium", "long", None]


HORIZON_YEARS = {"short": "bis 2026", "medium": "2027–2028", "long": "2029–2030"}


def sample_report(
    forums=1, groups=4, cards=60, measures=15, seed=0, merges=0, swot=False
) -> ProcessReport:
    """Return a process with `forums` forums of `groups` groups, each with that many cards and
    measures; `merges` proposals are merged into a proposal of another group. With `swot`, the
    Auswertung marked themes of its cards for the plan (none among the Risiken)."""
    rng = random.Random(seed)
    used: set[str] = set()
    forum_reports = [_forum(rng, used, n, groups, cards, measures) for n in range(1, forums + 1)]
    proposals = [p for f in forum_reports for g in f.groups for p in g.proposals]
    plan = {
        id(p): _plan_measure(rng, p, f, g)
        for f in forum_reports
        for g in f.groups
        for p in g.proposals
    }
    for _ in range(min(merges, len(proposals) // 2)):
        other, keep = rng.sample([p for p in proposals if not p.merged and id(p) in plan], 2)
        if other.group_key == keep.group_key:
            continue
        absorbed = plan.pop(id(other))
        target = plan[id(keep)]
        for origin in absorbed.origins:
            origin.measure_key, origin.merged = target.key, True
        target.origins.extend(absorbed.origins)
    return ProcessReport(
        title=TITLE,
        organiser=ORGANISER,
        guiding_goals=list(GUIDING_GOALS),
        forums=forum_reports,
        measures=number_measures(list(plan.values())),
        horizon_years=dict(HORIZON_YEARS),
        swot=sample_swot(forum_reports, seed) if swot else [],
        swot_selected=swot,
    )


def sample_swot(forums: list[ForumReport], seed=0) -> list[SwotTheme]:
    """Two marked themes each for Stärken, Schwächen and Chancen, made of the report's cards."""
    rng = random.Random(seed)
    themes = []
    for quadrant in ("strength", "weakness", "opportunity"):
        cards = [c.text for f in forums for g in f.groups for c in g.cards[quadrant]]
        for number in range(2):
            examples = rng.sample(cards, min(2 - number, len(cards)))
            title = f"{QUADRANT_THEMES[quadrant]} {number + 1}"
            groups = rng.randint(1, sum(len(f.groups) for f in forums))
            themes.append(SwotTheme(quadrant, title, groups + 2, groups, len(forums), examples))
    return themes


QUADRANT_THEMES = {
    "strength": "Gut vernetzte Stadtteilarbeit",
    "weakness": "Unklare Zuständigkeiten",
    "opportunity": "Ungenutzte Räume und Mehrsprachigkeit",
}


def _plan_measure(rng, proposal: Proposal, forum: ForumReport, group: GroupReport) -> MeasureRow:
    cards = [card for quadrant in group.cards.values() for card in quadrant]
    proposal.cards = rng.sample(cards, min(len(cards), rng.randint(0, 3)))
    return MeasureRow(proposal.measure_key, rng.choice([1, 2, 3, None]), [proposal])


def _forum(rng, used, number, groups, cards, measures) -> ForumReport:
    title, date, venue = (
        FORUMS[number - 1] if number <= len(FORUMS) else (f"Thema {number}", "", "")
    )
    heading = f"{number}. Themenforum: {title}"
    group_reports = [
        _group(rng, used, heading, number, index, cards, measures) for index in range(groups)
    ]
    return ForumReport(
        slug=f"themenforum-{number}",
        number=number,
        title=title,
        heading=heading,
        date=date,
        venue=venue,
        agenda=agenda(),
        questions=dict(QUESTIONS),
        participation={org: rng.randint(1, 3 * max(groups, 1)) for org in ORG_TYPES},
        groups=group_reports,
    )


def agenda() -> list[AgendaRow]:
    """Return the Tagesordnung of the 1. Themenforum, with the phases of the group work."""
    work = [
        ("Warm-Up-Phase Kleingruppe: Austausch und Diskussion zur Zielgruppe", 15),
        ("4-Feldermatrix: Stärken-Schwächen / Chancen-Risiken", 30),
        ("Sammeln und Diskutieren von Zielen und Maßnahmen anhand der 4-Feldermatrix", 25),
        ("Festlegung der Verantwortlichkeiten sowie Benennung der methodischen Umsetzung", 10),
        (
            "Festlegung des Umsetzungshorizonts: kurz-, mittel- oder langfristige Umsetzungsphase",
            10,
        ),
    ]
    plenum = AgendaRow(
        "Die Arbeitsgruppen stellen ihre Ergebnisse im Plenum vor", 10, per_group=True
    )
    return [
        AgendaRow("Begrüßung und Einstimmung"),
        AgendaRow("Impulsvortrag des Ehrenamtskoordinators Asyl"),
        AgendaRow("Impulsvortrag des Sozialamtes – Sozialplanung"),
        AgendaRow("Arbeitsphase in Kleingruppen", phases=[AgendaRow(t, m) for t, m in work]),
        AgendaRow("Auswertung und Zusammenfassung im Plenum", phases=[plenum]),
        AgendaRow("Termine 2025"),
    ]


def _group(rng, used, forum, forum_number, index, cards, measures) -> GroupReport:
    name, colour, room, moderator = (
        GROUPS[index]
        if index < len(GROUPS)
        else (f"Gruppe {index + 1}", "#555555", f"{index}/10{index}", "Fr. Krüger")
    )
    quadrants: dict[str, list[CardRow]] = {quadrant: [] for quadrant in QUESTIONS}
    for _ in range(cards):
        quadrant = rng.choice(list(QUESTIONS))
        merge = rng.choice([2, 3, 4]) if rng.random() < 0.12 else 1
        quadrants[quadrant].append(
            CardRow(quadrant, _unique(rng, used, CARD_PATTERNS[quadrant]), merge)
        )
    participants = rng.randint(5, 12)
    key = (forum_number, index)
    return GroupReport(
        name=name,
        colour=colour,
        room=room,
        moderator=moderator,
        cards=quadrants,
        proposals=[
            _proposal(rng, used, forum, name, key, participants, n) for n in range(measures)
        ],
        participants=participants,
    )


def _proposal(rng, used, forum, group, key, participants, n) -> Proposal:
    return Proposal(
        forum=forum,
        group=group,
        group_key=key,
        participants=participants,
        goal=rng.choice(GOALS),
        title=_unique(rng, used, MEASURE_PATTERNS),
        owner=_fill(rng, rng.choice(OWNERS)),
        method=_fill(rng, rng.choice(METHODS)),
        horizon=rng.choice(HORIZONS),
        indicator=_fill(rng, rng.choice(INDICATORS)),
        votes=rng.randint(0, 12),
        order=(*key, n),
        measure_key=(*key, n),
    )


def _fill(rng, pattern: str) -> str:
    return pattern.format(
        place=rng.choice(PLACES),
        offer=rng.choice(OFFERS),
        topic=rng.choice(TOPICS),
        n=rng.randint(2, 12),
        p=rng.choice([10, 20, 25, 30, 50, 70]),
    )


def _unique(rng, used: set[str], patterns: list[str]) -> str:
    # Tests count texts, so no text may repeat within a report; big reports get a running number.
    for _ in range(20):
        text = _fill(rng, rng.choice(patterns))
        if text not in used:
            break
    else:
        text = f"{text} ({len(used) + 1})"
    used.add(text)
    return text
