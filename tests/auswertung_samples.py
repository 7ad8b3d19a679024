"""A labelled set of SWOT cards for the Auswertung: known themes, written as groups write them.

Each theme is a list of paraphrases (other words, other word order, compounds split or joined);
`labelled_cards` spreads them over forums and groups, adds typos, single cards that belong to
no theme, and Ukrainian and Arabic cards, and returns each card with the theme it belongs to.
Same arguments, same cards.
"""

import random
from dataclasses import dataclass

from forum.services.auswertung.themes import CardText

THEMES = {
    "strength": [
        [
            "Ehrenamtliche engagieren sich seit 2015 mit viel Erfahrung",
            "Viele erfahrene Ehrenamtliche, die seit 2015 dabei sind",
            "Langjähriges ehrenamtliches Engagement seit 2015",
            "Seit 2015 aktive Ehrenamtliche mit großem Erfahrungsschatz",
        ],
        [
            "Migrationssozialarbeit kennt die Familien im Stadtteil",
            "Die Migrationssozialarbeit ist nah an den Familien dran",
            "Gute Kenntnis der Familien durch die Migrationssozialarbeit",
            "Familien vertrauen der Migrationssozialarbeit vor Ort",
        ],
        [
            "Stadtteilvereine sind gut vernetzt",
            "Gute Vernetzung der Stadtteilvereine untereinander",
            "Vereine im Stadtteil arbeiten vernetzt zusammen",
            "Starkes Netzwerk der Stadtteilvereine",
        ],
        [
            "Kostenfreie Räume bei Kirchgemeinden",
            "Kirchgemeinden stellen Räume kostenlos zur Verfügung",
            "Räume der Kirchgemeinden können kostenfrei genutzt werden",
        ],
        [
            "Migrantenorganisationen bieten Angebote in vielen Sprachen",
            "Mehrsprachige Angebote der Migrantenorganisationen",
            "MSO machen Angebote in den Herkunftssprachen",
            "Viele Sprachen abgedeckt durch Migrantenorganisationen",
        ],
        [
            "Ehrenamtskoordination als feste Anlaufstelle",
            "Feste Anlaufstelle Ehrenamtskoordination Asyl",
            "Die Koordinierungsstelle Ehrenamt ist verlässlich erreichbar",
        ],
        [
            "Sprachcafés sind gut besucht",
            "Hohe Nachfrage nach den Sprachcafés",
            "Die Sprachcafés werden gut angenommen",
        ],
        [
            "Jobcenter hat eigene Ansprechpartner für Geflüchtete",
            "Feste Ansprechpersonen im Jobcenter für Geflüchtete",
            "Geflüchtete haben im Jobcenter eine feste Ansprechperson",
        ],
    ],
    "weakness": [
        [
            "Unklar, wer zuständig ist",
            "Zuständigkeiten sind unklar",
            "Niemand weiß, wer der richtige Ansprechpartner ist",
            "Unklare Zuständigkeiten zwischen den Ämtern",
            "Wer ist zuständig? Ansprechpartner unbekannt",
        ],
        [
            "Lange Wartezeiten auf einen Integrationskurs",
            "Wartelisten für Integrationskurse sind zu lang",
            "Integrationskursplätze fehlen, lange Wartezeit",
            "Monatelanges Warten auf einen Platz im Integrationskurs",
        ],
        [
            "Förderung nur für ein Jahr, keine Planungssicherheit",
            "Keine Planungssicherheit wegen jährlicher Förderung",
            "Einjährige Förderzeiträume verhindern Planung",
            "Jährliche Projektförderung, Planungssicherheit fehlt",
        ],
        [
            "Hauptamt und Ehrenamt arbeiten nebeneinander statt miteinander",
            "Ehrenamt und Hauptamt arbeiten zu wenig zusammen",
            "Fehlende Zusammenarbeit zwischen Haupt- und Ehrenamt",
            "Nebeneinander statt Miteinander von Hauptamtlichen und Ehrenamtlichen",
        ],
        [
            "Bezahlbarer Wohnraum für große Familien fehlt",
            "Kaum bezahlbare Wohnungen für große Familien",
            "Große Familien finden keine bezahlbare Wohnung",
            "Mangel an günstigem Wohnraum für Großfamilien",
        ],
        [
            "Informationen zu Rechtsänderungen kommen zu spät an",
            "Neue Regelungen erreichen die Ehrenamtlichen zu spät",
            "Rechtsänderungen werden zu spät kommuniziert",
        ],
        [
            "Anträge für Fördermittel sind zu kompliziert",
            "Komplizierte Förderanträge überfordern kleine Vereine",
            "Antragsverfahren für Förderung zu aufwendig",
            "Zu viel Bürokratie bei Förderanträgen",
        ],
        [
            "Keine Kinderbetreuung während der Sprachkurse",
            "Fehlende Kinderbetreuung bei Sprachkursen",
            "Mütter können ohne Kinderbetreuung keinen Sprachkurs besuchen",
        ],
        [
            "Dolmetscher fehlen bei Behördenterminen",
            "Bei Terminen in Behörden gibt es keine Sprachmittlung",
            "Fehlende Sprachmittler für Behördengänge",
            "Zu wenige Dolmetscherinnen für Ämtertermine",
        ],
    ],
    "opportunity": [
        [
            "Gemeinsamer Newsletter für alle Initiativen",
            "Newsletter mit Terminen und Förderprogrammen für Initiativen",
            "Ein gemeinsamer Info-Newsletter der Initiativen",
            "Regelmäßiger Newsletter für Ehrenamtliche und Initiativen",
        ],
        [
            "Ehrenamtsbörse im Stadtbezirk",
            "Börse für Ehrenamt je Stadtbezirk einrichten",
            "Stadtbezirksweise Ehrenamtsbörse für Interessierte",
            "Ehrenamtliche über eine Börse im Stadtbezirk gewinnen",
        ],
        [
            "Gemeinsame Fortbildungen für Haupt- und Ehrenamt",
            "Fortbildungen für Hauptamtliche und Ehrenamtliche zusammen",
            "Gemeinsame Schulungen von Haupt- und Ehrenamt",
            "Haupt- und Ehrenamt gemeinsam fortbilden",
        ],
        [
            "Leere Räume im Stadtteilhaus abends öffnen",
            "Stadtteilhäuser abends für Gruppen öffnen",
            "Abends ungenutzte Räume in Stadtteilhäusern nutzen",
        ],
        [
            "Pool von Sprachmittlern aufbauen",
            "Sprachmittlerpool für Termine einrichten",
            "Einen Pool aus Sprachmittlerinnen und Sprachmittlern schaffen",
            "Sprachmittlung über einen gemeinsamen Pool organisieren",
        ],
        [
            "Geflüchtete als Lotsen für Neuankommende gewinnen",
            "Lotsenprojekt: Geflüchtete begleiten Neuankommende",
            "Neu Angekommene durch erfahrene Geflüchtete als Lotsen begleiten",
        ],
        [
            "Betriebe als Partner für Praktika gewinnen",
            "Praktikumsplätze in lokalen Betrieben erschließen",
            "Lokale Unternehmen für Praktika von Geflüchteten gewinnen",
            "Mehr Betriebe für Praktikumsplätze gewinnen",
        ],
        [
            "Digitale Übersicht aller Angebote im Stadtteil",
            "Online-Karte mit allen Angeboten im Quartier",
            "Alle Angebote des Stadtteils digital auf einer Karte",
        ],
    ],
    "threat": [
        [
            "Ehrenamtliche brennen aus",
            "Überlastung und Burnout bei Ehrenamtlichen",
            "Ehrenamtliche sind erschöpft und hören auf",
            "Ausbrennen der Ehrenamtlichen",
        ],
        [
            "Haushaltskürzungen gefährden Angebote",
            "Kürzungen im Haushalt bedrohen die Angebote",
            "Angebote fallen wegen Kürzungen im städtischen Haushalt weg",
            "Sparhaushalt gefährdet bewährte Angebote",
        ],
        [
            "Befristete Projektstellen: Ansprechpartner wechseln ständig",
            "Ständiger Wechsel der Ansprechpartner durch befristete Stellen",
            "Befristungen führen zu häufig wechselnden Ansprechpersonen",
            "Kontakte brechen ab, weil Projektstellen befristet sind",
        ],
        [
            "Vorbehalte in der Nachbarschaft",
            "Vorurteile und Vorbehalte der Nachbarschaft gegenüber Geflüchteten",
            "Ablehnung in der Nachbarschaft bremst Begegnung",
            "Nachbarschaft hat Vorbehalte gegen neue Unterkünfte",
        ],
        [
            "Überlastete Behörden, Termine dauern Monate",
            "Termine bei Behörden dauern monatelang",
            "Monatelange Wartezeit auf Behördentermine",
            "Behörden sind überlastet und vergeben kaum Termine",
        ],
        [
            "Nachwuchs für die Initiativen fehlt",
            "Initiativen finden keine neuen Engagierten",
            "Fehlender Nachwuchs im Ehrenamt",
        ],
        [
            "Hohe Fluktuation im Übergangswohnheim",
            "Bewohner ziehen schnell weiter, Kontakte reißen ab",
            "Häufige Umzüge aus dem Übergangswohnheim",
        ],
    ],
}
# Cards that say something of their own; each is its own theme.
SINGLES = {
    "strength": [
        "Der Fußballtreff in Gorbitz läuft seit Jahren",
        "Bibliothek bietet Lesestunden in mehreren Sprachen",
        "Gute Zusammenarbeit mit der Polizei im Quartier",
    ],
    "weakness": [
        "WLAN in der Gemeinschaftsunterkunft fällt oft aus",
        "Keine barrierefreien Räume für Treffen",
        "Die Straßenbahnanbindung abends ist schlecht",
    ],
    "opportunity": [
        "Urban Gardening auf der Brachfläche",
        "Kochbuch mit Rezepten aus den Herkunftsländern",
        "Sportvereine öffnen Schnuppertrainings",
    ],
    "threat": [
        "Rechtsextreme Flyer im Stadtteil",
        "Energiepreise belasten die Vereine",
        "Schließung des Jugendclubs droht",
    ],
}
FOREIGN = [
    ("weakness", "Немає дитячого садка під час мовних курсів"),
    ("strength", "Волонтери дуже допомагають з документами"),
    ("threat", "لا توجد مواعيد في مكتب الأجانب"),
    ("opportunity", "دورات لغة للأمهات مع رعاية الأطفال"),
    ("weakness", "Довго чекати на інтеграційний курс"),
    ("strength", "المتطوعون يساعدون كثيرا في الأوراق"),
]


