"""Staff in the admin, in Chromium: cancelling or moving an event, a message to everyone
signed up, and a failed mail sent again (issue 15). axe (WCAG 2.1 A and AA) finds nothing
serious on each page, at phone and desktop width, and each task works with the keyboard
alone."""

import datetime
import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events.models import Event
from registrations import services
from registrations.models import Message
from tests.conftest import isolated_context
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
WIDTHS = {"phone": 375, "desktop": 1280}
FOCUSED = "() => { const el = document.activeElement; return el.id || el.name || el.tagName }"


def assert_accessible(page, width: int) -> None:
    results = Axe().run(page, options=AXE_OPTIONS)
    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not blocking, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def staff_page(browser, live_server, staff_user, request):
    """A logged-in staff member (Evenementbeheer) at the width the test asks for."""
    width = getattr(request, "param", WIDTHS["desktop"])
    context, attempts = isolated_context(
        browser, locale="nl-NL", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Gebruikersnaam").fill(staff_user.username)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.locator("#login-form").get_by_role("button").click()
    page.wait_for_url(live_server.url + "/admin/")
    page.width = width
    yield page
    context.close()
    assert not attempts


def signed_up_event() -> Event:
    event = EventFactory(title="Wijkavond Noord", capacity=2, waitlist_capacity=3)
    services.register(event=event, name="Anna", email="anna@example.org")
    services.register(event=event, name="Dirk Balie", email="", by_staff=True)
    services.register(event=event, name="Cas", email="cas@example.org", waitlist_ok=True)
    return event


def click_and_wait(page, locator) -> None:
    """Click something that loads another page, and wait for that page."""
    with page.expect_navigation():
        locator.click()


def tab_to(page, target: str, limit: int = 40) -> None:
    """Press Tab until ``target`` (an id or a name) has focus; focus is never lost."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused != "BODY", f"focus was lost after {visited}"
        visited.append(focused)
        if focused == target:
            return
    raise AssertionError(f"never reached {target}; focus went {visited}")


@pytest.mark.parametrize("staff_page", WIDTHS.values(), ids=WIDTHS.keys(), indirect=True)
def test_status_pages_pass_axe(live_server, staff_page):
    event = signed_up_event()
    page = staff_page
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    click_and_wait(page, page.get_by_role("link", name="Status wijzigen"))
    assert page.get_by_role("radio", name="Afgelast: gaat niet door").is_visible()
    assert_accessible(page, page.width)

    # With errors: no reason, a move without dates.
    page.get_by_role("radio", name="Verplaatst: naar een nieuw begin").check()
    click_and_wait(page, page.get_by_role("button", name="Verder: controleren"))
    assert page.get_by_text("Vul een reden in.").is_visible()
    assert page.get_by_text("Vul het nieuwe begin in.").is_visible()
    assert_accessible(page, page.width)

    page.get_by_role("radio", name="Afgelast: gaat niet door").check()
    page.get_by_label("Reden").fill("De zaal is niet beschikbaar.")
    click_and_wait(page, page.get_by_role("button", name="Verder: controleren"))
    assert page.get_by_role("heading", name="Wijkavond Noord afgelasten?").is_visible()
    assert page.get_by_text("Dirk Balie").is_visible()
    assert_accessible(page, page.width)


def test_staff_cancel_an_event_with_the_keyboard_alone(live_server, staff_page):
    event = signed_up_event()
    page = staff_page
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/status/")

    tab_to(page, "id_status_0")  # the first choice of the group: Afgelast
    page.keyboard.press("Space")
    tab_to(page, "id_reason")
    page.keyboard.type("De zaal is niet beschikbaar.")
    page.keyboard.press("Enter")  # a new line in the reason: the form stays
    page.keyboard.type("Excuses.")
    tab_to(page, "INPUT")  # past the dates (empty) to "Verder: controleren"
    while page.evaluate("document.activeElement.value") != "Verder: controleren":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.wait_for_selector("text=Wijkavond Noord afgelasten?")
    # The first thing to press after the hidden fields is the confirmation.
    tab_to(page, "INPUT")
    assert page.evaluate("document.activeElement.value") == "Ja, afgelasten en iedereen mailen"
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/admin/events/event/{event.pk}/change/")
    assert page.get_by_text(
        "Het evenement is afgelast. 2 bewoners krijgen een e-mail."
    ).is_visible()
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert event.status_reason == "De zaal is niet beschikbaar.\nExcuses."


def test_staff_move_an_event_to_a_new_date(live_server, staff_page):
    event = signed_up_event()
    page = staff_page
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/status/")
    page.get_by_role("radio", name="Verplaatst: naar een nieuw begin").check()
    page.get_by_label("Reden").fill("Het buurthuis wordt verbouwd.")
    new = timezone.localtime(timezone.now() + datetime.timedelta(days=30))
    page.locator("#id_starts_at_0").fill(f"{new:%d-%m-%Y}")
    page.locator("#id_starts_at_1").fill("19:00")
    page.locator("#id_ends_at_0").fill(f"{new:%d-%m-%Y}")
    page.locator("#id_ends_at_1").fill("21:00")
    click_and_wait(page, page.get_by_role("button", name="Verder: controleren"))
    assert page.get_by_text(f"{new:%d-%m-%Y} om 19:00").first.is_visible()
    click_and_wait(page, page.get_by_role("button", name="Ja, verplaatsen en iedereen mailen"))
    page.wait_for_url(f"**/admin/events/event/{event.pk}/change/")
    event.refresh_from_db()
    assert (event.status, timezone.localtime(event.starts_at).strftime("%d-%m-%Y %H:%M")) == (
        "rescheduled",
        f"{new:%d-%m-%Y} 19:00",
    )


@pytest.mark.parametrize("staff_page", WIDTHS.values(), ids=WIDTHS.keys(), indirect=True)
def test_message_pages_pass_axe(live_server, staff_page):
    event = signed_up_event()
    page = staff_page
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    click_and_wait(page, page.get_by_role("link", name="Bericht aan aanmelders"))
    assert_accessible(page, page.width)

    click_and_wait(
        page, page.get_by_role("button", name="Verder: voorbeeld bekijken")
    )  # empty: errors
    assert page.get_by_text("Vul een onderwerp in.").is_visible()
    assert_accessible(page, page.width)

    page.get_by_label("Onderwerp").fill("Andere zaal")
    page.get_by_label("Bericht").fill("We zitten in de grote zaal.")
    click_and_wait(page, page.get_by_role("button", name="Verder: voorbeeld bekijken"))
    assert page.get_by_text("Dit bericht bereikt 1 bewoner per e-mail.").is_visible()
    assert_accessible(page, page.width)


def test_staff_write_preview_and_send_a_message_with_the_keyboard_alone(live_server, staff_page):
    event = signed_up_event()
    page = staff_page
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/bericht/")

    tab_to(page, "id_audience_0")  # "Aangemeld" is chosen already
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "Aangemeld en op de wachtlijst"
    tab_to(page, "id_subject")
    page.keyboard.type("Andere zaal")
    tab_to(page, "id_body")
    page.keyboard.type("We zitten in de grote zaal.")
    page.keyboard.press("Enter")
    page.keyboard.type("Koffie staat klaar.")
    tab_to(page, "INPUT")
    assert page.evaluate("document.activeElement.value") == "Verder: voorbeeld bekijken"
    page.keyboard.press("Enter")

    page.wait_for_selector("text=Zo ziet de e-mail eruit")
    assert page.get_by_text("Dit bericht bereikt 2 bewoners per e-mail.").is_visible()
    assert "Koffie staat klaar." in page.locator("pre.mail-preview").inner_text()
    tab_to(page, "INPUT")
    assert page.evaluate("document.activeElement.value") == "Versturen aan 2 bewoners"
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/admin/events/event/{event.pk}/change/")
    assert page.get_by_text("Bericht verstuurd: 2 e-mails").is_visible()
    message = Message.objects.get()
    assert message.audience == "both"
    # The text went through the preview's hidden field and back, line break and all.
    assert message.body == "We zitten in de grote zaal.\nKoffie staat klaar."


def failed_mail(event: Event) -> DBTaskResult:
    """A confirmation the worker gave up on (what tests/registrations/test_mail_dashboard.py
    makes with a refusing SMTP server)."""
    anna = event.registrations.get(name="Anna")
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status="FAILED",
        args_kwargs={
            "args": [],
            "kwargs": {"registration_id": anna.pk, "kind": "confirmed", "attempt": 12},
        },
        task_path="registrations.tasks.send_registration_mail",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path="registrations.tasks.MailNotSent",
        traceback=(
            "registrations.tasks.MailNotSent: mail confirmed for registration "
            f"{anna.pk}, attempt 12 (the last): SMTPRecipientsRefused (550)"
        ),
    )


@pytest.mark.parametrize("staff_page", WIDTHS.values(), ids=WIDTHS.keys(), indirect=True)
def test_the_start_page_with_a_failed_mail_passes_axe_and_retries_by_keyboard(
    live_server, staff_page
):
    event = signed_up_event()
    failed_mail(event)
    DBTaskResult.objects.filter(status="READY").delete()
    page = staff_page
    page.goto(live_server.url + "/admin/")
    assert page.get_by_role("heading", name="Uitgaande e-mail").is_visible()
    assert page.get_by_text("SMTPRecipientsRefused (550)").is_visible()
    assert_accessible(page, page.width)

    page.get_by_role("button", name="Bevestiging van de aanmelding voor aanmelding").focus()
    page.keyboard.press("Enter")

    page.wait_for_selector("text=staat weer in de uitgaande post")
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert_accessible(page, page.width)
