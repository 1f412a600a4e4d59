"""How the portal names the PSO levels to people, in Dutch first (Flask-Babel translates).

The levels themselves are `portal.pso.Level`, pure and untranslated; forms, explanations and
templates all show them through this one table.
"""

from flask_babel import lazy_gettext as _l

from portal.pso import Level

LEVEL_LABELS = {
    Level.ASPIRANT: _l("Aspirant"),
    Level.BASISTREDE: _l("Basistrede"),
    Level.TREDE_1: _l("Trede 1"),
    Level.TREDE_2: _l("Trede 2"),
    Level.TREDE_3: _l("Trede 3"),
    Level.PSO_30PLUS: _l("PSO 30+"),
}


def resolved(labels: dict) -> dict:
    """`labels` translated now, for a page that shows them on every row of a table: a lazy
    label is translated again each time it is shown."""
    return {key: str(label) for key, label in labels.items()}
