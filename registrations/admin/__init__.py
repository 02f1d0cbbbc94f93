"""The registrations parts of the Django admin, exported, not registered: the backoffice app
assembles them (the event admin from ``EventRegistrationsMixin`` and ``RegistrationInline``,
``RegistrationAdmin`` for registrations across events, and ``MessageAdmin`` for the
messages staff sent)."""

from registrations.admin.event import EventRegistrationsMixin, RegistrationInline
from registrations.admin.messages import MessageAdmin
from registrations.admin.questions import QuestionInline
from registrations.admin.registration import RegistrationAdmin

__all__ = [
    "EventRegistrationsMixin",
    "MessageAdmin",
    "QuestionInline",
    "RegistrationAdmin",
    "RegistrationInline",
]
