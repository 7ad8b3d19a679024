"""Participant audience: phones that joined by QR code; no account, a token in the session."""

from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/j")

from forum.participant import board, event, join, measures, timer  # noqa: E402,F401  (register the routes)
