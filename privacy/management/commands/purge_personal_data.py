"""Anonymise registrations and reactions of events past the retention period.

Safe to run from cron as often as you like: it only touches what is not yet anonymised.
"""

import datetime
import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from reactions import services as reactions
from registrations import services as registrations

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Anonymise personal data of events that ended more than BIJEEN_RETENTION_DAYS ago."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention in days after the event's end (default: BIJEEN_RETENTION_DAYS).",
        )

    def handle(self, *args, days: int | None = None, **options) -> None:
        days = settings.BIJEEN_RETENTION_DAYS if days is None else days
        if days < 0:
            self.stderr.write("--days must be 0 or more")
            raise SystemExit(2)
        cutoff = timezone.now() - datetime.timedelta(days=days)
        registered = registrations.purge_personal_data(ended_before=cutoff)
        reacted = reactions.purge_personal_data(ended_before=cutoff)
        logger.info(
            "purge_personal_data: events ended before %s: %d registrations and %d reactions "
            "anonymised",
            cutoff.isoformat(),
            registered,
            reacted,
        )
        self.stdout.write(
            f"Anonymised {registered} registrations and {reacted} reactions "
            f"of events that ended before {cutoff:%Y-%m-%d %H:%M} ({days} days retention)."
        )
