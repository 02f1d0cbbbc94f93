"""The e-mails a resident receives, rendered in the language they signed up in."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import punycode
from django.utils.translation import gettext as _

from core.organisation import organisation
from events.calendar import calendar_for
from events.models import StatusChange
from registrations.models import Message, Registration

# Kinds that give the resident a seat carry the event as a calendar file, and so do those
# that change it: the file's higher SEQUENCE (and STATUS) updates the copy in a calendar.
WITH_CALENDAR = {
    "confirmed",
    "promoted",
    "event_cancelled",
    "event_postponed",
    "event_rescheduled",
    "reminder",
}


def recipient(registration: Registration) -> str:
    """The address the mail goes to: the bare address the form validated, no display name,
    with an international domain in its ASCII (punycode) form.

    A name is the resident's free text. Put in front of the address, every parser on the
    way (Django's ``sanitize_address``, Python's ``getaddresses``, smtplib's ``RCPT TO``,
    the relay, the mail client) would have to agree where a quoted name ends: pasted
    as ``f"{name} <{email}>"`` a comma lost the mail and ``aanvaller@evil.example (`` sent
    it to evil.example. ``email.utils.formataddr`` quotes correctly but raises on an
    international domain name (``anna@exämple.org``, which the form accepts). The bare
    address leaves nothing to interpret; the name is in the greeting of the mail itself.

    The domain goes out in ASCII because Django re-parses a non-ASCII ``To`` value, and
    for a quoted local part with an international domain (``"a"@exämple.org``) that
    parse wraps the quotes in quotes, a different mailbox. The ASCII form is the same
    address and is used as it is. tests/property/test_mail_address_properties.py checks
    the envelope and the ``To`` header for any name and address the form accepts.
    """
    local, _, domain = registration.email.rpartition("@")
    return f"{local}@{punycode(domain)}"


def _about(kind: str, about: int | None) -> dict:
    """The row a mail reports on, for its template: the status change or the message."""
    if kind.startswith("event_"):
        return {"change": StatusChange.objects.get(pk=about)}
    if kind == "message":
        return {"message": Message.objects.get(pk=about)}
    return {}


def render(*, registration: Registration, kind: str, **rows) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the mail of ``kind`` for ``registration``, in the
    resident's language; ``rows`` are what it reports on (``change``, ``message``)."""
    event = registration.event
    with translation.override(registration.language):
        context = {
            **rows,
            "registration": registration,
            "event": event,
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            "personal_url": settings.SITE_URL + registration.get_absolute_url(),
            # "Ik kan toch niet": straight to the step that asks "Afmelden?".
            "cancel_url": settings.SITE_URL
            + reverse("registrations:cancel", kwargs={"token": registration.token}),
            "kind": kind,
            # The signature and the footer: who sends this (no request, so no context
            # processor).
            "organisation": organisation(),
        }
        template = f"registrations/email/{kind}"
        subject = " ".join(_plain(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def preview_message(*, event, subject: str, body: str) -> tuple[str, str]:
    """What a staff message will look like (subject and plain text), for the admin's
    preview: rendered for a stand-in resident, so it shows no one's name or link."""
    stand_in = Registration(
        event=event,
        name=_("(naam van de bewoner)"),
        email="bewoner@example.org",
        token="persoonlijke-link",  # noqa: S106 (a placeholder in the preview, no secret)
        language=settings.LANGUAGE_CODE,
    )
    subject, text, _html = render(
        registration=stand_in,
        kind="message",
        message=Message(event=event, subject=subject, body=body),
    )
    return subject, text


def _plain(name: str, context: dict) -> str:
    """A template rendered without HTML escaping: a subject is a header, not HTML (a title
    with "&" stays "&")."""
    return get_template(name).template.render(Context(context, autoescape=False))


def build_message(
    *, registration: Registration, kind: str, about: int | None = None
) -> EmailMultiAlternatives:
    """The mail of ``kind`` for ``registration``, in the resident's language. ``about``
    is the id of the row it reports on (``tasks.ABOUT``)."""
    event = registration.event
    subject, text, html = render(registration=registration, kind=kind, **_about(kind, about))
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient(registration)],
    )
    message.attach_alternative(html, "text/html")
    if kind in WITH_CALENDAR:
        message.attach(
            f"{event.slug}.ics",
            calendar_for([event], site_url=settings.SITE_URL),
            "text/calendar",
        )
    return message
