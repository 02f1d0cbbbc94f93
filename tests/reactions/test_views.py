import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reactions.models import Reaction, ReactionStatus
from reactions.templatetags import reactions_tags
from tests.factories import EventFactory, ReactionFactory, ReactionSettingsFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
VALID = {
    "name": "Fatima",
    "email": "fatima@example.org",
    "text": "Ik neem mijn buurvrouw mee.",
    "consent": "on",
}
RECEIVED = "Bedankt voor je reactie. Een medewerker bekijkt hem eerst"


def post_url(event) -> str:
    return reverse("reactions:post", kwargs={"slug": event.slug})


def reactions_block(html: str) -> str:
    return html.split('id="reacties"', 1)[1].split("</section>", 1)[0]


def heading(html: str) -> str:
    return re.search(r'<h2 id="reacties-titel">(.*?)</h2>', html).group(1)


@pytest.mark.parametrize(
    ("count", "words"), [(0, "0 reacties"), (1, "1 reactie"), (5, "5 reacties")]
)
def test_the_count_reads_0_reacties_1_reactie_5_reacties(client, event, count, words):
    ReactionFactory.create_batch(count, event=event)
    ReactionFactory(event=event, status=ReactionStatus.PENDING)  # not counted
    ReactionFactory(event=event, status=ReactionStatus.REJECTED)  # not counted
    ReactionFactory(status=ReactionStatus.APPROVED)  # another event's
    assert heading(client.get(event.get_absolute_url()).content.decode()) == words


@pytest.mark.parametrize(("count", "words"), [(1, "1 reaction"), (2, "2 reactions")])
def test_the_count_in_english(client, event, count, words):
    ReactionFactory.create_batch(count, event=event)
    with translation.override("en"):
        url = event.get_absolute_url()
        html = client.get(url).content.decode()
    assert url.startswith("/en/")
    assert heading(html) == words


@time_machine.travel(datetime.datetime(2023, 10, 1, 12, tzinfo=UTC), tick=False)
def test_published_reactions_show_oldest_first_with_name_and_date_but_never_the_email(client):
    event = EventFactory(description="Over de speeltuin.")
    later = ReactionFactory(
        event=event, name="Joost", email="joost@example.org", text="Tweede reactie"
    )
    Reaction.objects.filter(pk=later.pk).update(
        created_at=datetime.datetime(2023, 10, 31, 18, 5, tzinfo=UTC)
    )
    earlier = ReactionFactory(
        event=event, name="Anna", email="anna@example.org", text="Eerste reactie"
    )
    Reaction.objects.filter(pk=earlier.pk).update(
        created_at=datetime.datetime(2023, 10, 30, 8, 30, tzinfo=UTC)
    )
    ReactionFactory(event=event, name="Wachtend", status=ReactionStatus.PENDING)

    html = client.get(event.get_absolute_url()).content.decode()
    block = reactions_block(html)

    assert html.index("Over de speeltuin.") < html.index('id="reacties"')
    assert block.index("Anna") < block.index("Eerste reactie") < block.index("Joost")
    assert "30-10-2023 om 09:30" in block  # Amsterdam time, like the event's own dates
    assert "31-10-2023 om 19:05" in block
    assert "Wachtend" not in html
    assert "@example.org" not in html


def test_posting_redirects_to_the_event_with_a_message_and_waits_for_review(client, event):
    response = client.post(post_url(event), VALID)

    assert response.status_code == 302
    assert response["Location"] == f"{event.get_absolute_url()}?reactie=ontvangen#reactie-bericht"
    reaction = Reaction.objects.get()
    assert (reaction.event, reaction.name, reaction.email) == (
        event,
        "Fatima",
        "fatima@example.org",
    )
    assert reaction.status == ReactionStatus.PENDING

    html = client.get(response["Location"]).content.decode()
    assert RECEIVED in html
    assert heading(html) == "0 reacties"
    assert "Ik neem mijn buurvrouw mee." not in html


def test_with_moderation_off_the_reaction_shows_at_once(client, event):
    ReactionSettingsFactory(event=event, is_moderated=False)
    response = client.post(post_url(event), VALID)

    assert response["Location"].endswith("?reactie=geplaatst#reactie-bericht")
    html = client.get(response["Location"]).content.decode()
    assert "Bedankt voor je reactie. Hij staat nu op deze pagina." in html
    assert heading(html) == "1 reactie"
    assert "Ik neem mijn buurvrouw mee." in reactions_block(html)
    assert "Een medewerker van de gemeente leest je reactie" not in html


