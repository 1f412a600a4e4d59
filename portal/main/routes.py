from flask import render_template
from flask_login import current_user
from sqlalchemy import text

from portal.auth.decorators import login_required
from portal.certificates import services as certificate_services
from portal.clock import local_today
from portal.extensions import db
from portal.main import bp
from portal.obligations import explain, overview
from portal.obligations import services as obligation_services
from portal.stories import moderation as story_moderation
from portal.stories import services as story_services
from portal.stories import totals as story_totals


@bp.route("/")
@login_required
def dashboard():
    if current_user.is_staff:
        obligation_services.current_statuses(local_today())
        return render_template("main/dashboard.html",
                               pending_certificates=certificate_services.pending_count(),
                               counts=overview.counts(), explain=explain,
                               stories_to_moderate=story_moderation.queue_count(),
                               story_totals=story_totals.totals())
    picture = obligation_services.Picture(current_user.organisation,
                                          local_today(), years=1)
    return render_template("main/dashboard.html", picture=picture, explain=explain,
                           story_counts=story_services.state_counts(current_user.organisation_id))


@bp.route("/healthz")
def healthz():
    """For load balancers and monitoring: 200 only when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
