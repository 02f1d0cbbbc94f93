"""Django admin for registrations, and the registrations side of the event admin.

Importing event_admin replaces the registered Event admin with a subclass that adds the
registrations inline, counts, exports and the attendance list (the events app must not
know about registrations). It loads after events, and reactions loads after it.
"""

from registrations.admin import event_admin, registration_admin  # noqa: F401
