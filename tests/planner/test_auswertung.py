"""The Auswertung workspace: suggested themes across forums, curated by planners, kept safe."""

from forum.extensions import db
from forum.models import Card, Measure, Theme, ThemeCard
from forum.services.auswertung import decisions, workspace
from tests.conftest import csrf_of
from tests.forms import form

PARAPHRASES = [
    ("weakness", "Unklar, wer zuständig ist"),
    ("weakness", "Zuständigkeiten sind unklar"),
    ("weakness", "Unklare Zuständigkeiten zwischen den Ämtern"),
    ("weakness", "Lange Wartezeiten auf einen Integrationskurs"),
    ("weakness", "Wartelisten für Integrationskurse sind zu lang"),
    ("strength", "Stadtteilvereine sind gut vernetzt"),
    ("strength", "Gute Vernetzung der Stadtteilvereine untereinander"),
    ("strength", "Der Fußballtreff in Gorbitz läuft seit Jahren"),
]


def add_cards(forums) -> list[Card]:
    cards = []
    for n, (quadrant, text) in enumerate(PARAPHRASES):
        group = forums[n % len(forums)].groups[n % 4]
        cards.append(Card(group_id=group.id, quadrant=quadrant, text=text))
    db.session.add_all(cards)
    db.session.commit()
    return cards


def url(forum, tail=""):
    return f"/planner/processes/{forum.process.slug}/auswertung{tail}"


def theme_of(card) -> Theme | None:
    placement = db.session.get(ThemeCard, card.id)
    return placement.theme if placement else None


def suggest(planner, forum):
    page = planner.get(url(forum)).text
    action, data = form(page, "/vorschlagen")
    assert planner.post(action, data=data).status_code == 302


def test_suggestions_group_paraphrases_of_different_forums(planner, make_forum):
    first, second = make_forum(), make_forum(number=2, title="Arbeitsmarkt")
    cards = add_cards([first, second])
    suggest(planner, first)
    unclear = {theme_of(c) for c in cards[:3]}
    assert len(unclear) == 1 and None not in unclear
    assert theme_of(cards[3]) == theme_of(cards[4]) is not None
    assert theme_of(cards[7]) is None  # the football club stands alone
    page = planner.get(url(first)).text
    assert "2 Foren" in page and "3 Karten" in page and "Einzelnes" in page
    assert "Der Fußballtreff in Gorbitz läuft seit Jahren" in page


def test_renaming_marking_and_moving_survive_new_suggestions(planner, make_forum):
    forum = make_forum()
    cards = add_cards([forum])
    suggest(planner, forum)
    theme = theme_of(cards[0])
    page = planner.get(url(forum)).text
    action, data = form(page, f"/themen/{theme.id}/titel", title="Zuständigkeiten klären")
    assert planner.post(action, data=data).status_code == 302
    action, data = form(planner.get(url(forum)).text, f"/themen/{theme.id}/fachplan")
    assert planner.post(action, data=data).status_code == 302
    # The football card, on its own so far, becomes a theme of its own by hand.
    token = csrf_of(planner.get(url(forum)).text)
    moved = {"csrf_token": token, "card": str(cards[7].id), "target": "new"}
    assert planner.post(url(forum, "/karten"), data=moved).status_code == 302
    suggest(planner, forum)
    db.session.expire_all()
    theme = db.session.get(Theme, theme.id)
    assert theme.title == "Zuständigkeiten klären" and theme.for_plan and theme.curated
    assert {theme_of(c).id for c in cards[:3]} == {theme.id}
    football = theme_of(cards[7])
    assert football is not None and football.curated  # a planner's new theme stays


def test_a_second_planner_is_told_instead_of_overwriting(planner, make_forum, app):
    forum = make_forum()
    cards = add_cards([forum])
    suggest(planner, forum)
    theme = theme_of(cards[0])
    stale = planner.get(url(forum)).text
    action, data = form(stale, f"/themen/{theme.id}/titel", title="Erste Fassung")
    assert planner.post(action, data=data).status_code == 302
    action, data = form(stale, f"/themen/{theme.id}/titel", title="Zweite Fassung, getippt")
    answer = planner.post(action, data=data)
    assert answer.status_code == 409
    assert "inzwischen geändert" in answer.text and "Zweite Fassung, getippt" in answer.text
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).title == "Erste Fassung"


