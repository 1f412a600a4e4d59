"""What day it is for the portal: Wonen Limburg's day, in Europe/Amsterdam.

Moments are stored in UTC (portal.db.utcnow); days, such as the day a status is computed for
or a story is published on, are Dutch days: a certificate ending today is valid until
midnight in Limburg, not in UTC. Every feature asks this module, so none has to import another
feature to learn the date.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    """Today where Wonen Limburg is."""
    return datetime.now(AMSTERDAM).date()
