"""A failed sign-in costs the same password hashing whether or not the username exists."""

import hashlib

from forum.extensions import db
from forum.models import User
from tests.forms import form


def test_unknown_and_known_usernames_cost_the_same_hashing(app, monkeypatch):
    planner = User(username="planung", display_name="Sozialplanung", role="planner")
    planner.set_password("richtig-gutes-passwort")  # scrypt, as every account made by `forum user`
    db.session.add_all([planner, User(username="ohne", display_name="Ohne Passwort")])
    db.session.commit()
    scrypt, hashed = hashlib.scrypt, []

    def counted_scrypt(password, **cost):
        hashed.append({name: cost[name] for name in ("n", "r", "p")})
        return scrypt(password, **cost)

    monkeypatch.setattr(hashlib, "scrypt", counted_scrypt)
    costs = {}
    for username in ["planung", "niemand", "ohne"]:  # known, unknown, known without password
        browser = app.test_client()
        _, data = form(browser.get("/login").text, username=username, password="falsch-geraten")
        hashed.clear()
        assert browser.post("/login", data=data).status_code == 200
        assert hashed, f"no password was hashed for {username!r}"
        costs[username] = hashed[-1]
    assert costs["niemand"] == costs["ohne"] == costs["planung"]
