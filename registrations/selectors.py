"""Reads about registrations that span more than one row."""

from registrations.models import Registration, RegistrationStatus


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on; None when not on the waiting list."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        pk__lt=registration.pk,
    ).count()
    return ahead + 1
