"""Success stories: suppliers write them, moderators publish them, everyone logged in reads them."""

from flask import Blueprint

bp = Blueprint("stories", __name__)


@bp.record_once
def _template_globals(state):
    # The dashboard (another blueprint) shows story facts too, so the labels are app-wide.
    from portal.stories import facts

    state.app.jinja_env.globals.update(
        STORY_TARGET_GROUPS=facts.TARGET_GROUPS, STORY_PLACEMENT_KINDS=facts.PLACEMENT_KINDS,
        STORY_STATE_LABELS=facts.STATE_LABELS, STORY_MUNICIPALITIES=facts.MUNICIPALITIES,
        STORY_REVISION_LABELS=facts.REVISION_STATE_LABELS)


from portal.stories import moderation_routes, routes  # noqa: E402, F401
