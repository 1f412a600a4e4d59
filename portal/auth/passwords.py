"""Password hashing and the password policy."""

import gzip
from functools import cache
from importlib import resources

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

# A valid hash of a password nobody has, checked when an e-mail address is unknown so that
# an unknown address costs the same time as a known one.
_DUMMY = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY:
            _DUMMY[method] = generate_password_hash("no such password", method=method)
        check_password_hash(_DUMMY[method], password)
        return False
    return check_password_hash(password_hash, password)


@cache
def common_passwords() -> frozenset[str]:
    data = resources.files("portal").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def password_problem(password: str, email: str | None = None):
    """Why `password` may not be used, or None when it may."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _l("Kies een wachtwoord van minstens %(n)d tekens.", n=minimum)
    if len(password) > 200:
        return _l("Kies een wachtwoord van hoogstens 200 tekens.")
    lowered = password.lower()
    if _variants(lowered) & common_passwords():
        return _l("Dit wachtwoord komt voor op een lijst van veelgebruikte wachtwoorden. "
                  "Kies een ander.")
    if email and lowered in {email.lower(), email.split("@")[0].lower()}:
        return _l("Uw wachtwoord mag niet gelijk zijn aan uw e-mailadres.")
    if len(set(password)) < 4 or password.isdigit():
        return _l("Dit wachtwoord is te eenvoudig te raden. Kies een ander.")
    return None


def _variants(lowered: str) -> set[str]:
    """The password and what people make of a common one to pass a length rule.

    "passwordpassword", "welkom2026!" and "!!qwerty" are as guessable as what they extend.
    """
    found = {lowered, lowered.strip(_PADDING), lowered.rstrip(_PADDING)}
    half = len(lowered) // 2
    if len(lowered) % 2 == 0 and lowered[:half] == lowered[half:]:
        found.add(lowered[:half])
    return found - {""}


_PADDING = "0123456789!@#$%^&*()-_=+.,?/ "
