"""Fixtures and helpers the story tests share."""

import pytest

from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def author(login_as, db):
    user = factories.supplier_admin(name="Sam Schrijver")
    login_as(user)
    return user


def switch_to(client, login_as, user):
    """Log out whoever is logged in, then log in as `user`."""
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert login_as(user).status_code == 303
