"""The e-mails a resident receives, rendered in the language they signed up in."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from events.calendar import calendar_for
from registrations.models import Registration

# Kinds that give the resident a seat carry the event as a calendar file.
WITH_CALENDAR = {"confirmed", "promoted"}


def build_message(*, registration: Registration, kind: str) -> EmailMultiAlternatives:
    event = registration.event
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": event,
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            "personal_url": settings.SITE_URL + registration.get_absolute_url(),
            "kind": kind,
        }
        template = f"registrations/email/{kind}"
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[f"{registration.name} <{registration.email}>"],
    )
    message.attach_alternative(html, "text/html")
    if kind in WITH_CALENDAR:
        message.attach(
            f"{event.slug}.ics",
            calendar_for([event], site_url=settings.SITE_URL),
            "text/calendar",
        )
    return message
