"""`forum purge-personal-data`: delete participants' personal data, by hand or when due."""

import click
from flask.cli import with_appcontext

from forum.extensions import db
from forum.models import Forum
from forum.services.purge import purge_due, purge_forum


@click.command("purge-personal-data")
@click.option(
    "--forum", "slugs", multiple=True, metavar="KURZNAME", help="Dieses Forum (mehrfach möglich)."
)
@click.option("--due", is_flag=True, help="Alle Foren, deren eingestellte Frist abgelaufen ist.")
@with_appcontext
def purge_command(slugs, due):
    """Delete names, organisations and phone links of participants; cards and measures stay."""
    if bool(slugs) == due:
        raise click.UsageError("Bitte entweder --forum KURZNAME oder --due angeben.")
    if due:
        done = purge_due()
        if not done:
            click.echo("Keine Löschung fällig.")
    else:
        done = [(forum, purge_forum(forum)) for forum in [_forum(slug) for slug in slugs]]
    for forum, count in done:
        click.echo(
            f"{forum.slug}: personenbezogene Daten von {count} Teilnehmenden gelöscht; "
            "Karten, Maßnahmen und Punkte bleiben."
        )


def _forum(slug: str) -> Forum:
    forum = db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one_or_none()
    if forum is None:
        raise click.UsageError(f"Forum „{slug}“ gibt es nicht.")
    return forum
