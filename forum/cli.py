"""The `forum` command: seed, demo, user accounts, and Flask's own commands (db, run, routes)."""

import socket
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from werkzeug.serving import run_simple

from forum import ROOT, create_app
from forum.cli_exports import export_group, import_group
from forum.cli_privacy import purge_command
from forum.config import LOOPBACK_HOSTS
from forum.database import upgrade_database
from forum.extensions import db
from forum.models import Forum, User
from forum.services.accounts import AccountError, delete_account, save_account
from forum.services.auswertung import workspace
from forum.services.demo_passwords import FILE_NAME as PASSWORDS_FILE
from forum.services.demo_passwords import keep_passwords
from forum.services.sample import load_sample, with_sample_groups
from forum.services.seeding import SeedError, load_seed, read_seed, unlisted

DEMO_SEED = ROOT / "seed" / "dresden-fachplan-asyl-integration.toml"
# The 1. Themenforum's groups come from the seed; the 2. Themenforum's from its sample file.
DEMO_SAMPLES = [ROOT / "seed" / "sample" / f"themenforum-{n}.toml" for n in (1, 2)]
DEMO_FORUM = "themenforum-1"
DEMO_DB = "forum.sqlite3"
# None: the package's instance folder; tests point the demo at a folder of their own.
DEMO_INSTANCE = None


def cli_app():
    """App for command-line use: without SECRET_KEY it uses this installation's own key."""
    return create_app({"LOCAL_SECRET_KEY": True})


@click.group(cls=FlaskGroup, create_app=cli_app, add_version_option=False)
def main():
    """Themenforum: Themenforen von QR-Code bis Fachplan-DOCX."""


main.add_command(export_group)
main.add_command(import_group)
main.add_command(purge_command)


@main.command("seed")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--prune",
    is_flag=True,
    help="Auch löschen, was die Datei nicht mehr nennt (nie etwas mit Ergebnissen).",
)
@with_appcontext
def seed_command(path, prune):
    """Add and update a process with its forums from a TOML seed file (idempotent)."""
    try:
        spec = read_seed(path)
        process = load_seed(spec, prune=prune)
    except SeedError as error:
        refuse(error)
    click.echo(f"Geladen: {process.title} mit {len(process.forums)} Veranstaltungen.")
    kept = unlisted(process, spec)
    if kept:
        click.echo(f"Nicht in der Datei, bleibt (löschen mit --prune): {', '.join(kept)}")


def refuse(error: SeedError) -> None:
    """Print each problem on one line and exit 1; the database is as it was."""
    for problem in error.problems:
        click.echo(f"Fehler: {problem}", err=True)
    click.echo("Nichts geändert.", err=True)
    sys.exit(1)


@main.group("user")
def user_group():
    """Manage planner and moderator accounts."""


@user_group.command("add")
@click.argument("username")
@click.option("--name", "display_name", help="Anzeigename, z. B. 'Fr. Heyde' (sonst bleibt er)")
@click.option(
    "--role",
    type=click.Choice(["planner", "moderator"]),
    default=None,
    help="Rolle; ohne Angabe bleibt sie, ein neues Konto bekommt 'planner'.",
)
@click.password_option(help="Passwort (wird abgefragt, wenn nicht angegeben)")
@with_appcontext
def user_add(username, display_name, role, password):
    """Create an account, or set the password (and the name or role, if given) of an existing one."""
    username = username.strip().lower()
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    try:
        user = save_account(
            username,
            display_name or (user.display_name if user else username),
            role or (user.role if user else "planner"),
            password,
        )
    except AccountError as error:
        click.echo(f"Fehler: {error}", err=True)
        sys.exit(1)
    click.echo(f"Konto {user.username} ({user.role}) gespeichert.")


@user_group.command("delete")
@click.argument("username")
@with_appcontext
def user_delete(username):
    """Delete an account; its groups lose their moderator. The last planner stays."""
    username = username.strip().lower()
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        click.echo(f"Fehler: Konto {username} gibt es nicht.", err=True)
        sys.exit(1)
    try:
        delete_account(user)
    except AccountError as error:
        click.echo(f"Fehler: {error}", err=True)
        sys.exit(1)
    click.echo(f"Konto {username} gelöscht.")


