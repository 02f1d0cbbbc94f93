"""A resident reacts, a staff member approves in the admin, the reaction shows."""

import pytest

from reactions.models import Reaction, ReactionStatus
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Ik neem mijn buurvrouw mee.\nZij woont hier al veertig jaar."


def test_resident_reacts_and_a_moderator_approves_it_in_the_admin(  # staff_user: the moderator
    live_server, browser, page, staff_user
):
    event = EventFactory(title="Wijkavond Noord")
    event_url = live_server.url + event.get_absolute_url()

    # The resident posts a reaction and is told it waits for review.
    page.goto(event_url)
    assert page.locator("#reacties-titel").inner_text() == "0 reacties"
    page.get_by_label("Naam bij je reactie", exact=True).fill("Fatima")
    page.get_by_label("E-mailadres voor vragen over je reactie", exact=True).fill(
        "fatima@example.org"
    )
    page.get_by_label("Je reactie", exact=True).fill(TEXT)
    page.get_by_label("Ik ga akkoord").check()
    page.get_by_role("button", name="Reactie plaatsen").click()
    page.wait_for_url("**?reactie=ontvangen#reactie-bericht")
    assert page.get_by_role("status").inner_text().startswith("Bedankt voor je reactie.")
    assert page.locator("#reacties-titel").inner_text() == "0 reacties"
    assert Reaction.objects.get().status == ReactionStatus.PENDING

    # A staff member (not a superuser) logs in and approves it from the queue.
    staff = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    admin = staff.new_page()
    try:
        admin.goto(live_server.url + "/admin/")
        admin.get_by_label("Gebruikersnaam").fill("medewerker")
        admin.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
        admin.get_by_role("button", name="Aanmelden").click()
        # The model's link in the admin index (the app's own header is also "Reacties").
        admin.locator("#content-main a[href$='/admin/reactions/reaction/']").first.click()
        selected = admin.locator("#changelist-filter li.selected").first.inner_text()
        assert selected.strip() == "Wacht op beoordeling"  # the queue is the default view
        row = admin.locator("#result_list tbody tr", has_text="Ik neem mijn buurvrouw mee.")
        assert "Wijkavond Noord" in row.inner_text()
        row.locator("input[name=_selected_action]").check()
        admin.locator("select[name=action]").select_option("approve")
        admin.get_by_role("button", name="Uitvoeren").click()
        admin.wait_for_load_state()
        assert "1 reactie goedgekeurd" in admin.locator(".messagelist").inner_text()
    finally:
        staff.close()

    # The reaction now shows on the event page, with its line break and without the e-mail.
    page.goto(event_url)
    assert page.locator("#reacties-titel").inner_text() == "1 reactie"
    reaction = page.locator(".reaction")
    assert "Fatima" in reaction.inner_text()
    assert reaction.locator(".reaction__text").inner_text() == TEXT
    assert "fatima@example.org" not in page.content()
