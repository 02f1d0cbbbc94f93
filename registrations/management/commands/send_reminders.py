"""Queue the reminder mails that are due: `manage.py send_reminders`.

Idempotent and safe to run every few minutes, by several processes or machines at once:
each registration is reminded once per date (registrations.services.send_due_reminders).
The mail worker delivers what this queues. Production runs it from a systemd timer
(deploy/systemd/bijeen-reminders.timer); `make run` with `--every 60`.
"""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from registrations import services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue the reminder mails that are due. Safe to run often and on several machines."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Keep running, once every SECONDS (for development; production uses a timer).",
        )

    def handle(self, *args, every: float | None = None, **options) -> None:
        if every is not None and every <= 0:
            self.stderr.write("--every must be more than 0 seconds")
            raise SystemExit(2)
        try:
            while True:
                queued = services.send_due_reminders()
                if queued:
                    logger.info("send_reminders: %d reminders queued", queued)
                self.stdout.write(f"Queued {queued} reminders.")
                if every is None:
                    return
                close_old_connections()
                time.sleep(every)
        except KeyboardInterrupt:
            return
