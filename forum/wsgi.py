"""WSGI entry point for gunicorn: `gunicorn forum.wsgi:app` (needs SECRET_KEY, 32 bytes or more)."""

from forum import create_app

# A served app signs real people's cookies: a short key could be guessed offline from one of them.
app = create_app({"SECRET_KEY_MIN_BYTES": 32})
