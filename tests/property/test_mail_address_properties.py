"""Any name and any address the sign-up form accepts: exactly one mail, to exactly that
address, through the real worker and a real SMTP server on loopback.

A name used to be pasted into the recipient as ``f"{name} <{email}>"``: a comma lost the
mail (Django's address parser refused it and the task failed for good) and a name such as
``aanvaller@evil.example (`` sent the personal link to evil.example. Here each example
signs a resident up through the service with values the form cleaned, runs django-tasks'
database worker in this process (the same code as ``manage.py db_worker --batch``) against
aiosmtpd, and checks the SMTP envelope (``RCPT TO``) and the ``To`` header.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import getaddresses

import pytest
from django.utils.encoding import punycode
from django_tasks_db.models import DBTaskResult
from hypothesis import example, given, settings
from hypothesis import strategies as st

from registrations import services
from registrations.forms import SignupForm
from tests.factories import EventFactory
from tests.mailserver import SmtpServer, run_worker_in_process, smtp_settings
from tests.property.conftest import outcome, ran_example
from tests.property.examples import examples
from tests.property.strategies import ANY_CHARACTER, realistic_email, realistic_name

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = examples(80)


def accepted(**values: str) -> dict | None:
    """What the sign-up form makes of these values, or None when it refuses them."""
    data = {"name": "Anna", "email": "anna@example.org", "consent": "on", **values}
    form = SignupForm(data)
    return form.cleaned_data if form.is_valid() else None


# Names built from the characters that mean something in an address header, next to any
# other character, and the names that went wrong before.
ADDRESS_SPECIALS = st.sampled_from([*",;:()\"<>@\\[].'", " ", "=?utf-8?q?", "?="])
names = st.one_of(
    realistic_name,
    st.sampled_from(
        [
            "Jansen, Piet",
            "Anna; Bram",
            "Piet: Jansen",
            'Karel "Kees" de Vries',
            "(Ans) Bos",
            "Ans <Bos>",
            "Ans \\ Bos",
            "=?utf-8?q?Ans_Bos?=",
            "Ängela Ørsted, MSc",
            "李小龙 (Bruce)",
        ]
    ),
    st.lists(st.one_of(ADDRESS_SPECIALS, ANY_CHARACTER), min_size=1, max_size=40).map("".join),
).filter(lambda name: accepted(name=name) is not None)

# Addresses: Hypothesis' RFC 5322 ones, and the legal oddities the form also accepts:
# quoted local parts (with the characters that split or end an address), international
# domain names, address literals. (Control characters, which Django's EmailField allows in
# a quoted local part, are refused by the form: tests/registrations/test_views.py.)
QUOTED_LOCAL = st.lists(
    st.sampled_from([*"abc ,;:()<>@[].'!#$%&*+/=?^_`{|}~-", '\\"', "\\\\"]),
    min_size=1,
    max_size=20,
).map(lambda pieces: '"' + "".join(pieces) + '"')
emails = st.one_of(
    realistic_email,
    st.builds(
        "{}@{}".format,
        QUOTED_LOCAL,
        st.sampled_from(["example.org", "gemeente.nl", "exämple.org", "[127.0.0.1]"]),
    ),
    st.sampled_from(["anna@exämple.org", "o'brien@example.org", "anna+bijeen@example.org"]),
).filter(lambda email: accepted(email=email) is not None)


def delivered_to(address: str) -> str:
    """The address as it travels: Django's SMTP backend writes an international domain in
    its punycode (ASCII) form and a quoted local part without quotes it does not need
    (``"anna"@example.org`` is ``anna@example.org``, RFC 5322 3.4.1); the mailbox is the
    same."""
    local, _, domain = address.rpartition("@")
    return Address(addr_spec=f"{local}@{punycode(domain)}").addr_spec


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    smtp_settings(settings, server)
    yield server
    server.stop()


@settings(max_examples=EXAMPLES, deadline=None)
@given(name=names, email=emails)
# The cases that went wrong, every run: a comma in the name (the mail was lost), and a
# quoted local part at an international domain (Django's re-parse changed the mailbox).
@example(name="Jansen, Piet", email="anna@example.org")
@example(name="Anna; Bram", email="anna@exämple.org")
@example(name="Piet: Jansen", email='"a"@exämple.org')
@example(name="Ängela Ørsted", email='"jansen,piet"@example.org')
def test_any_accepted_name_and_address_get_exactly_one_mail_at_exactly_that_address(
    request, smtp, name, email
):
    ran_example(request.node.name)
    cleaned = accepted(name=name, email=email)
    assert cleaned is not None  # each was accepted on its own; together too
    event = EventFactory(title="Wijkavond")
    smtp.inbox.messages.clear()
    smtp.inbox.recipients.clear()

    services.register(event=event, name=cleaned["name"], email=cleaned["email"])
    run_worker_in_process()

    task = DBTaskResult.objects.latest("enqueued_at")
    outcome(request.node.name, task.status)
    # What the examples covered, for the summary at the end of the run.
    if set(cleaned["name"]) & set(',;:()"<>\\'):
        outcome(request.node.name, "name with address specials")
    if not cleaned["name"].isascii():
        outcome(request.node.name, "non-ASCII name")
    if cleaned["email"].startswith('"'):
        outcome(request.node.name, "quoted local part")
    if not cleaned["email"].isascii():
        outcome(request.node.name, "international domain")
    assert task.status == "SUCCESSFUL", task.traceback
    expected = delivered_to(cleaned["email"].strip())
    assert smtp.inbox.recipients == [[expected]]
    [message] = smtp.inbox.messages
    assert [address for _, address in getaddresses([str(message["To"])])] == [expected]
    assert message["Subject"] == "Je bent aangemeld: Wijkavond"