def test_text_is_escaped_keeps_line_breaks_and_links_are_not_clickable(client, event):
    ReactionSettingsFactory(event=event, is_moderated=False)
    text = "<script>alert(1)</script>\r\nZie https://example.org en <a href='https://x.example'>dit</a>"
    client.post(post_url(event), {**VALID, "name": "<b>Joost</b>", "text": text})

    block = reactions_block(client.get(event.get_absolute_url()).content.decode())

    assert "<script>" not in block
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Zie https://example.org" in block
    assert "&lt;a href=&#x27;https://x.example&#x27;&gt;dit&lt;/a&gt;" in block
    assert "&lt;b&gt;Joost&lt;/b&gt;" in block
    assert "<a href=" not in block.split('<ol class="reaction-list">')[1].split("</ol>")[0]


def test_a_filled_in_honeypot_answers_as_usual_and_writes_nothing(client, event):
    response = client.post(post_url(event), {**VALID, "website": "https://spam.example"})
    assert response.status_code == 302
    assert "reactie=ontvangen" in response["Location"]
    assert not Reaction.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, event):
    block = reactions_block(client.get(event.get_absolute_url()).content.decode())
    trap = re.search(r'<div class="honeypot" aria-hidden="true">(.*?)</div>', block, re.S)
    assert trap
    assert 'name="website"' in trap.group(1)
    assert 'tabindex="-1"' in trap.group(1)
    assert 'autocomplete="off"' in trap.group(1)


def test_too_many_posts_from_one_address_get_a_dutch_429_and_write_nothing(client, event, settings):
    settings.REACTIONS_RATE_LIMIT = 3
    for number in range(3):
        assert (
            client.post(post_url(event), {**VALID, "text": f"Reactie {number}"}).status_code == 302
        )

    response = client.post(post_url(event), {**VALID, "text": "Nog een"})

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.REACTIONS_RATE_WINDOW)
    html = response.content.decode()
    assert "Even wachten" in html
    assert "Je reactie is niet geplaatst." in html
    assert Reaction.objects.count() == 3
    assert not Reaction.objects.filter(text="Nog een").exists()
    # Another address is not affected.
    other = client.post(post_url(event), {**VALID, "text": "Van elders"}, REMOTE_ADDR="192.0.2.8")
    assert other.status_code == 302


def test_invalid_posts_count_towards_the_rate_limit(client, event, settings):
    settings.REACTIONS_RATE_LIMIT = 2
    client.post(post_url(event), {})
    client.post(post_url(event), {**VALID, "website": "spam"})
    assert client.post(post_url(event), VALID).status_code == 429
    assert not Reaction.objects.exists()


def test_closed_reactions_keep_the_existing_ones_and_drop_the_form(client, event):
    ReactionFactory(event=event, text="Een eerdere reactie")
    ReactionSettingsFactory(event=event, is_open=False)

    block = reactions_block(client.get(event.get_absolute_url()).content.decode())

    assert "Een eerdere reactie" in block
    assert "Reageren op dit evenement is gesloten." in block
    assert "<form" not in block
    response = client.post(post_url(event), VALID)
    assert response.status_code == 409
    assert "Reageren op dit evenement is gesloten; je reactie is niet geplaatst." in (
        response.content.decode()
    )
    assert Reaction.objects.count() == 1


def test_an_unpublished_event_takes_no_reactions(client):
    event = EventFactory(is_published=False)
    assert client.post(post_url(event), VALID).status_code == 404
    assert not Reaction.objects.exists()


def test_get_on_the_post_address_leads_back_to_the_reactions(client, event):
    response = client.get(post_url(event))
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url() + "#reacties"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Dit veld is verplicht."),
        ({**VALID, "name": "   "}, "Dit veld is verplicht."),
        ({**VALID, "email": "fatima-at-example"}, "Voer een geldig e-mailadres in."),
        ({**VALID, "text": " \r\n "}, "Dit veld is verplicht."),
        ({**VALID, "text": "x" * 2001}, "Je reactie is 2001 tekens lang; hoogstens 2000 kan."),
        ({**VALID, "name": "F" * 5000}, "Zorg dat deze waarde niet meer dan 80 tekens bevat"),
        ({**VALID, "name": "Fatima\x07"}, "Je naam bevat tekens die we niet kunnen gebruiken."),
        ({**VALID, "text": "Hallo\x00"}, "Null-tekens zijn niet toegestaan."),
        ({**VALID, "text": "Hallo\x1b[31m"}, "Je reactie bevat tekens die we niet kunnen"),
        (
            {k: v for k, v in VALID.items() if k != "consent"},
            "Geef toestemming, anders kunnen we je reactie niet plaatsen.",
        ),
    ],
    ids=[
        "empty",
        "blank-name",
        "bad-email",
        "blank-text",
        "too-long",
        "huge-name",
        "bell-in-name",
        "null-in-text",
        "escape-in-text",
        "no-consent",
    ],
)
def test_bad_input_is_explained_next_to_the_form_and_writes_nothing(client, event, data, message):
    response = client.post(post_url(event), data)

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert "<title>Fout:" in html
    assert 'id="error-summary"' in reactions_block(html)
    assert 'aria-invalid="true"' in reactions_block(html)
    assert not Reaction.objects.exists()


