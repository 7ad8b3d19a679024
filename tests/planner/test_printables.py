"""Print views for planners: poster with a readable QR code, table cards, A3 worksheets."""

import re
import subprocess

import pytest

from forum.extensions import db
from tests.conftest import SEED_GROUPS

# A forum's own questions (here: the 2. Themenforum's topic), not the standard ones of the slides.
QUESTIONS = {
    "strength": "Welche Angebote helfen schon heute beim Einstieg in Ausbildung und Arbeit?",
    "weakness": "Wo scheitern Übergänge von der Schule in die Ausbildung?",
    "opportunity": "Welche Betriebe und Netzwerke könnten wir gewinnen?",
    "threat": "Was gefährdet begonnene Ausbildungen?",
}


def print_urls(forum) -> list[str]:
    """Return the address of every print view of a forum."""
    base = f"/planner/forums/{forum.slug}/print"
    return [
        f"{base}/poster",
        f"{base}/table-cards",
        f"{base}/worksheets",
        f"{base}/worksheet/{forum.groups[0].id}",
    ]


def decode_qr(svg: str, tmp_path) -> str:
    """Rasterise an SVG QR code on white and return what zbarimg reads from it."""
    (tmp_path / "qr.svg").write_text(svg)
    png = str(tmp_path / "qr.png")
    subprocess.run(
        ["rsvg-convert", "-w", "400", "-b", "white", "-o", png, str(tmp_path / "qr.svg")],
        check=True,
    )
    decoded = subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True, text=True)
    return decoded.stdout.strip()


@pytest.fixture
def forum_with_questions(make_forum):
    """A forum like the 1. Themenforum with guiding questions of its own."""
    return make_forum(questions=QUESTIONS)


def test_print_views_need_a_planner(client, make_forum):
    forum = make_forum()
    for url in print_urls(forum):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_a_participant_phone_cannot_open_print_views(make_forum, join_as_participant):
    forum = make_forum()
    phone, _ = join_as_participant(forum)
    for url in print_urls(forum):
        response = phone.get(url)
        assert response.status_code == 403 and 'href="/login"' in response.text, url


def test_every_print_view_opens_for_a_planner(planner, make_forum):
    forum = make_forum()
    for url in print_urls(forum):
        page = planner.get(url)
        assert page.status_code == 200, url
        assert "css/print.css" in page.text and f'href="/planner/forums/{forum.slug}"' in page.text


def test_poster_qr_code_decodes_to_the_join_address(planner, make_forum, tmp_path):
    forum = make_forum()
    page = planner.get(f"/planner/forums/{forum.slug}/print/poster").text
    start = page.index('<svg role="img"')
    svg = page[start : page.index("</svg>", start) + 6]
    address = f"http://localhost/j/{forum.join_code}"
    assert decode_qr(svg, tmp_path) == address
    shown = re.search(r'<p class="poster-url">(.*?)</p>', page).group(1)
    assert re.sub(r"<[^>]+>", "", shown) == address  # typed by people without a camera app


def test_poster_names_the_forum_and_promises_no_account(planner, make_forum):
    forum = make_forum()
    page = planner.get(f"/planner/forums/{forum.slug}/print/poster").text
    for text in [
        "Fachplan Asyl und Integration 2025–2030",
        "1. Themenforum",
        '<h1 class="poster-title">Gemeinwesenarbeit und Ehrenamt</h1>',
        "Mit der Handykamera scannen – kein Konto, keine App.",
        "Sie erfahren Ihre Gruppe, Ihren Raum und Ihre Ansprechperson.",
        "Name und Organisation sind freiwillig",
    ]:
        assert text in page


def test_poster_warns_before_printing_a_local_or_closed_address(planner, make_forum, app):
    forum = make_forum(open=False)
    page = planner.get(f"/planner/forums/{forum.slug}/print/poster").text
    assert "PUBLIC_URL" in page and "Der Beitritt ist noch geschlossen." in page
    app.config["PUBLIC_URL"] = "https://forum.dresden.example"
    forum.is_open = True
    db.session.commit()
    page = planner.get(f"/planner/forums/{forum.slug}/print/poster").text
    assert "https://forum.dresden.example/j/" in page
    assert "PUBLIC_URL" not in page and "geschlossen" not in page


def test_table_cards_show_every_group_with_room_moderator_and_colour_name(planner, make_forum):
    forum = make_forum()
    page = planner.get(f"/planner/forums/{forum.slug}/print/table-cards").text
    for name, colour, room, _, moderator in SEED_GROUPS:
        assert f">{name}</h2>" in page
        assert f"Farbe: {name}" in page  # the seed's groups are named after their colour
        assert f'fill="{colour}"' in page
        assert f"<dd>{room}</dd>" in page and f"<dd>{moderator}</dd>" in page
    assert page.count('class="sheet table-card"') == len(SEED_GROUPS)


def test_colours_without_a_colour_word_get_a_german_name(planner, make_forum):
    groups = [
        ("Gruppe A", "#E8710A", "E05", "mod-a", "Fr. A"),
        ("Gruppe B", "#1F5FBF", "E05", "mod-b", "Hr. B"),
        ("Gruppe C", "#777777", "E05", "mod-c", "Fr. C"),
    ]
    forum = make_forum(groups=groups)
    page = planner.get(f"/planner/forums/{forum.slug}/print/table-cards").text
    for colour in ["Orange", "Blau", "Grau"]:
        assert f"Farbe: {colour}" in page


def test_worksheet_has_the_four_quadrants_and_the_forums_questions(
    planner,
    forum_with_questions,
):
    forum = forum_with_questions
    group = forum.groups[1]
    page = planner.get(f"/planner/forums/{forum.slug}/print/worksheet/{group.id}").text
    for label in ["Stärken", "Schwächen", "Chancen", "Risiken"]:
        assert f">{label}</h3>" in page
    for question in QUESTIONS.values():
        assert question in page
    assert "Gruppe Rot" in page and "<dd>E05</dd>" in page and "<dd>Fr. Heyde</dd>" in page
    assert "Die Moderation überträgt die Karten anschließend in Themenforum." in page
    assert page.count('class="sheet worksheet"') == 1


def test_all_worksheets_hold_one_sheet_per_group(planner, forum_with_questions):
    forum = forum_with_questions
    page = planner.get(f"/planner/forums/{forum.slug}/print/worksheets").text
    assert page.count('class="sheet worksheet"') == len(SEED_GROUPS)
    for name, *_ in SEED_GROUPS:
        assert f"Gruppe {name}</h2>" in page


def test_a_group_of_another_forum_is_not_found(planner, make_forum):
    forum, other = make_forum(), make_forum()
    url = f"/planner/forums/{forum.slug}/print/worksheet/{other.groups[0].id}"
    assert planner.get(url).status_code == 404
    assert planner.get(f"/planner/forums/{forum.slug}/print/worksheet/999999").status_code == 404


def test_unknown_forum_is_not_found(planner):
    for view in ["poster", "table-cards", "worksheets", "worksheet/1"]:
        assert planner.get(f"/planner/forums/gibt-es-nicht/print/{view}").status_code == 404


def test_views_without_groups_and_for_the_evaluation_event(planner, make_forum):
    forum = make_forum(groups=[], number=None, kind="evaluation", title="Auswertung")
    base = f"/planner/forums/{forum.slug}/print"
    assert "Auswertungsveranstaltung" in planner.get(f"{base}/poster").text
    for view in ["table-cards", "worksheets"]:
        page = planner.get(f"{base}/{view}")
        assert page.status_code == 200
        assert "Für dieses Forum sind noch keine Gruppen angelegt." in page.text
