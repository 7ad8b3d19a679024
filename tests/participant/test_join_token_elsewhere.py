"""A join form's token already used in another forum: a fresh form, no 500, no names in the log."""

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Participant
from forum.services.joining import token_hash
from tests.forms import form

NAME, ORGANISATION = "Quirin Zwetschgenbaum", "Xylophonverein Ost e. V."


def test_a_token_from_another_forum_gets_a_fresh_form_and_logs_no_names(app, make_forum, caplog):
    caplog.set_level(logging.DEBUG)
    first, second = make_forum(), make_forum()
    phone = app.test_client()
    _, data = form(phone.get(f"/j/{first.join_code}").text, org_type="volunteer", name=NAME)
    assert phone.post(f"/j/{first.join_code}", data=data).status_code == 302

    # The same form, token and all, sent to the second forum.
    _, fresh = form(phone.get(f"/j/{second.join_code}").text)
    data = {**data, "csrf_token": fresh["csrf_token"], "organisation": ORGANISATION}
    response = phone.post(f"/j/{second.join_code}", data=data)

    assert response.status_code == 422
    assert "Das Formular ist abgelaufen. Bitte senden Sie es noch einmal." in response.text
    assert f'value="{NAME}"' in response.text and ORGANISATION in response.text
    _, again = form(response.text)
    assert again["token"] != data["token"]
    assert NAME not in caplog.text and "Zwetschgenbaum" not in caplog.text
    assert ORGANISATION not in caplog.text

    # Sent again as the page offers, it joins the second forum as a participant of its own.
    assert phone.post(f"/j/{second.join_code}", data=again).status_code == 302
    people = db.session.execute(db.select(Participant.forum_id)).scalars().all()
    assert sorted(people) == sorted([first.id, second.id])


def test_database_errors_never_carry_the_statements_values(app, make_forum):
    forum = make_forum()
    taken = token_hash("a" * 22)
    db.session.add(Participant(forum_id=forum.id, token_hash=taken, org_type="volunteer"))
    db.session.commit()
    db.session.add(
        Participant(
            forum_id=forum.id,
            token_hash=taken,
            org_type="volunteer",
            name=NAME,
            organisation=ORGANISATION,
        )
    )
    with pytest.raises(IntegrityError) as error:
        db.session.commit()
    db.session.rollback()
    # This text is what an unhandled error writes into the log.
    assert "Zwetschgenbaum" not in str(error.value) and "Xylophon" not in str(error.value)
