"""Domain rules in portal.pso, without a database or a request."""

import pytest

from portal.pso import normalise_kvk


@pytest.mark.parametrize("value, expected", [
    ("14012345", "14012345"),
    ("1401 2345", "14012345"),
    ("14.01.23.45", "14012345"),
    ("4012345", "04012345"),  # a spreadsheet dropped the leading zero
    (" 04012345 ", "04012345"),
])
def test_valid_kvk_numbers(value, expected):
    assert normalise_kvk(value) == expected


@pytest.mark.parametrize("value", ["", "123456", "140123456", "1401234a", "NL14012345",
                                   "-4012345", "١٤٠١٢٣٤٥"])
def test_invalid_kvk_numbers(value):
    assert normalise_kvk(value) is None
