"""Demo success stories for `seed-demo`: two online, one waiting in the moderation queue.

Written directly as rows (no e-mail goes out for them), through the same Markdown renderer as
real stories. The people in them are made up.
"""

from datetime import date, datetime, time, timedelta

from portal import markdown
from portal.clock import AMSTERDAM
from portal.extensions import db
from portal.states import RevisionState, StoryState
from portal.stories.models import Story, StoryRevision

# (supplier index in portal.demo.SUPPLIERS, state, days ago, facts, title, summary, body)
STORIES = [
    (0, StoryState.PUBLISHED, 40,
     {"target_group": "participatiewet", "placement_kind": "werkervaringsplaats",
      "people_count": 2, "municipality": "Venlo"},
     "Van werkervaringsplaats naar vast contract",
     "Twee bewoners uit Venlo begonnen bij ons met een werkervaringsplaats. Allebei werken ze "
     "nu met een vast contract in onze onderhoudsploeg.",
     "## Hoe het begon\n\nVia het werkgeversservicepunt kwamen **Rachid** en **Marloes** bij "
     "ons langs. Ze hadden allebei lang geen werk gehad.\n\n## Wat hielp\n\n"
     "- een vaste collega als maatje;\n- elke week een kort gesprek met de uitvoerder;\n"
     "- een VCA-cursus in de eerste maand.\n\n> \"Ik sta weer elke ochtend om zes uur op, en "
     "dat voelt goed.\"\n\nMeer weten? Mail ons via [inkoop@wonenlimburg.nl]"
     "(mailto:inkoop@wonenlimburg.nl)."),
    (1, StoryState.PUBLISHED, 200,
     {"target_group": "jongere_zonder_startkwalificatie", "placement_kind": "bbl_leerbaan",
      "people_count": 1, "municipality": "Roermond"},
     "Lars haalt zijn diploma als schilder",
     "Lars stopte op zijn zeventiende met school. Met een BBL-leerbaan bij ons haalde hij "
     "alsnog zijn diploma.",
     "Lars werkte vier dagen per week mee in de ploeg en ging één dag naar school.\n\n"
     "| Jaar | Wat |\n|---|---|\n| 1 | Leerling |\n| 2 | Diploma schilder niveau 2 |\n\n"
     "Hij werkt nu bij ons als *gezel*."),
    (2, StoryState.SUBMITTED, 2,
     {"target_group": "statushouder", "placement_kind": "stage",
      "people_count": 1, "municipality": "Gulpen-Wittem"},
     "Stage in de installatietechniek",
     "Een statushouder liep drie maanden stage bij ons en leerde het vak van monteur.",
     "Samen met de gemeente Gulpen-Wittem regelden we een stageplaats met taalbegeleiding."),
]


def seed(members: list, moderator, today: date) -> None:
    """Add the demo stories; `members` is [(organisation, admin)] in the order of SUPPLIERS."""
    for index, state, days_ago, facts, title, summary, body in STORIES:
        organisation, author = members[index]
        day = today - timedelta(days=days_ago)
        moment = datetime.combine(day, time(10, 0), AMSTERDAM)
        story = Story(organisation=organisation, state=StoryState.DRAFT, created_by=author,
                      created_at=moment)
        waiting = state == StoryState.SUBMITTED
        revision = StoryRevision(
            number=1, state=RevisionState.SUBMITTED if waiting else RevisionState.APPROVED,
            title=title, summary=summary, body=body, body_html=markdown.render(body), consent=True,
            created_by=author, created_at=moment, updated_at=moment, submitted_by=author,
            submitted_at=moment, **facts)
        story.revisions.append(revision)
        db.session.add(story)
        db.session.flush()
        if state == StoryState.PUBLISHED:
            revision.decided_by, revision.decided_at = moderator, moment
            story.state, story.published_revision_id = StoryState.PUBLISHED, revision.id
            story.published_at, story.published_on = moment, day
            for name, value in facts.items():
                setattr(story, name, value)
        else:
            story.state = StoryState.SUBMITTED
    db.session.flush()
