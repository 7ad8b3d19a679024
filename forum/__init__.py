"""Themenforum: themed workshops from the QR code at the door to the plan update."""

from pathlib import Path

from flask import Flask
from flask_compress import Compress

from forum import config
from forum.auto_purge import register_auto_purge
from forum.database import register_database
from forum.extensions import babel, csrf, login_manager
from forum.held_polls import register_held_polls
from forum.i18n import select_locale
from forum.limits import register_limits
from forum.requests import CleanRequest
from forum.web import (
    register_errors,
    register_proxy,
    register_security_headers,
    register_template_helpers,
)

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create the application; refuses to start without a SECRET_KEY."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        # None: the folder beside the package; the demo's tests give one of their own.
        instance_path=(test_config or {}).get("INSTANCE_PATH"),
        template_folder=str(ROOT / "templates"),
    )
    app.request_class = CleanRequest
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config.settings(app.instance_path))
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY") and app.config.get("LOCAL_SECRET_KEY"):
        app.config["SECRET_KEY"] = config.local_secret(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: export SECRET_KEY=<random string> first.")
    config.check_secret_key(app.config["SECRET_KEY"], app.config.get("SECRET_KEY_MIN_BYTES", 0))

    register_database(app)
    register_limits(app)  # before CSRF, so a flood is turned away first
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    register_blueprints(app)
    register_errors(app)
    register_security_headers(app)
    Compress(app)  # stylesheets and scripts only, see COMPRESS_MIMETYPES
    register_template_helpers(app)
    register_auto_purge(app)
    register_held_polls(app)
    register_proxy(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Attach one blueprint per audience plus the health check."""
    from forum.auth import bp as auth_bp
    from forum.health import bp as health_bp
    from forum.i18n import bp as i18n_bp
    from forum.moderator import bp as moderator_bp
    from forum.pages import bp as pages_bp
    from forum.participant import bp as participant_bp
    from forum.planner import bp as planner_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(moderator_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(participant_bp)
    app.register_blueprint(planner_bp)