def test_a_text_of_exactly_2000_characters_with_line_breaks_is_accepted(client, event):
    # 1000 lines of one character: 1999 characters with LF, 2998 as the browser sends CR LF.
    text = "\r\n".join(["x"] * 1000)
    assert client.post(post_url(event), {**VALID, "text": text}).status_code == 302
    assert len(Reaction.objects.get().text) == 1999


def test_what_the_resident_typed_is_kept_after_an_error(client, event):
    response = client.post(post_url(event), {**VALID, "email": "geen-adres", "text": "Mijn tekst"})
    block = reactions_block(response.content.decode())
    assert 'value="Fatima"' in block
    assert 'value="geen-adres"' in block
    assert "Mijn tekst</textarea>" in block


def test_the_event_page_has_unique_ids_with_both_forms_and_errors(client, event):
    response = client.post(post_url(event), {})
    ids = re.findall(r'\sid="([^"]+)"', response.content.decode())
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_the_form_links_the_privacy_statement(client, event):
    block = reactions_block(client.get(event.get_absolute_url()).content.decode())
    assert f'href="{reverse("privacy")}"' in block
    assert "csrfmiddlewaretoken" in block


def test_a_stale_form_token_writes_nothing(event):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.get(event.get_absolute_url())
    csrf_client.cookies["csrftoken"] = "x" * 32
    response = csrf_client.post(post_url(event), {**VALID, "csrfmiddlewaretoken": "y" * 32})
    assert response.status_code == 403
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("field", ["name", "email", "text", "consent", "website"])
def test_repeated_fields_never_cause_an_error_page(client, event, field):
    data = {**VALID, field: [VALID.get(field, "x"), "nog een waarde"]}
    response = client.post(post_url(event), data)
    assert response.status_code in {302, 422}


def test_the_reactions_cost_the_same_queries_however_many_there_are(
    client, event, django_assert_max_num_queries, django_assert_num_queries
):
    ReactionFactory.create_batch(2, event=event)
    with django_assert_max_num_queries(10) as captured:
        client.get(event.get_absolute_url())
    few = len(captured)  # now: the next request clears the log
    ReactionFactory.create_batch(60, event=event)
    ReactionFactory.create_batch(20, event=event, status=ReactionStatus.PENDING)
    with django_assert_num_queries(few):
        client.get(event.get_absolute_url())
    assert heading(client.get(event.get_absolute_url()).content.decode()) == "62 reacties"


def test_the_reactions_block_costs_one_query(event, django_assert_num_queries):
    """The event's settings and its published reactions joined in one (the count is their
    number)."""
    ReactionFactory.create_batch(5, event=event)
    with django_assert_num_queries(1):
        reactions_tags.reactions_block({}, event)


@pytest.mark.parametrize("has_settings", [True, False])
@pytest.mark.parametrize("approved", [0, 3])
def test_the_one_query_reads_what_the_two_did(event, has_settings, approved):
    """Settings or their defaults, only approved reactions, oldest first, and no address."""
    from reactions import selectors
    from reactions.models import ReactionSettings

    if has_settings:
        ReactionSettings.objects.create(event=event, is_open=False, is_moderated=False)
    ReactionFactory(event=event, status=ReactionStatus.PENDING)
    ReactionFactory(event=event, status=ReactionStatus.REJECTED)
    ReactionFactory(event=ReactionFactory().event, status=ReactionStatus.APPROVED)
    for _ in range(approved):
        ReactionFactory(event=event, status=ReactionStatus.APPROVED)
    settings, reactions = selectors.event_page_reactions(event=event)
    expected = selectors.reaction_settings_for(event=event)
    assert (settings.is_open, settings.is_moderated) == (expected.is_open, expected.is_moderated)
    assert [(r.pk, r.name, r.text, r.created_at) for r in reactions] == list(
        Reaction.objects.filter(event=event, status=ReactionStatus.APPROVED)
        .order_by("created_at", "pk")
        .values_list("pk", "name", "text", "created_at")
    )
    assert len(reactions) == approved
    assert all(r.email == "" for r in reactions)
