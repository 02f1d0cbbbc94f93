"""The registrations parts of the Django admin, exported, not registered: the backoffice app
assembles them (the event admin from ``EventRegistrationsMixin`` and ``RegistrationInline``,
and ``RegistrationAdmin`` for registrations across events)."""

from registrations.admin.event import EventRegistrationsMixin, RegistrationInline
from registrations.admin.questions import QuestionInline
from registrations.admin.registration import RegistrationAdmin

__all__ = ["EventRegistrationsMixin", "QuestionInline", "RegistrationAdmin", "RegistrationInline"]
