"""Health check for load balancers and monitoring."""

from flask import Blueprint
from sqlalchemy import text

from forum.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means the database is not usable
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}, 200
