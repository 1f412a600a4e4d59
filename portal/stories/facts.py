"""The fixed lists a story's facts are chosen from, with their Dutch labels.

The values are part of the interface contract (forms, filters, exports), so they never change;
only the labels are for people. Municipalities are stored by their official name.
"""

from flask_babel import lazy_gettext as _l

from portal.states import RevisionState, StoryState

TARGET_GROUPS = {
    "participatiewet": _l("Participatiewet (bijstand)"),
    "banenafspraak": _l("Banenafspraak / Wajong"),
    "wsw_beschut_werk": _l("Wsw / beschut werk"),
    "ww_langdurig": _l("Langdurig werkzoekend (WW)"),
    "statushouder": _l("Statushouder"),
    "jongere_zonder_startkwalificatie": _l("Jongere zonder startkwalificatie"),
    "vijftig_plus": _l("50-plusser"),
    "overig": _l("Overige doelgroep"),
}

PLACEMENT_KINDS = {
    "betaalde_baan": _l("Betaalde baan"),
    "werkervaringsplaats": _l("Werkervaringsplaats"),
    "bbl_leerbaan": _l("BBL-leerbaan"),
    "stage": _l("Stage"),
    "inkoop_sociale_onderneming": _l("Inkoop bij een sociale onderneming"),
    "overig": _l("Andere plaatsing"),
}

# The 31 municipalities of Limburg since the merger into Beekdaelen (1 January 2019),
# spelled as the CBS does.
MUNICIPALITIES = (
    "Beek", "Beekdaelen", "Beesel", "Bergen (L.)", "Brunssum", "Echt-Susteren",
    "Eijsden-Margraten", "Gennep", "Gulpen-Wittem", "Heerlen", "Horst aan de Maas", "Kerkrade",
    "Landgraaf", "Leudal", "Maasgouw", "Maastricht", "Meerssen", "Mook en Middelaar",
    "Nederweert", "Peel en Maas", "Roerdalen", "Roermond", "Simpelveld", "Sittard-Geleen",
    "Stein", "Vaals", "Valkenburg aan de Geul", "Venlo", "Venray", "Voerendaal", "Weert",
)

STATE_LABELS = {
    StoryState.DRAFT: _l("Concept"),
    StoryState.SUBMITTED: _l("Wacht op beoordeling"),
    StoryState.PUBLISHED: _l("Gepubliceerd"),
    StoryState.REJECTED: _l("Afgekeurd"),
    StoryState.UNPUBLISHED: _l("Offline gehaald"),
}

REVISION_STATE_LABELS = {
    RevisionState.DRAFT: _l("Concept"),
    RevisionState.SUBMITTED: _l("Wacht op beoordeling"),
    RevisionState.APPROVED: _l("Goedgekeurd"),
    RevisionState.REJECTED: _l("Afgekeurd"),
    RevisionState.WITHDRAWN: _l("Teruggehaald"),
}

# Limits of the form fields, shared by the form (shape) and the service (rules).
TITLE_MAX = 150
SUMMARY_MAX = 500
PEOPLE_MAX = 1000
