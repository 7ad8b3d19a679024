"""Settings read from the environment; tests and the demo pass their own mapping."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1"]

# Saxony's enforcement body for public websites (SächsInklusG § 12, BfWebG); elsewhere set
# ACCESSIBILITY_ENFORCEMENT to the Land's own.
SAXON_ENFORCEMENT = (
    "Landesbeauftragter für Inklusion der Menschen mit Behinderungen; Sächsische Staatskanzlei; "
    "Archivstraße 1, 01097 Dresden; 0351 564-10715; info.inklusionsbeauftragter@sk.sachsen.de; "
    "https://www.inklusion.sachsen.de"
)


def database_url(instance_path: str) -> str:
    """Return DATABASE_URL, or the embedded SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    return f"sqlite:///{Path(instance_path) / 'forum.sqlite3'}"


def trusted_hosts(public_url: str) -> list[str]:
    """Host names the app answers to: TRUSTED_HOSTS, else PUBLIC_URL's host; loopback always."""
    listed = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",")]
    hosts = [host for host in listed if host]
    if not hosts and public_url:
        hosts = [urlsplit(public_url).hostname or ""]
    # Requests naming any other host get 400, so a forged Host header never reaches a QR code.
    return [host for host in hosts if host] + LOOPBACK_HOSTS


def settings(instance_path: str) -> dict:
    """Build the configuration mapping from the environment."""
    public_url = os.environ.get("PUBLIC_URL", "").rstrip("/")
    secure_default = "1" if public_url.startswith("https://") else ""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # Seconds after which a pooled database connection is replaced at its next checkout, so
        # that none outlives a server's or firewall's idle timeout (forum/database.py).
        "DATABASE_POOL_RECYCLE": int(os.environ.get("DATABASE_POOL_RECYCLE", "1800") or 1800),
        # Absolute base for join links and QR codes when behind a proxy, e.g. https://forum.example.de
        "PUBLIC_URL": public_url,
        "TRUSTED_HOSTS": trusted_hosts(public_url),
        # Number of reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto to believe.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0") or 0),
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        # The cookie is re-sent only when the session changes: a board poll every 1.5 s must not
        # re-sign it, nor overwrite a cookie that a form post just changed.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Served over HTTPS (PUBLIC_URL https://…): cookies only travel encrypted.
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", secure_default) == "1",
        # A participant may leave the board open for hours; the token lives as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "de",
        # Times are shown as the clocks in the forum's rooms read them, whatever the server's zone.
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "BOARD_POLL_SECONDS": 1.5,
        # A phone whose board is current waits this long for the next change before the answer
        # 304 (forum/held_polls.py); 0 turns holding off, and phones poll every 1.5 s.
        "LIVE_HOLD_SECONDS": float(os.environ.get("LIVE_HOLD_SECONDS", "10") or 0),
        # Polls held at once per process, each keeping a thread: below gunicorn's threads, so
        # that card posts and pages always find one (gunicorn.conf.py sets it from THREADS).
        "LIVE_HOLD_SEATS": int(os.environ.get("LIVE_HOLD_SEATS", "64") or 0),
        # Stylesheets and scripts travel compressed (a third of their size on venue Wi-Fi). Pages
        # and JSON do not: they hold the form token beside text others typed (BREACH).
        "COMPRESS_MIMETYPES": ["text/css", "text/javascript", "application/javascript"],
        **privacy_settings(),
        # Accessibility statement: who takes reports of barriers, and the enforcement body
        # (Durchsetzungsverfahren); lines separated by ";", e-mail, phone and web get links.
        "ACCESSIBILITY_CONTACT": os.environ.get("ACCESSIBILITY_CONTACT", ""),
        "ACCESSIBILITY_ENFORCEMENT": os.environ.get("ACCESSIBILITY_ENFORCEMENT", SAXON_ENFORCEMENT),
        # Rate-limit counters: unset, per worker (budgets) and a file beside the database that
        # the workers share (failed sign-ins; forum/limits.py); redis://host:6379 shares all.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", ""),
    }


def privacy_settings() -> dict:
    """Who the privacy notice names, and how long data is kept; empty names read neutrally."""
    env = os.environ.get
    return {
        "ORGANISER_NAME": env("ORGANISER_NAME", ""),
        "ORGANISER_ADDRESS": env("ORGANISER_ADDRESS", ""),  # lines separated by ";"
        "PRIVACY_CONTACT": env("PRIVACY_CONTACT", ""),
        "DPO_CONTACT": env("DPO_CONTACT", ""),
        "SUPERVISORY_AUTHORITY": env(
            "SUPERVISORY_AUTHORITY", "Sächsische Datenschutz- und Transparenzbeauftragte"
        ),
        "SUPERVISORY_AUTHORITY_URL": env(
            "SUPERVISORY_AUTHORITY_URL", "https://www.datenschutz.sachsen.de/"
        ),
        # What the server's log rotation keeps; the notice states it, the app cannot enforce it.
        "LOG_RETENTION_DAYS": int(env("LOG_RETENTION_DAYS", "7") or 7),
        # How often each process looks for forums due for the automatic purge; 0 = only by cron.
        "PURGE_CHECK_SECONDS": int(env("PURGE_CHECK_SECONDS", "3600") or 0),
    }


def check_secret_key(key: str | bytes, min_bytes: int) -> None:
    """Refuse a key shorter than min_bytes: it signs every session cookie and form token."""
    size = len(key.encode() if isinstance(key, str) else key)
    if size < min_bytes:
        raise RuntimeError(
            f"SECRET_KEY is too short: {size} bytes, at least {min_bytes} needed. Create one with "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )


def local_secret(instance_path: str) -> str:
    """Return this installation's own random key for the demo and CLI, creating it once."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
