"""The accessibility statement: the parts the law asks for, the configured contacts as links."""

from forum.pages.accessibility import ContactLine, contact_lines


def test_statement_has_the_sections_a_public_body_must_publish(client):
    page = client.get("/barrierefreiheit", headers={"Accept-Language": "de"})
    assert page.status_code == 200
    text = page.text
    for heading in [
        "Erklärung zur Barrierefreiheit",
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Barrieren melden: Feedback und Kontakt",
        "Durchsetzungsverfahren",
    ]:
        assert heading in text
    assert "WCAG) 2.1 auf Stufe AA" in text and "EN 301 549" in text
    assert "teilweise vereinbar" in text
    assert "21. November 2026" in text
    # Without a configured contact the page still says whom to ask, and names Saxony's body.
    assert "beim Team vor Ort" in text
    assert "Landesbeauftragter für Inklusion der Menschen mit Behinderungen" in text
    assert 'href="mailto:info.inklusionsbeauftragter@sk.sachsen.de"' in text


def test_addresses_stay_german_and_left_to_right_on_an_arabic_page(client):
    text = client.get("/barrierefreiheit", headers={"Accept-Language": "ar"}).text
    assert 'dir="rtl"' in text
    # Else a screen reader reads the address with Arabic rules and 0351 564-10715 is reordered.
    assert '<p class="contact" lang="de" dir="ltr">Landesbeauftragter' in text


def test_configured_contact_and_enforcement_body_are_shown_as_links(app, client):
    app.config["ACCESSIBILITY_CONTACT"] = (
        "Sozialamt, Sozialplanung; barrierefreiheit@example.de; 0351 488-1234"
    )
    app.config["ACCESSIBILITY_ENFORCEMENT"] = "Schlichtungsstelle; https://schlichtung.example.de"
    app.config["ORGANISER_NAME"] = "Landeshauptstadt Beispielstadt"
    text = client.get("/barrierefreiheit", headers={"Accept-Language": "de"}).text
    assert "Landeshauptstadt Beispielstadt ist bemüht" in text
    assert '<a href="mailto:barrierefreiheit@example.de">barrierefreiheit@example.de</a>' in text
    assert '<a href="tel:03514881234">0351 488-1234</a>' in text
    assert '<a href="https://schlichtung.example.de">' in text
    assert "beim Team vor Ort" not in text
    assert "Landesbeauftragter" not in text


def test_contact_lines_link_what_can_be_followed():
    assert contact_lines(" Amt ;; a@b.de; +49 351 488-0; http://x.de; PLZ 01097 ") == [
        ContactLine("Amt"),
        ContactLine("a@b.de", "mailto:a@b.de"),
        ContactLine("+49 351 488-0", "tel:+493514880"),
        ContactLine("http://x.de", "http://x.de"),
        ContactLine("PLZ 01097"),
    ]
    assert contact_lines("") == []


def test_every_page_links_the_statement(client):
    for path in ["/login", "/datenschutz", "/gibt-es-nicht"]:
        assert 'href="/barrierefreiheit"' in client.get(path).text
