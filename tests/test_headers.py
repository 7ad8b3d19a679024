"""Every response forbids inline script and framing; nothing may come from elsewhere."""


def test_pages_send_a_strict_content_security_policy(client, make_forum):
    forum = make_forum()
    for url in [f"/j/{forum.join_code}", "/login", "/healthz"]:
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_contain_no_inline_script_or_foreign_urls(
    client, make_forum, join_as_participant
):
    forum = make_forum()
    phone, _ = join_as_participant(forum)
    for url in [f"/j/{forum.join_code}/group", f"/j/{forum.join_code}/board"]:
        html = phone.get(url).text
        assert "<script>" not in html and " style=" not in html
        assert "https://" not in html and "http://cdn" not in html


def test_server_errors_show_a_plain_page_without_internals(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Etwas ist schiefgegangen" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text
