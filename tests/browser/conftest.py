"""A real Chromium (Debian's package, driven by Playwright) against a server on a free port."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.browser


def chromium_path():
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip("Chromium not found: install it with `apt-get install chromium` "
                    "(Debian's package; .ci/run does this) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served on 127.0.0.1 on a free port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(browser, live_server, db_session, app):
    # Requests arrive with Host 127.0.0.1:port, not the SERVER_NAME of the other tests.
    original = app.config["SERVER_NAME"]
    app.config["SERVER_NAME"] = None
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()
    app.config["SERVER_NAME"] = original
