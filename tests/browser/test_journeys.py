"""Whole journeys as people click through them, in Chromium, on the demo data.

The demo data (`seed-demo`) is the starting point; from there on every change is made through
the pages, never in the database: a supplier uploads, staff verify, staff import contracts.
"""

import csv
import io
from datetime import date, timedelta

import pytest

from portal import demo
from tests.browser.keyboard import (
    choose_file_with_space,
    focus_reaches_every_control,
    press_until,
    type_into,
)

pytestmark = pytest.mark.browser

STAFF, EVA, TOM, JAN = ("inkoop@wonenlimburg.example", "eva@schilders-roer.example",
                        "tom@installatie-geul.example", "jan@bouwbedrijf-maas.example")
TOM_KVK = "14034567"


@pytest.fixture
def demo_data(db):
    demo.seed()
    db.session.commit()


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(demo.PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")


def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login")


def status(page) -> str:
    return page.locator("#obligation-status").get_attribute("data-status")


def test_supplier_uploads_staff_verify_and_the_status_changes(page, demo_data, tmp_path):
    pdf = tmp_path / "pso-trede-2.pdf"
    pdf.write_bytes(demo.demo_pdf("PSO trede 2 Schildersbedrijf Roer"))
    today = date.today()

    log_in(page, EVA)
    page.get_by_role("link", name="PSO-verplichting").click()
    assert status(page) == "non_compliant"
    assert "minimaal PSO trede 2" in page.locator("main").inner_text()
    page.get_by_role("link", name="Certificaat uploaden").click()
    page.get_by_label("Trede").select_option(label="Trede 2")
    page.get_by_label("Certificaatnummer").fill("PSO-2026-0815")
    page.get_by_label("Datum van afgifte").fill((today - timedelta(days=3)).isoformat())
    page.get_by_label("Geldig tot en met").fill((today + timedelta(days=700)).isoformat())
    page.get_by_label("Certificaat (PDF, hoogstens 10 MB)").set_input_files(str(pdf))
    page.get_by_role("button", name="Uploaden").click()
    page.wait_for_url("**/certificates")
    assert "PSO-2026-0815" in page.locator("tr[data-state=pending]").inner_text()
    page.get_by_role("link", name="PSO-verplichting").click()
    assert status(page) == "pending"
    log_out(page)

    log_in(page, STAFF)
    page.get_by_role("link", name="Certificaten controleren").click()
    page.get_by_role("button", name="Goedkeuren PSO-2026-0815").click()
    assert "PSO-2026-0815 van Schildersbedrijf Roer is goedgekeurd" in page.content()
    log_out(page)

    log_in(page, EVA)
    page.get_by_role("link", name="PSO-verplichting").click()
    assert status(page) == "compliant"


STORY_TITLE = "Samira leert het schildersvak"
STORY_BODY = ("## Hoe het begon\n\nSamira kwam via de gemeente Roermond bij ons voor een "
              "**proefplaatsing** van drie maanden.\n\n- een vast maatje in de ploeg;\n"
              "- elke vrijdag een kort gesprek.")
REASON = "Haal de achternaam van Samira weg; zij gaf alleen toestemming voor haar voornaam."


def menu(page, name):
    """A link in the main menu (the dashboard repeats some of them)."""
    return page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name)


def queue_item(page, title):
    return page.locator("section.queue-item").filter(
        has=page.get_by_role("heading", name=title, exact=True))


def submit_and_open_in_the_queue(page):
    """The author submits and logs out; the moderator logs in and finds it in the queue."""
    page.get_by_role("button", name="Opslaan en indienen").click()
    page.wait_for_url("**/stories/*")
    assert page.locator("#story-state [data-state]").get_attribute("data-state") == "submitted"
    log_out(page)
    log_in(page, STAFF)
    menu(page, "Verhalen beoordelen").click()
    return queue_item(page, STORY_TITLE)