@main.command("demo")
@click.option(
    "--sample",
    is_flag=True,
    help="Das 1. und 2. Themenforum mit Beispielergebnissen füllen, Themen vorschlagen.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="0.0.0.0 für Telefone im WLAN."
)
@click.option("--port", default=5000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Nur vorbereiten, keinen Server starten.")
@click.option("--database", default=None, help="Andere Datenbank als instance/forum.sqlite3.")
def demo(sample, host, port, no_serve, database):
    """Prepare the embedded SQLite demo with the Dresden seed and start a local server."""
    instance = Path(DEMO_INSTANCE or ROOT / "instance")
    address = lan_address() if host == "0.0.0.0" else host
    base = f"http://{address}:{port}"
    app = create_app(
        {
            "LOCAL_SECRET_KEY": True,
            # The secret key and the demo's passwords live here; tests use a folder of their own.
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": database or f"sqlite:///{instance / DEMO_DB}",
            # Phones in the Wi-Fi reach the demo by this address; it is also the only trusted host.
            "PUBLIC_URL": base if host == "0.0.0.0" else "",
            "TRUSTED_HOSTS": [address, *LOOPBACK_HOSTS],
        }
    )
    with app.app_context():
        try:
            prepare_demo(sample)
        except SeedError as error:
            refuse(error)
        forum = db.session.execute(db.select(Forum).filter_by(slug=DEMO_FORUM)).scalar_one()
        moderators = {g.moderator for g in forum.groups if g.moderator is not None}
        accounts = [("planung", "Sozialplanung", "planner")] + [
            (user.username, user.display_name, "moderator")
            for user in sorted(moderators, key=lambda user: user.username)
        ]
        sign_ins = keep_passwords(app.instance_path, accounts)
        click.echo(
            f"\nThemenforum-Demo\n  Adresse:     {base}/login\n"
            f"  Anmeldung:   {shown(sign_ins['planung'])}   (Planung)\n"
            f"  Beitritt:    {base}/j/{forum.join_code}\n"
            f"  Datenbank:   {current_app.config['SQLALCHEMY_DATABASE_URI']}\n"
            "  Moderation:"
        )
        for group in forum.groups:
            if group.moderator is not None:
                click.echo(
                    f"    Gruppe {group.name:<7} {shown(sign_ins[group.moderator.username])}"
                )
        click.echo(f"  Passwörter:  {Path(app.instance_path) / PASSWORDS_FILE}")
    if not no_serve:
        # Flask's app.run() refuses to run inside a `flask`-style command, so serve directly.
        run_simple(host, port, app, threaded=True)


def shown(sign_in) -> str:
    """One account's sign-in as the demo prints it."""
    if sign_in.password:
        return f"{sign_in.username} / {sign_in.password}"
    return f"{sign_in.username} / ({sign_in.note}; neu setzen: forum user add {sign_in.username})"


def lan_address() -> str:
    """This machine's address in the local network (no packet is sent), else loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def prepare_demo(sample: bool) -> None:
    """Migrate, add the seed (console changes stay), open the demo forum, add samples once.

    Makes sure the planner account `planung` exists; its password is kept by keep_passwords().
    """
    upgrade_database()
    seed = read_seed(DEMO_SEED)
    for path in DEMO_SAMPLES:
        # Groups a sample brings stay when the seed is loaded again, with or without --sample.
        seed = with_sample_groups(seed, path, existing_only=not sample)
    process = load_seed(seed)
    forum = db.session.execute(db.select(Forum).filter_by(slug=DEMO_FORUM)).scalar_one()
    forum.is_open = True
    if db.session.execute(db.select(User).filter_by(username="planung")).first() is None:
        # Its password comes from keep_passwords(), which the demo command calls next.
        db.session.add(User(username="planung", display_name="Sozialplanung", role="planner"))
    db.session.commit()
    if sample:
        for path in DEMO_SAMPLES:
            load_sample(path)
        # The Auswertung's suggested themes; a planner's curation stays as it is (it commits).
        workspace.suggest(process)
