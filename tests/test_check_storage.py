"""`flask --app portal check-storage`: every certificate file present and unaltered, or exit 1."""

import pytest

from portal.storage import get_storage
from tests import factories


@pytest.fixture
def run(app, db_session):
    runner = app.test_cli_runner()
    return lambda: runner.invoke(args=["check-storage"])


def test_all_files_present_and_intact(run, db):
    factories.certificate()
    factories.certificate(state="verified")
    db.session.commit()
    result = run()
    assert result.exit_code == 0, result.output
    assert "All 2 certificate files are present" in result.output


def test_a_missing_file_is_reported_and_exits_1(run, db):
    kept = factories.certificate()
    lost = factories.certificate(number="PSO-WEG")
    db.session.commit()
    get_storage().delete(lost.file_key)
    result = run()
    assert result.exit_code == 1
    assert f"certificate {lost.id}" in result.output and "PSO-WEG" in result.output
    assert "file missing" in result.output and "1 of 2" in result.output
    assert f"certificate {kept.id} " not in result.output


def test_an_altered_file_is_reported_and_exits_1(app, run, db):
    altered = factories.certificate()
    db.session.commit()
    path = get_storage()._path(altered.file_key)
    path.write_bytes(path.read_bytes() + b"\n% a bad restore")
    result = run()
    assert result.exit_code == 1
    assert "SHA-256 differs" in result.output
