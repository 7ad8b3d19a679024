"""Run due purges from the app itself, at most once per interval and process, between requests.

Cron (`forum purge-personal-data --due`) is the dependable way; this catches installations
without one. The check is one query when nothing is due.
"""

import threading
from time import monotonic

from flask import Flask, current_app

from forum.extensions import db
from forum.services.purge import purge_due

_lock = threading.Lock()


def register_auto_purge(app: Flask) -> None:
    """Look for due purges before a request once every PURGE_CHECK_SECONDS (0: never)."""
    app.extensions["auto_purge_next"] = 0.0

    @app.before_request
    def purge_when_due():
        interval = current_app.config["PURGE_CHECK_SECONDS"]
        if not interval or monotonic() < app.extensions["auto_purge_next"]:
            return
        # One thread checks; the others go on serving instead of waiting for it.
        if not _lock.acquire(blocking=False):
            return
        try:
            app.extensions["auto_purge_next"] = monotonic() + interval
            run_due_purges(app)
        finally:
            _lock.release()


def run_due_purges(app: Flask) -> None:
    """Purge what is due; a failure is logged and never breaks the visitor's request."""
    try:
        for forum, count in purge_due():
            app.logger.info("Automatic purge of %s: %d participants", forum.slug, count)
    except Exception:
        db.session.rollback()
        app.logger.exception("Automatic purge failed; it is tried again later")
