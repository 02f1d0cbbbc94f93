"""The application with the sign-up's row lock replaced by a plain read: for the control
runs of the race tests in app server processes (gunicorn ... tests.concurrency.unlocked_wsgi:
application). Never used outside tests."""

from config.wsgi import application  # noqa: F401  (sets up Django first)
from events.models import Event
from registrations import services


def _unlocked_read(*, event_id: int) -> Event:
    return Event.objects.get(pk=event_id)


services.lock_event = _unlocked_read
