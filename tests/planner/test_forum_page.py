"""Planner sign-in and the forum page with its QR code, which an ordinary reader decodes."""

import re
import subprocess

from forum.cli import main
from forum.extensions import db
from tests.conftest import csrf_of
from tests.forms import form


def test_planner_pages_need_sign_in(client, make_forum):
    forum = make_forum()
    for url in ["/planner/", f"/planner/forums/{forum.slug}"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_wrong_password_is_refused_with_a_message(client, app):
    app.test_cli_runner().invoke(main, ["user", "add", "planung", "--password", "geheim-genug"])
    page = client.get("/login")
    _, data = form(page.text, username="planung", password="falsch")
    response = client.post("/login", data=data, follow_redirects=True)
    assert "Benutzername oder Passwort stimmt nicht." in response.text
    assert client.get("/planner/").status_code == 302


def test_moderator_accounts_cannot_open_planner_pages(client, app):
    app.test_cli_runner().invoke(
        main, ["user", "add", "heyde", "--role", "moderator", "--password", "geheim-genug"]
    )
    page = client.get("/login")
    _, data = form(page.text, username="heyde", password="geheim-genug")
    client.post("/login", data=data)
    assert client.get("/planner/").status_code == 403


def test_forum_page_lists_groups_and_the_join_address(planner, make_forum):
    forum = make_forum()
    page = planner.get(f"/planner/forums/{forum.slug}").text
    for name, room, moderator in [
        ("Orange", "E05", "Hr. Beitz"),
        ("Grün", "4/402b", "Hr. Schäfer"),
    ]:
        assert name in page and room in page and moderator in page
    assert f"http://localhost/j/{forum.join_code}" in page


def test_qr_code_in_the_page_decodes_to_the_join_address(planner, make_forum, tmp_path):
    forum = make_forum()
    page = planner.get(f"/planner/forums/{forum.slug}").text
    svg = page[page.index('<svg role="img"') : page.index("</svg>", page.index('class="qr"')) + 6]
    (tmp_path / "qr.svg").write_text(svg)
    subprocess.run(
        [
            "rsvg-convert",
            "-w",
            "400",
            "-b",
            "white",
            "-o",
            str(tmp_path / "qr.png"),
            str(tmp_path / "qr.svg"),
        ],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "qr.png")], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == f"http://localhost/j/{forum.join_code}"


def test_public_url_setting_is_used_for_the_qr_code(planner, make_forum, app):
    app.config["PUBLIC_URL"] = "https://forum.dresden.example"
    forum = make_forum()
    page = planner.get(f"/planner/forums/{forum.slug}").text
    assert f"https://forum.dresden.example/j/{forum.join_code}" in page


def test_planner_opens_and_closes_joining(planner, make_forum, client):
    forum = make_forum(open=False)
    page = planner.get(f"/planner/forums/{forum.slug}").text
    action, data = form(page, "/open")
    planner.post(action, data=data)
    assert forum.is_open
    page = planner.get(f"/planner/forums/{forum.slug}").text
    action, data = form(page, "/open")
    planner.post(action, data=data)
    assert not forum.is_open


def test_sign_out_ends_the_session(planner):
    token = csrf_of(planner.get("/planner/").text)
    planner.post("/logout", data={"csrf_token": token})
    assert planner.get("/planner/").status_code == 302


def test_overview_counts_people_cards_and_complete_measures(
    planner, make_forum, join_as_participant
):
    from forum.models import Card, Measure

    forum = make_forum()
    _, hauptamt = join_as_participant(forum, org_type="full_time")
    _, ehrenamt = join_as_participant(forum, org_type="volunteer")
    group = hauptamt.group
    db.session.add_all(
        [
            Card(group_id=group.id, quadrant="strength", text="a"),
            Card(group_id=group.id, quadrant="strength", text="b"),
            Card(group_id=group.id, quadrant="threat", text="versteckt", hidden=True),
            Measure(
                group_id=group.id,
                title="vollständig",
                owner="Sozialamt",
                horizon="short",
                indicator="3 pro Jahr",
            ),
            Measure(group_id=group.id, title="ohne Indikator", owner="Sozialamt", horizon="long"),
        ]
    )
    db.session.commit()
    response = planner.get(f"/planner/forums/{forum.slug}/overview")
    html = response.json["regions"]["overview"]
    row = html[html.index(f"{group.name}</th>") :].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in row.split("</td>")[:-1]]
    assert cells[2] == "1 (Hauptamt 1)"
    assert cells[3:7] == ["2", "0", "0", "0"]  # hidden card not counted
    assert cells[7] == "2 (1)"
    assert "Hauptamt: <strong>1</strong>" in html and "Ehrenamt: <strong>1</strong>" in html
    again = planner.get(
        f"/planner/forums/{forum.slug}/overview",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
