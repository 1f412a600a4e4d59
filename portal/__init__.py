"""The Social Return supplier portal of Wonen Limburg."""

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config, routing


def create_app(test_config=None):
    """Build the app: settings, extensions, blueprints, commands, error pages.

    Never touches the schema: `flask --app portal db upgrade` does that, once, on purpose.
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.from_mapping(test_config)
    config.finish(app)

    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    if not app.debug:
        logging.basicConfig(level=logging.INFO)

    register_extensions(app)
    routing.init_app(app)  # before the blueprints: their routes use its converters
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    return app


def register_extensions(app):
    import portal.models  # noqa: F401 - every mapper configured before the first query
    from portal import i18n, security
    from portal.auth import sessions
    from portal.extensions import babel, csrf, db, login_manager, migrate
    from portal.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    i18n.init_app(app)
    login_manager.init_app(app)
    sessions.init_login_manager(login_manager)
    security.init_app(app)

    from portal import templating

    templating.init_app(app)


def register_blueprints(app):
    from portal.auth import bp as auth_bp
    from portal.certificates import bp as certificates_bp
    from portal.contracts import bp as contracts_bp
    from portal.main import bp as main_bp
    from portal.obligations import bp as obligations_bp
    from portal.staff import bp as staff_bp
    from portal.stories import bp as stories_bp
    from portal.suppliers import bp as suppliers_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(suppliers_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(obligations_bp)
    app.register_blueprint(contracts_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(stories_bp)


def register_commands(app):
    from portal import cli

    cli.init_app(app)


def register_errorhandlers(app):
    from portal import errors

    errors.init_app(app)
