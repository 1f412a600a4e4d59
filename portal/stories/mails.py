"""E-mail about stories: moderators hear of a new submission, authors of every decision.

Each message goes out in its recipient's language. The author is the person who submitted the
revision; when that account no longer works, the organisation's active admins are told instead,
so a decision never goes unheard.
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal import mail
from portal.auth.models import Role, User
from portal.extensions import db

SIGNATURE = "Wonen Limburg, team Inkoopadvies"


def _can_receive(user: User | None) -> bool:
    return user is not None and user.active and not user.is_pending


def _locale(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def moderators() -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.role == Role.STAFF.value, User.is_moderator.is_(True), User.active.is_(True),
        User.password_hash.is_not(None)).order_by(User.id)))


def authors(revision) -> list[User]:
    """Who hears about a decision on `revision`."""
    person = revision.submitted_by or revision.created_by
    if _can_receive(person):
        return [person]
    return list(db.session.scalars(select(User).where(
        User.organisation_id == revision.story.organisation_id,
        User.role == Role.SUPPLIER_ADMIN.value, User.active.is_(True),
        User.password_hash.is_not(None)).order_by(User.id)))


def new_submission(revision) -> None:
    story = revision.story
    link = mail.external_url("stories.moderation_queue")
    for person in moderators():
        with force_locale(_locale(person)):
            if story.published_revision_id is None:
                kind = _("een nieuw succesverhaal")
            else:
                kind = _("een wijziging van een gepubliceerd succesverhaal")
            mail.send(
                person.email,
                _("Te beoordelen: %(title)s", title=revision.title),
                _("Beste %(name)s,\n\n%(organisation)s heeft %(kind)s ingediend: "
                  "\"%(title)s\".\n\nBeoordeel het in de wachtrij:\n\n%(link)s\n\n%(signature)s",
                  name=person.name, organisation=story.organisation.name, kind=kind,
                  title=revision.title, link=link, signature=SIGNATURE),
            )


def approved(revision) -> None:
    link = mail.external_url("stories.show", story_id=revision.story_id)
    for person in authors(revision):
        with force_locale(_locale(person)):
            mail.send(
                person.email,
                _("Uw succesverhaal staat online: %(title)s", title=revision.title),
                _("Beste %(name)s,\n\nEen moderator van Wonen Limburg heeft uw succesverhaal "
                  "\"%(title)s\" goedgekeurd. Het staat nu online voor alle ketenpartners:"
                  "\n\n%(link)s\n\nDank u wel voor het delen.\n\n%(signature)s",
                  name=person.name, title=revision.title, link=link, signature=SIGNATURE),
            )


def rejected(revision) -> None:
    story = revision.story
    link = mail.external_url("stories.edit", story_id=revision.story_id)
    for person in authors(revision):
        with force_locale(_locale(person)):
            if story.is_public:
                kept = _("De eerder gepubliceerde versie blijft online.")
            else:
                kept = _("Het verhaal is niet gepubliceerd.")
            mail.send(
                person.email,
                _("Uw succesverhaal is afgekeurd: %(title)s", title=revision.title),
                _("Beste %(name)s,\n\nEen moderator van Wonen Limburg heeft \"%(title)s\" "
                  "afgekeurd. %(kept)s\n\nDe reden:\n\n%(reason)s\n\nPas het verhaal aan en "
                  "dien het opnieuw in:\n\n%(link)s\n\n%(signature)s",
                  name=person.name, title=revision.title, kept=kept,
                  reason=revision.rejection_reason, link=link, signature=SIGNATURE),
            )


def unpublished(story, actor) -> None:
    revision = story.published_revision
    link = mail.external_url("stories.show", story_id=story.id)
    for person in authors(revision):
        if person.id == actor.id:
            continue  # who took it offline knows
        with force_locale(_locale(person)):
            mail.send(
                person.email,
                _("Uw succesverhaal is offline gehaald: %(title)s", title=revision.title),
                _("Beste %(name)s,\n\n%(actor)s heeft \"%(title)s\" offline gehaald. De reden:"
                  "\n\n%(reason)s\n\nU kunt het verhaal aanpassen en opnieuw indienen:"
                  "\n\n%(link)s\n\n%(signature)s",
                  name=person.name, actor=actor.name, title=revision.title,
                  reason=story.unpublish_reason, link=link, signature=SIGNATURE),
            )
