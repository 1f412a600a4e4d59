"""The moderators' pages: the queue, approve, reject and take offline."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import routing
from portal.auth.decorators import moderator_required
from portal.exceptions import DomainError
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.stories import bp, moderation
from portal.stories.forms import ReasonForm
from portal.stories.routes import load, unpublish_by


def render_queue(*, conflict=None, errors=None, reasons=None, status=200):
    """The queue; after a refused decision with the reason the moderator typed kept."""
    return render_template("stories/moderation.html", revisions=moderation.queue(),
                           confirm_form=ConfirmForm(), conflict=conflict,
                           errors=errors or {}, reasons=reasons or {}), status


@bp.route("/staff/moderation")
@moderator_required
def moderation_queue():
    return render_queue()


@bp.route("/staff/stories/<int:story_id>/approve", methods=["POST"])
@moderator_required
def approve(story_id):
    story = load(story_id)
    try:
        revision = moderation.approve(current_user, story,
                                      request.form.get("revision", type=routing.record_id))
    except DomainError as error:
        db.session.rollback()
        return render_queue(conflict={"message": error.message, "story": story}, status=422)
    db.session.commit()
    flash(_("\"%(title)s\" van %(organisation)s is gepubliceerd.", title=revision.title,
            organisation=story.organisation.name), "success")
    return redirect(url_for("stories.moderation_queue"), 303)


@bp.route("/staff/stories/<int:story_id>/reject", methods=["POST"])
@moderator_required
def reject(story_id):
    story = load(story_id)
    reason = ReasonForm().reason.data or ""  # the service refuses an empty reason
    try:
        revision = moderation.reject(current_user, story, reason,
                                     request.form.get("revision", type=routing.record_id))
    except moderation.DecisionConflict as error:
        db.session.rollback()
        return render_queue(conflict={"message": error.message, "story": story,
                                      "reason": reason.strip()}, status=422)
    except DomainError as error:
        db.session.rollback()
        return render_queue(errors={story.id: error.message}, reasons={story.id: reason},
                            status=422)
    db.session.commit()
    flash(_("\"%(title)s\" van %(organisation)s is afgekeurd; de schrijver krijgt de reden per "
            "e-mail.", title=revision.title, organisation=story.organisation.name), "success")
    return redirect(url_for("stories.moderation_queue"), 303)


@bp.route("/staff/stories/<int:story_id>/unpublish", methods=["POST"])
@moderator_required
def unpublish(story_id):
    return unpublish_by(load(story_id), done=_("Het verhaal is offline gehaald; de schrijver "
                                               "krijgt de reden per e-mail."))