@dataclass
class LabelledCard:
    """A card with where it came from and the theme it belongs to."""

    key: int
    quadrant: str
    text: str
    group: tuple  # (forum, group)
    theme: str


def labelled_cards(forums=4, groups=4, per_group=40, seed=0) -> list[LabelledCard]:
    """Return cards for every group, drawn from the themes, with typos, singles and foreign cards."""
    rng = random.Random(seed)
    themes = [(q, i, texts) for q, rows in THEMES.items() for i, texts in enumerate(rows)]
    weights = [1 / (1 + index % 5) for index in range(len(themes))]  # some themes are popular
    cards: list[LabelledCard] = []
    singles = [(q, text) for q, texts in SINGLES.items() for text in texts] + FOREIGN
    rng.shuffle(singles)
    for forum in range(forums):
        for group in range(groups):
            for _ in range(per_group):
                where, key = (forum, group), len(cards)
                if singles and rng.random() < 0.04:
                    quadrant, text = singles.pop()
                    cards.append(LabelledCard(key, quadrant, text, where, f"single-{key}"))
                    continue
                quadrant, index, texts = rng.choices(themes, weights)[0]
                text = _vary(rng, rng.choice(texts))
                cards.append(LabelledCard(key, quadrant, text, where, f"{quadrant}-{index}"))
    return cards


def _vary(rng, text: str) -> str:
    """Write a card as people do: now and then a typo, lower case, or the parts swapped."""
    roll = rng.random()
    if roll < 0.15:
        return _typo(rng, text)
    if roll < 0.25:
        return text.lower()
    if roll < 0.35 and ", " in text:
        first, rest = text.split(", ", 1)
        return f"{rest[0].upper()}{rest[1:]}, {first[0].lower()}{first[1:]}"
    return text


def _typo(rng, text: str) -> str:
    words = text.split()
    index = rng.randrange(len(words))
    word = words[index]
    if len(word) > 4:
        at = rng.randrange(1, len(word) - 2)
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]  # two letters swapped
    words[index] = word
    return " ".join(words)


def as_input(cards: list[LabelledCard]) -> list[CardText]:
    """The cards as the suggestion takes them (the forum is the first part of the group)."""
    return [CardText(c.key, c.quadrant, c.text, c.group, c.group[0]) for c in cards]