def test_merging_two_themes_keeps_all_cards(planner, make_forum):
    forum = make_forum()
    cards = add_cards([forum])
    suggest(planner, forum)
    keep, other = theme_of(cards[0]).id, theme_of(cards[3]).id
    page = planner.get(url(forum)).text
    action, data = form(page, f"/themen/{keep}/zusammenfuehren", other=str(other))
    assert planner.post(action, data=data).status_code == 302
    db.session.expire_all()
    assert {theme_of(c).id for c in cards[:5]} == {keep}
    assert db.session.get(Theme, other) is None


def test_hostile_titles_get_a_clear_message_and_are_kept(planner, make_forum):
    forum = make_forum()
    cards = add_cards([forum])
    suggest(planner, forum)
    theme = theme_of(cards[0])
    page = planner.get(url(forum)).text
    for title in ["x" * 301, "   ", "\x00\x01"]:
        action, data = form(page, f"/themen/{theme.id}/titel", title=title)
        answer = planner.post(action, data=data)
        assert answer.status_code == 422 and "höchstens 300 Zeichen" in answer.text
    action, data = form(page, f"/themen/{theme.id}/titel", title="{{ 7*7 }} ‏عنوان")
    planner.post(action, data=data)
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).title == "{{ 7*7 }} ‏عنوان"
    assert "{{ 7*7 }}" in planner.get(url(forum)).text


def test_service_refuses_moves_across_quadrants(make_forum):
    forum = make_forum()
    cards = add_cards([forum])
    workspace.suggest(forum.process)
    strength = theme_of(cards[5])
    versions = {strength.id: strength.version}
    try:
        workspace.move_cards(forum.process, [cards[7], cards[0]], strength, versions)
    except ValueError:
        db.session.rollback()
    else:
        raise AssertionError("a weakness card moved into a strength theme")
    assert theme_of(cards[0]).quadrant == "weakness"


def test_curation_survives_a_json_backup_byte_for_byte(planner, make_forum, app, tmp_path):
    from forum import create_app
    from forum.cli import main
    from forum.database import upgrade_database
    from tests.dbutil import app_config

    forum = make_forum()
    cards = add_cards([forum])
    workspace.suggest(forum.process)
    theme = theme_of(cards[0])
    workspace.rename(theme, "Zuständigkeiten klären", theme.version)
    workspace.move_cards(forum.process, [cards[7]], None, {})  # on its own, by a planner
    measure = Measure(group_id=cards[0].group_id, title="Zuständigkeiten je Stadtbezirk klären")
    db.session.add(measure)
    db.session.commit()
    decisions.decide(
        forum.process,
        measure,
        decision="defer",
        reason="Wartet auf den Haushalt 2027",
        goal_id=forum.process.guiding_goals[0].id,
        theme_ids=[theme.id],
        version=measure.version,
    )
    first = tmp_path / "sicherung.json"
    assert (
        app.test_cli_runner().invoke(main, ["export", "json", "--out", str(first)]).exit_code == 0
    )
    assert "Zuständigkeiten klären" in first.read_text(encoding="utf-8")
    other = create_app(app_config(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    with other.app_context():
        upgrade_database()
        runner = other.test_cli_runner()
        result = runner.invoke(main, ["import", "json", str(first)])
        assert result.exit_code == 0, result.output
        second = tmp_path / "zweite.json"
        assert runner.invoke(main, ["export", "json", "--out", str(second)]).exit_code == 0
        restored = db.session.execute(db.select(Theme).filter_by(title="Zuständigkeiten klären"))
        assert restored.scalar_one().curated
        kept = db.session.execute(db.select(Measure).filter_by(decision="defer")).scalar_one()
        assert [t.title for t in kept.themes] == ["Zuständigkeiten klären"]
        db.session.remove()
        db.engine.dispose()
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
