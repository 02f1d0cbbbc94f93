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


def personal_data(registration: Registration) -> dict:
    """What we hold about the resident through this registration, in plain words."""

    def moment(value):
        return value.isoformat() if value else None

    event = registration.event
    return {
        "naam": registration.name,
        "e-mailadres": registration.email,
        "taal": registration.language,
        "status": registration.status,
        "aangemeld_op": moment(registration.created_at),
        "van_de_wachtlijst_op": moment(registration.promoted_at),
        "geannuleerd_op": moment(registration.cancelled_at),
        "aanwezig": registration.attended,
        "evenement": {
            "titel": event.title,
            "begin": moment(event.starts_at),
            "einde": moment(event.ends_at),
            "locatie": event.location,
        },
    }