def test_story_written_rejected_mended_approved_and_found(page, demo_data, outbox):
    """Eva writes and submits, the moderator rejects with a reason, Eva mends and resubmits,
    the moderator approves, and Jan of another supplier finds it by searching."""
    log_in(page, EVA)
    menu(page, "Mijn verhalen").click()
    page.get_by_role("link", name="Schrijf een verhaal").click()
    page.get_by_label("Titel").fill(STORY_TITLE)
    page.get_by_label("Samenvatting").fill(
        "Samira Yilmaz begon met een proefplaatsing en werkt nu in onze ploeg.")
    page.get_by_label("Verhaal", exact=True).fill(STORY_BODY)
    preview = page.locator("#story-preview")
    preview.locator("strong", has_text="proefplaatsing").wait_for()  # rendered by the server
    assert preview.locator("h2", has_text="Hoe het begon").count() == 1
    assert preview.locator("li").count() == 2
    page.get_by_label("Doelgroep").select_option("statushouder")
    page.get_by_label("Soort plaatsing").select_option("werkervaringsplaats")
    page.get_by_label("Aantal mensen").fill("1")
    page.get_by_label("Gemeente").select_option("Roermond")
    page.get_by_label("De mensen over wie dit verhaal gaat").check()
    item = submit_and_open_in_the_queue(page)
    assert "proefplaatsing" in item.locator(".story-body strong").inner_text()
    item.get_by_label("Reden van afkeuren").fill(REASON)
    item.get_by_role("button", name="Afkeuren").click()
    page.wait_for_url("**/staff/moderation")
    assert "is afgekeurd" in page.locator(".flashes").inner_text()
    assert queue_item(page, STORY_TITLE).count() == 0
    log_out(page)
    assert [m for m in outbox if EVA in m["To"] and REASON in m.get_content()]

    log_in(page, EVA)
    menu(page, "Mijn verhalen").click()
    row = page.locator("tr[data-state=rejected]", has_text=STORY_TITLE)
    assert REASON in row.inner_text()
    row.get_by_role("link", name="Bewerken").click()
    assert REASON in page.locator(".notice").inner_text()
    page.get_by_label("Samenvatting").fill(
        "Samira begon met een proefplaatsing en werkt nu in onze ploeg.")
    consent = page.get_by_label("De mensen over wie dit verhaal gaat")
    assert not consent.is_checked()  # every new version needs the declaration again
    consent.check()
    item = submit_and_open_in_the_queue(page)
    assert "Yilmaz" not in item.inner_text()
    item.get_by_role("button", name="Goedkeuren en publiceren").click()
    page.wait_for_url("**/staff/moderation")
    assert "is gepubliceerd" in page.locator(".flashes").inner_text()
    log_out(page)

    log_in(page, JAN)
    menu(page, "Succesverhalen").click()
    page.get_by_label("Zoek in titel, samenvatting en tekst").fill("proefplaatsing")
    page.get_by_role("button", name="Zoek", exact=True).click()
    page.wait_for_url("**/stories?*q=proefplaatsing*")
    page.get_by_role("link", name=STORY_TITLE).click()
    assert page.get_by_role("heading", level=1).inner_text() == STORY_TITLE
    assert "Schildersbedrijf Roer" in page.locator(".story-meta").first.inner_text()
    assert "Yilmaz" not in page.locator("main").inner_text()


def import_file(tmp_path):
    path = tmp_path / "contracten.csv"
    year = date.today().year
    path.write_bytes(("\ufeffkvk;leverancier;referentie;omschrijving;startdatum;einddatum;"
                      f"jaarbedrag\r\n{TOM_KVK};Installatietechniek Geul;WL-{year}-900;"
                      f"Cv-ketels complex Heuvelland;01-01-{year};;\"€ 100.000,00\"\r\n"
                      ).encode())
    return path


def check_compliance_csv(download):
    text = open(download.path(), encoding="utf-8").read()  # noqa: SIM115 - read at once
    assert text.startswith("\ufeff")
    rows = {row["kvk"]: row for row in csv.DictReader(io.StringIO(text[1:]), delimiter=";")}
    assert rows[TOM_KVK]["status"] == "non_compliant"


def test_staff_import_contracts_see_a_supplier_move_and_export(page, demo_data, tmp_path):
    log_in(page, STAFF)
    page.get_by_role("link", name="Leveranciers", exact=True).click()
    assert page.locator(f"tr[data-kvk='{TOM_KVK}']").get_attribute("data-status") == \
        "not_required"
    page.get_by_role("link", name="Contracten inlezen").click()
    page.get_by_label("CSV-export van het inkoopsysteem").set_input_files(
        str(import_file(tmp_path)))
    page.get_by_role("button", name="Controleren").click()
    assert page.locator("[data-kind-count=new]").inner_text().endswith(": 1")
    assert page.locator("tr[data-kind=new]").count() == 1
    page.get_by_role("button", name="Bestand verwerken").click()
    assert "1 contracten toegevoegd" in page.locator(".flashes").inner_text()
    page.get_by_role("link", name="Naar het overzicht van leveranciers").click()
    assert page.locator(f"tr[data-kvk='{TOM_KVK}']").get_attribute("data-status") == \
        "non_compliant"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV").click()
    check_compliance_csv(download.value)


def test_the_import_journey_with_the_keyboard_alone(page, demo_data, tmp_path):
    """Tab, Enter and Space only; on every page, Tab reaches every control."""
    page.goto("/login")
    focus_reaches_every_control(page)
    press_until(page, "E-mailadres")
    type_into(page, STAFF)
    press_until(page, "Wachtwoord")
    type_into(page, demo.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    focus_reaches_every_control(page)

    press_until(page, "Contracten inlezen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/contracts/import")
    focus_reaches_every_control(page)
    press_until(page, "CSV-export van het inkoopsysteem")
    choose_file_with_space(page, str(import_file(tmp_path)))
    press_until(page, "Controleren")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/contracts/imports/*")
    focus_reaches_every_control(page)
    press_until(page, "Bestand verwerken")
    page.keyboard.press("Space")
    page.wait_for_load_state()
    assert "1 contracten toegevoegd" in page.locator(".flashes").inner_text()
    focus_reaches_every_control(page)

    press_until(page, "Naar het overzicht van leveranciers")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/suppliers")
    focus_reaches_every_control(page)
    assert page.locator(f"tr[data-kvk='{TOM_KVK}']").get_attribute("data-status") == \
        "non_compliant"
    press_until(page, "Download als CSV")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    check_compliance_csv(download.value)
