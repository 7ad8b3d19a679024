"""Public information pages for everyone: privacy notice and accessibility statement."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from forum.pages import accessibility, privacy  # noqa: E402,F401
