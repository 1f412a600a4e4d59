from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal import markdown, permissions, routing, views
from portal.auth.decorators import login_required, supplier_required
from portal.clock import local_today
from portal.exceptions import DomainError
from portal.extensions import db
from portal.stories import bp, facts, moderation, search, services, totals
from portal.stories.forms import ReasonForm, StoryForm
from portal.stories.models import Story

# The browser keeps a copy of an unsaved story under this key (static/js/stories.js); the
# page after a successful save tells it to forget that copy.
SAVED_KEY = "story_saved_form"


def load(story_id) -> Story:
    """The story, if the current user may see it; another organisation's draft is a 404.
    Its organisation and the text online come along: every story page shows them."""
    return views.load(Story, story_id, permissions.can_view_story,
                      options=(joinedload(Story.organisation),
                               joinedload(Story.published_revision)))


def _load_editable(story_id) -> Story:
    # A supplier learns nothing about another organisation's stories: 404, not 403.
    return views.load(Story, story_id, permissions.can_edit_story)


def _filters() -> search.Filters:
    args = request.args
    year = args.get("year", type=int)
    return search.Filters(
        q=args.get("q", "").strip()[:200],
        target_group=args.get("target_group") if args.get("target_group")
        in facts.TARGET_GROUPS else "",
        placement_kind=args.get("placement_kind") if args.get("placement_kind")
        in facts.PLACEMENT_KINDS else "",
        municipality=args.get("municipality") if args.get("municipality")
        in facts.MUNICIPALITIES else "",
        year=year if year and 2000 <= year <= 2100 else None,
    )


@bp.route("/stories")
@login_required
def index():
    filters = _filters()
    summed = totals.totals()
    result = search.page_of(filters, routing.page_number(request.args.get("page")), summed)
    return render_template("stories/index.html", result=result, filters=filters,
                           years=summed.years, totals=summed)


@bp.route("/stories/mine")
@supplier_required
def mine():
    return render_template("stories/mine.html",
                           stories=services.stories_of(current_user.organisation_id))


@bp.route("/stories/<int:story_id>")
@login_required
def show(story_id):
    return render_story(load(story_id))


def render_story(story, *, error=None, reason_form=None, status=200):
    """The story page; with `error` (and the reason typed) when an action on it was refused.
    Only its organisation and staff see the actions, so only they get the reason's form."""
    insider = permissions.sees_story_internals(current_user, story)
    if insider and reason_form is None:
        reason_form = ReasonForm(formdata=None)
    return render_template(
        "stories/show.html", story=story, revision=story.shown_revision, insider=insider,
        can_edit=permissions.can_edit_story(current_user, story),
        level=services.organisation_level(story.organisation_id, local_today()),
        others=search.other_stories(story), reason_form=reason_form, error=error,
        forget=session.pop(SAVED_KEY, None),
    ), status


def _render_form(form, story=None, status=200):
    preview = None
    if len(form.body.data or "") > markdown.MAX_SOURCE_LENGTH:
        # Refused unrendered: the limit is what bounds the time rendering takes.
        if not form.body.errors:  # the "Voorbeeld" button does not validate the form
            form.body.errors = [str(services.BODY_TOO_LONG)]
    elif form.body.data:
        preview = markdown.render(form.body.data)
    if status == 200 and (form.errors or form.form_errors):
        status = 422
    return render_template("stories/form.html", form=form, story=story,
                           preview=preview), status


def _saved(story, submitted: bool):
    if submitted:
        flash(_("Uw verhaal is opgeslagen en ingediend. Een moderator van Wonen Limburg "
                "beoordeelt het; u krijgt daarover een e-mail."), "success")
    else:
        flash(_("Uw verhaal is opgeslagen als concept. Dien het in als het klaar is."),
              "success")
    session[SAVED_KEY] = request.path
    return redirect(url_for("stories.show", story_id=story.id), 303)


@bp.route("/stories/new", methods=["GET", "POST"])
@supplier_required
def new():
    form = StoryForm()
    action = request.form.get("action", "save")
    if request.method == "POST" and action == "preview":
        return _render_form(form)  # nothing is stored
    if form.validate_on_submit():
        def create():
            story = services.create(current_user, form.fields())
            if action == "submit":
                services.submit(current_user, story)
            return story

        story = views.attempt(form, create)
        if story is not views.REFUSED:
            return _saved(story, action == "submit")
    return _render_form(form)


@bp.route("/stories/<int:story_id>/edit", methods=["GET", "POST"])
@supplier_required
def edit(story_id):
    story = _load_editable(story_id)
    latest = story.latest
    form = StoryForm(obj=latest)
    if request.method == "GET":
        form.version.data = services.version_of(story)
        if not latest.is_draft:
            form.consent.data = False  # a new version needs the declaration again
    action = request.form.get("action", "save")
    if request.method == "POST" and action == "preview":
        return _render_form(form, story)
    if form.validate_on_submit():
        def save():
            services.save(current_user, story, form.fields(), form.version.data or None)
            if action == "submit":
                services.submit(current_user, story)

        def after_conflict(error):
            if isinstance(error, services.EditConflict):
                form.version.data = services.version_of(story)  # saving again overwrites

        if views.attempt(form, save, on_refusal=after_conflict) is not views.REFUSED:
            return _saved(story, action == "submit")
    return _render_form(form, story)


@bp.route("/stories/<int:story_id>/submit", methods=["POST"])
@supplier_required
def submit(story_id):
    story = _load_editable(story_id)
    try:
        services.submit(current_user, story)
    except DomainError as error:
        db.session.rollback()
        return render_story(story, error=error.message, status=422)
    db.session.commit()
    flash(_("Uw verhaal is ingediend. Een moderator van Wonen Limburg beoordeelt het; u "
            "krijgt daarover een e-mail."), "success")
    return redirect(url_for("stories.show", story_id=story.id), 303)


@bp.route("/stories/preview", methods=["POST"])
@supplier_required
def preview():
    """The live preview: the body rendered by the same code that publishes it."""
    body = request.form.get("body", "")
    if len(body) > markdown.MAX_SOURCE_LENGTH:
        return jsonify(error=str(services.BODY_TOO_LONG)), 422  # refused unrendered, as in the form
    return jsonify(html=markdown.render(body))


@bp.route("/stories/<int:story_id>/unpublish", methods=["POST"])
@supplier_required
def take_offline(story_id):
    """The organisation takes its own story offline, e.g. when someone withdraws consent."""
    story = _load_editable(story_id)
    return unpublish_by(story, done=_("Het verhaal is offline gehaald. Alleen uw organisatie "
                                      "en Wonen Limburg zien het nog."))


def unpublish_by(story, done):
    form = ReasonForm()
    if views.attempt(form, moderation.unpublish, current_user, story,
                     form.reason.data or "") is views.REFUSED:
        return render_story(story, reason_form=form, status=422)
    flash(done, "success")
    return redirect(url_for("stories.show", story_id=story.id), 303)
