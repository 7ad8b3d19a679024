"""WSGI entry point for gunicorn: `gunicorn forum.wsgi:app` (needs SECRET_KEY)."""

from forum import create_app

app = create_app()
