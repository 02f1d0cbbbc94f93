"""gunicorn config for the worker-kill drill: make "killed inside the transaction" aimable.

After each worker has loaded the app, the sign-up's outbox call (the last write inside the
sign-up transaction, after the registration row and the counter) is wrapped: it writes a
marker file named after the worker's pid holding the new registration's id and the time,
then pauses
``DRILL_COMMIT_DELAY`` seconds before the transaction goes on to COMMIT. The marker is
removed once the transaction commits. The drill kills a worker while its marker exists,
so the SIGKILL lands between the INSERTs and the COMMIT. Nothing else changes: the app's
code, settings and transaction are the real ones. Used only by scripts/drills/worker_kill.py.

Each worker also leaves ``ready/<pid>`` once it has loaded the app, so the drill can tell
a worker that serves requests from one that is still booting.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def post_worker_init(worker) -> None:
    markers = os.environ.get("DRILL_MARKER_DIR")
    delay = float(os.environ.get("DRILL_COMMIT_DELAY", "0"))
    if not markers:
        return
    (Path(markers) / "ready" / str(os.getpid())).touch()
    if delay <= 0:
        return

    from django.db import transaction

    from registrations import tasks

    queue_mail = tasks.queue_mail

    def queue_mail_then_pause(**kwargs) -> None:
        queue_mail(**kwargs)
        if kwargs.get("kind") not in ("confirmed", "waitlisted"):
            return  # only new sign-ups
        marker = Path(markers) / "open" / str(os.getpid())
        marker.write_text(f"{kwargs['registration'].pk} {time.time()}")
        transaction.on_commit(lambda: marker.unlink(missing_ok=True))
        time.sleep(delay)

    tasks.queue_mail = queue_mail_then_pause
