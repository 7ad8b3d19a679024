"""Which language a page speaks, and the switch that remembers a choice in the `lang` cookie."""

import re

import pytest
from flask_babel import ngettext

from forum.services import moderation
from tests.conftest import csrf_of
from tests.forms import form


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.text).group(0)


def switch_form(html: str) -> dict:
    """Return the language switch's fields as the page renders them."""
    return form(html, "/sprache")[1]


@pytest.mark.parametrize(
    ("accept", "lang", "direction", "button"),
    [
        (None, "de", "ltr", "Teilnehmen"),
        ("uk,en;q=0.8", "uk", "ltr", "Взяти участь"),
        ("fr-FR,ar;q=0.5", "ar", "rtl", "المشاركة"),
        ("en-GB,de;q=0.7", "en", "ltr", "Take part"),
        ("fr-FR,it;q=0.9", "de", "ltr", "Teilnehmen"),
        ("en;q=0,ar;q=0.3", "ar", "rtl", "المشاركة"),
    ],
)
def test_the_browsers_first_supported_language_is_used(
    client, make_forum, accept, lang, direction, button
):
    forum = make_forum()
    headers = {"Accept-Language": accept} if accept else {}
    page = client.get(f"/j/{forum.join_code}", headers=headers)
    assert html_tag(page) == f'<html lang="{lang}" dir="{direction}">'
    assert f">{button}</button>" in page.text


def test_caches_keep_one_copy_per_language(client, make_forum):
    forum = make_forum()
    vary = client.get(f"/j/{forum.join_code}").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_a_remembered_choice_beats_the_browser(client, make_forum):
    forum = make_forum()
    client.set_cookie("lang", "ar")
    page = client.get(f"/j/{forum.join_code}", headers={"Accept-Language": "uk"})
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    client.set_cookie("lang", "xx")  # a cookie from elsewhere counts for nothing
    page = client.get(f"/j/{forum.join_code}", headers={"Accept-Language": "uk"})
    assert html_tag(page) == '<html lang="uk" dir="ltr">'


def test_the_switch_offers_four_languages_each_named_in_itself(client, make_forum):
    forum = make_forum()
    page = client.get(f"/j/{forum.join_code}").text
    assert '<span class="current" lang="de" aria-current="true">Deutsch</span>' in page
    for code, name in [("en", "English"), ("uk", "Українська"), ("ar", "العربية")]:
        assert f'name="lang" value="{code}" lang="{code}">{name}</button>' in page


@pytest.mark.parametrize(
    ("cookie", "accept", "lang"),
    [("en", None, "en"), ("ar", None, "en"), ("uk", "uk,de;q=0.5", "de"), (None, "ar", "en")],
)
def test_staff_pages_speak_german_or_english(client, cookie, accept, lang):
    if cookie:
        client.set_cookie("lang", cookie)
    headers = {"Accept-Language": accept} if accept else {}
    page = client.get("/login", headers=headers)
    assert html_tag(page) == f'<html lang="{lang}" dir="ltr">'
    assert ">Українська<" not in page.text and ">العربية<" not in page.text
    assert (">English<" in page.text) and (">Deutsch<" in page.text)


def test_switching_sets_the_cookie_and_returns_to_the_page(client, make_forum):
    forum = make_forum()
    page = client.get(f"/j/{forum.join_code}?from=poster")
    fields = switch_form(page.text)
    assert fields["next"] == f"/j/{forum.join_code}?from=poster"
    response = client.post("/sprache", data={**fields, "lang": "uk"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/j/{forum.join_code}?from=poster"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=uk;")
    assert "Max-Age=31536000" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert html_tag(client.get(f"/j/{forum.join_code}")) == '<html lang="uk" dir="ltr">'
    assert html_tag(client.get("/datenschutz")) == '<html lang="uk" dir="ltr">'


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_switch_never_leads_off_the_site(client, target):
    token = csrf_of(client.get("/datenschutz").text)
    response = client.post("/sprache", data={"csrf_token": token, "lang": "en", "next": target})
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


def test_the_switch_needs_the_forms_token_and_a_known_language(client):
    token = csrf_of(client.get("/datenschutz").text)
    assert client.post("/sprache", data={"lang": "en", "next": "/datenschutz"}).status_code == 400
    refused = client.post("/sprache", data={"csrf_token": token, "lang": "fr", "next": "/"})
    assert refused.status_code == 400


def test_after_a_failed_card_the_switch_returns_to_the_board(make_forum, join_as_participant):
    forum = make_forum()
    phone, _ = join_as_participant(forum)
    board = phone.get(f"/j/{forum.join_code}/board")
    _, data = form(board.text, "/cards", text="")
    failed = phone.post(
        f"/j/{forum.join_code}/cards",
        data=data,
        headers={"Referer": f"http://localhost/j/{forum.join_code}/board"},
    )
    assert failed.status_code == 422
    assert switch_form(failed.text)["next"] == f"/j/{forum.join_code}/board"


def test_phones_get_flash_messages_and_refusals_in_their_language(make_forum, join_as_participant):
    forum = make_forum(dots_per_participant=1)
    phone, participant = join_as_participant(forum)
    phone.set_cookie("lang", "uk")
    board = phone.get(f"/j/{forum.join_code}/board")
    _, data = form(board.text, "/cards", text="Мовні курси поруч")
    saved = phone.post(f"/j/{forum.join_code}/cards", data=data, follow_redirects=True)
    assert "Картку збережено." in saved.text

    group_id = participant.group_id
    measures = [moderation.add_measure(group_id, "", t, f"key-{t}-0000000000") for t in "AB"]
    page = phone.get(f"/j/{forum.join_code}/measures").text
    for measure in measures:
        _, data = form(page, f"/measures/{measure.id}/vote")
        answer = phone.post(
            f"/j/{forum.join_code}/measures/{measure.id}/vote", data=data, follow_redirects=True
        )
    assert "Ви вже використали всі свої бали." in answer.text


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("de", {1: "1 Punkt", 2: "2 Punkte"}),
        ("en", {1: "1 dot", 2: "2 dots"}),
        ("uk", {1: "1 бал", 3: "3 бали", 5: "5 балів", 11: "11 балів", 21: "21 бал"}),
        ("ar", {0: "لا نقاط", 1: "نقطة واحدة", 2: "نقطتان", 3: "3 نقاط", 11: "11 نقطة"}),
    ],
)
def test_dot_counts_use_each_languages_plural_forms(app, lang, counts):
    with app.test_request_context(headers={"Cookie": f"lang={lang}"}):
        for n, text in counts.items():
            assert ngettext("%(num)d Punkt", "%(num)d Punkte", n) == text
