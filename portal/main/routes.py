from flask import render_template
from sqlalchemy import text

from portal.auth.decorators import login_required
from portal.extensions import db
from portal.main import bp


@bp.route("/")
@login_required
def dashboard():
    return render_template("main/dashboard.html")


@bp.route("/healthz")
def healthz():
    """For load balancers and monitoring: 200 only when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
