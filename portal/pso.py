"""Domain rules of Social Return at Wonen Limburg, as pure functions without Flask.

The obligation engine (levels, policy rules, status) joins this module in a later step;
for now it holds the rule that identifies a supplier: its KvK number.
"""

import re

KVK_LENGTH = 8
_DIGITS = re.compile(r"[0-9]+")


def normalise_kvk(value: str) -> str | None:
    """The 8-digit KvK number in `value`, or None when it is not one.

    Spaces and dots people type between groups are ignored. Seven digits are read as a number
    whose leading zero a spreadsheet dropped, because purchasing exports pass through Excel.
    """
    cleaned = re.sub(r"[\s.]", "", value or "")
    if not _DIGITS.fullmatch(cleaned):
        return None
    if len(cleaned) == KVK_LENGTH - 1:
        cleaned = "0" + cleaned
    return cleaned if len(cleaned) == KVK_LENGTH else None
