"""The privacy notice, and forums that delete their personal data on their own when due."""

from datetime import date, datetime, timedelta
from time import monotonic

import pytest

from forum.cli import main
from forum.extensions import db
from forum.models import Forum, Participant
from forum.models.common import utcnow
from forum.services import purge
from forum.services.seed_export import process_toml
from forum.services.seeding import load_seed, read_seed

DAYS = 30


def berlin_today() -> date:
    return purge.local_time(utcnow()).date()


@pytest.fixture
def held_on(make_forum, join_as_participant):
    """Return a function making a forum held `days_ago`, whose participants joined that day."""

    def make(days_ago: int, purge_after_days=DAYS, open=False) -> Forum:
        day = berlin_today() - timedelta(days=days_ago)
        forum = make_forum(date=day, purge_after_days=purge_after_days or "never")
        for name in ("Erika Mustermann", "Yusuf Demir"):
            join_as_participant(forum, name=name, organisation="Afropa e. V.")
        # They joined on the day of the forum, at ten in the morning.
        joined = purge.utc_time(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))
        db.session.execute(
            db.update(Participant).where(Participant.forum_id == forum.id).values(joined_at=joined)
        )
        forum.is_open = open
        db.session.commit()
        return forum

    return make


def names_kept(forum: Forum) -> int:
    db.session.expire_all()
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(Participant)
        .where(Participant.forum_id == forum.id, Participant.name.is_not(None))
    )


def run_due(app):
    result = app.test_cli_runner().invoke(main, ["purge-personal-data", "--due"])
    assert result.exit_code == 0, result.output
    return result.output


def test_due_run_purges_a_forum_past_its_days_and_no_other(app, held_on):
    past = held_on(DAYS + 1)
    recent = held_on(DAYS - 1)
    never = held_on(3650, purge_after_days=None)

    output = run_due(app)

    assert f"{past.slug}: personenbezogene Daten von 2 Teilnehmenden gelöscht" in output
    assert (names_kept(past), names_kept(recent), names_kept(never)) == (0, 2, 2)
    assert db.session.get(Forum, past.id).personal_data_purged_at is not None
    assert db.session.get(Forum, recent.id).personal_data_purged_at is None
    assert run_due(app) == "Keine Löschung fällig.\n"


def test_late_activity_postpones_the_purge(app, held_on, join_as_participant):
    # The date was entered wrongly or the forum was reopened: someone joined only yesterday.
    forum = held_on(DAYS + 5, open=True)
    _, late = join_as_participant(forum, name="Spät Dazugekommen")
    late.joined_at = purge.utc_time(datetime.combine(berlin_today(), datetime.min.time()))
    db.session.commit()
    run_due(app)
    assert names_kept(forum) == 3


def test_someone_joining_after_a_purge_is_purged_when_due_again(app, held_on, join_as_participant):
    forum = held_on(DAYS + 1)
    run_due(app)
    forum.is_open = True
    db.session.commit()
    _, late = join_as_participant(forum, name="Nachzüglerin")
    assert names_kept(forum) == 1
    run_due(app)  # joined just now: not due yet
    assert names_kept(forum) == 1
    assert purge.privacy_status(forum).pending == 1
    later = utcnow() + timedelta(days=DAYS + 2)
    assert [f.slug for f, count in purge.purge_due(later)] == [forum.slug]
    assert names_kept(forum) == 0


def test_a_forum_dated_by_month_ends_with_its_month(app):
    forum = Forum(date=date(2025, 6, 1), date_precision="month", purge_after_days=30)
    # The end of June on Berlin's clock, then 30 calendar days: 31 July, 0:00 summer time.
    assert purge.forum_end(forum) == datetime(2025, 6, 30, 22, 0)
    assert purge.purge_due_at(forum) == datetime(2025, 7, 30, 22, 0)


def test_days_count_on_berlins_clock_across_the_change_to_winter_time(app):
    forum = Forum(date=date(2025, 10, 1), purge_after_days=30)
    # 1 October ends at 22:00 UTC (summer time); 31 October begins at 23:00 UTC (winter time).
    assert purge.purge_due_at(forum) == datetime(2025, 10, 31, 23, 0)


def test_the_app_purges_due_forums_by_itself_at_most_once_an_hour(
    app, client, held_on, monkeypatch
):
    past = held_on(DAYS + 1)  # its join requests were the app's first: nothing was due then
    clock = [monotonic() + 3601]  # an hour later
    monkeypatch.setattr("forum.auto_purge.monotonic", lambda: clock[0])
    client.get("/datenschutz")
    assert names_kept(past) == 0
    second = held_on(DAYS + 2)
    client.get("/datenschutz")  # within the hour: no second look
    assert names_kept(second) == 2
    clock[0] += 3601
    client.get("/datenschutz")
    assert names_kept(second) == 0


def test_the_automatic_check_can_be_left_to_cron(app, client, held_on, monkeypatch):
    app.config["PURGE_CHECK_SECONDS"] = 0
    past = held_on(DAYS + 1)
    monkeypatch.setattr("forum.auto_purge.monotonic", lambda: monotonic() + 86400)
    client.get("/datenschutz")
    assert names_kept(past) == 2


def test_a_failing_automatic_purge_does_not_break_the_page(app, client, held_on, monkeypatch):
    held_on(DAYS + 1)

    def broken(now=None):
        raise RuntimeError("database is locked")

    monkeypatch.setattr("forum.auto_purge.purge_due", broken)
    monkeypatch.setattr("forum.auto_purge.monotonic", lambda: monotonic() + 86400)
    response = client.get("/datenschutz")
    assert response.status_code == 200 and "Wer ist verantwortlich?" in response.text


