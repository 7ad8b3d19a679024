"""The `forum` command: seed, demo, user accounts, and Flask's own commands (db, run, routes)."""

import secrets
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
from forum.models import Forum
from forum.services.accounts import save_account
from forum.services.auswertung import workspace
from forum.services.sample import load_sample, with_sample_groups
from forum.services.seeding import SeedError, load_seed, read_seed

DEMO_SEED = ROOT / "seed" / "dresden-fachplan-asyl-integration.toml"
# The 1. Themenforum's groups come from the seed; the 2. Themenforum's from its sample file.
DEMO_SAMPLES = [ROOT / "seed" / "sample" / f"themenforum-{n}.toml" for n in (1, 2)]
DEMO_FORUM = "themenforum-1"


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
@with_appcontext
def seed_command(path):
    """Load a process with its forums from a TOML seed file (idempotent)."""
    try:
        spec = read_seed(path)
    except SeedError as error:
        for problem in error.problems:
            click.echo(f"Fehler: {problem}", err=True)
        sys.exit(1)
    process = load_seed(spec)
    click.echo(f"Geladen: {process.title} mit {len(process.forums)} Veranstaltungen.")


@main.group("user")
def user_group():
    """Manage planner and moderator accounts."""


@user_group.command("add")
@click.argument("username")
@click.option("--name", "display_name", help="Anzeigename, z. B. 'Fr. Heyde'")
@click.option("--role", type=click.Choice(["planner", "moderator"]), default="planner")
@click.password_option(help="Passwort (wird abgefragt, wenn nicht angegeben)")
@with_appcontext
def user_add(username, display_name, role, password):
    """Create an account, or set the password and role of an existing one."""
    user = save_account(username.lower(), display_name or username, role, password)
    click.echo(f"Konto {user.username} ({user.role}) gespeichert.")


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
    uri = database or _demo_database()
    address = lan_address() if host == "0.0.0.0" else host
    base = f"http://{address}:{port}"
    app = create_app(
        {
            "LOCAL_SECRET_KEY": True,
            "SQLALCHEMY_DATABASE_URI": uri,
            # Phones in the Wi-Fi reach the demo by this address; it is also the only trusted host.
            "PUBLIC_URL": base if host == "0.0.0.0" else "",
            "TRUSTED_HOSTS": [address, *LOOPBACK_HOSTS],
        }
    )
    with app.app_context():
        password = prepare_demo(sample)
        forum = db.session.execute(db.select(Forum).filter_by(slug=DEMO_FORUM)).scalar_one()
        click.echo(
            f"\nThemenforum-Demo\n  Adresse:     {base}/login\n"
            f"  Anmeldung:   planung / {password}   (Planung)\n"
            f"  Beitritt:    {base}/j/{forum.join_code}\n"
            f"  Datenbank:   {current_app.config['SQLALCHEMY_DATABASE_URI']}\n"
            "  Moderation:"
        )
        for group, secret in moderator_passwords(forum).items():
            click.echo(f"    Gruppe {group.name:<7} {group.moderator.username} / {secret}")
    if not no_serve:
        # Flask's app.run() refuses to run inside a `flask`-style command, so serve directly.
        run_simple(host, port, app, threaded=True)


def lan_address() -> str:
    """This machine's address in the local network (no packet is sent), else loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def _demo_database() -> str:
    return f"sqlite:///{ROOT / 'instance' / 'forum.sqlite3'}"


def prepare_demo(sample: bool) -> str:
    """Migrate, seed, open the demo forum, reset the planner password; return that password."""
    upgrade_database()
    seed = read_seed(DEMO_SEED)
    for path in DEMO_SAMPLES:
        # Groups a sample brings stay when the seed is loaded again, with or without --sample.
        seed = with_sample_groups(seed, path, existing_only=not sample)
    process = load_seed(seed)
    forum = db.session.execute(db.select(Forum).filter_by(slug=DEMO_FORUM)).scalar_one()
    forum.is_open = True
    db.session.commit()
    if sample:
        for path in DEMO_SAMPLES:
            load_sample(path)
        # The Auswertung's suggested themes; a planner's curation stays as it is (it commits).
        workspace.suggest(process)
    password = secrets.token_urlsafe(9)
    save_account("planung", "Sozialplanung", "planner", password)
    return password


def moderator_passwords(forum: Forum) -> dict:
    """Give every moderator of the forum's groups a fresh demo password; return them per group."""
    passwords = {}
    for group in forum.groups:
        if group.moderator is not None:
            moderator = group.moderator
            passwords[group] = secrets.token_urlsafe(9)
            save_account(moderator.username, moderator.display_name, "moderator", passwords[group])
    return passwords