# --- the seed file and the console say the same about the setting ---


def seed_text(purge_line: str = "") -> str:
    return f"""
[process]
slug = "fachplan"
title = "Fachplan"
guiding_goals = ["Leitziel"]

[[forum]]
slug = "themenforum-1"
title = "Gemeinwesenarbeit und Ehrenamt"
date = 2025-01-23
{purge_line}
"""


def load(tmp_path, text: str) -> Forum:
    path = tmp_path / "seed.toml"
    path.write_text(text, encoding="utf-8")
    load_seed(read_seed(path))
    db.session.expire_all()
    return db.session.execute(db.select(Forum)).scalar_one()


def test_seed_sets_days_or_never_and_exports_them_back(app, tmp_path):
    assert load(tmp_path, seed_text()).purge_after_days == 30  # a new forum: the default
    assert load(tmp_path, seed_text("purge_after_days = 7")).purge_after_days == 7
    forum = load(tmp_path, seed_text('purge_after_days = "never"'))
    assert forum.purge_after_days is None
    exported = process_toml(forum.process)
    assert 'purge_after_days = "never"' in exported
    assert load(tmp_path, exported).purge_after_days is None


def test_reloading_a_file_without_the_key_keeps_the_forums_setting(app, tmp_path):
    # An older seed file loaded again after the upgrade must not start deleting anything.
    load(tmp_path, seed_text('purge_after_days = "never"'))
    assert load(tmp_path, seed_text()).purge_after_days is None


@pytest.mark.parametrize("value", ["0", "true", '"nie"'])
def test_seed_refuses_a_bad_setting_with_the_field_named(app, tmp_path, value):
    path = tmp_path / "seed.toml"
    path.write_text(seed_text(f"purge_after_days = {value}"), encoding="utf-8")
    from forum.services.seeding import SeedError

    with pytest.raises(SeedError) as error:
        read_seed(path)
    assert "forum[themenforum-1].purge_after_days" in str(error.value)


# --- the notice ---


def test_notice_covers_what_article_13_asks_for_in_neutral_words(client):
    page = client.get("/datenschutz").text
    for heading in [
        "Wer ist verantwortlich?",
        "Was wird gespeichert?",
        "Wozu, und auf welcher Grundlage?",
        "Wer bekommt die Daten?",
        "Wie lange?",
        "Ihre Rechte",
    ]:
        assert f"<h2>{heading}</h2>" in page
    assert "Verantwortlich ist die veranstaltende Stelle, die zu dem Forum eingeladen hat." in page
    assert "Art. 6 Abs. 1 Buchst. e DSGVO" in page and "Art. 77 DSGVO" in page
    assert "Sächsische Datenschutz- und Transparenzbeauftragte" in page
    assert "Das Sitzungs-Cookie: höchstens 14 Tage." in page
    assert "Server-Protokolle: 7 Tage." in page
    assert "voreingestellt: 30 Tage nach dem Forum" in page


def test_notice_names_the_configured_organiser_and_contacts(app, client):
    app.config.update(
        ORGANISER_NAME="Landeshauptstadt Dresden, Sozialamt",
        ORGANISER_ADDRESS="Junghansstraße 2; 01277 Dresden",
        PRIVACY_CONTACT="sozialplanung@dresden.de",
        DPO_CONTACT="Behördlicher Datenschutzbeauftragter, datenschutz@dresden.de",
        SUPERVISORY_AUTHORITY="Landesbeauftragte für Datenschutz Beispielland",
        SUPERVISORY_AUTHORITY_URL="https://datenschutz.example.de/",
        LOG_RETENTION_DAYS=3,
    )
    page = client.get("/datenschutz").text
    assert "Verantwortlich ist Landeshauptstadt Dresden, Sozialamt." in page
    assert "Junghansstraße 2<br>01277 Dresden" in page
    assert '<a href="mailto:sozialplanung@dresden.de">sozialplanung@dresden.de</a>' in page
    assert "Behördlicher Datenschutzbeauftragter, datenschutz@dresden.de" in page
    assert "Landesbeauftragte für Datenschutz Beispielland" in page
    assert "Sächsische" not in page
    assert "Server-Protokolle: 3 Tage." in page


def test_notice_from_the_join_form_gives_that_forums_deletion_day(client, make_forum):
    forum = make_forum(date="2025-01-23")
    join_page = client.get(f"/j/{forum.join_code}").text
    link = f'href="/datenschutz?forum={forum.join_code}"'
    assert "Name und Organisation sind freiwillig – siehe" in join_page and link in join_page
    page = client.get(f"/datenschutz?forum={forum.join_code}").text
    assert forum.title in page
    assert "werden 30 Tage nach dem Forum gelöscht, voraussichtlich am 23. Februar 2025." in page
    # The process's organiser stands in for an unset ORGANISER_NAME.
    forum.process.organiser = "Landeshauptstadt Dresden, Sozialamt – Sozialplanung"
    db.session.commit()
    page = client.get(f"/datenschutz?forum={forum.join_code}").text
    assert "Verantwortlich ist Landeshauptstadt Dresden, Sozialamt – Sozialplanung." in page
    # An unknown code gives the general notice, without saying anything about forums.
    general = client.get("/datenschutz?forum=AAAAAAAAAAAAAAAAAAAAAA")
    assert general.status_code == 200 and "Für dieses Forum" not in general.text


def test_notice_after_the_purge_says_so(app, client, make_forum):
    forum = make_forum(date="2025-01-23")
    purge.purge_forum(forum)
    page = client.get(f"/datenschutz?forum={forum.join_code}").text
    assert "Namen und Organisationen wurden am" in page and "gelöscht." in page
