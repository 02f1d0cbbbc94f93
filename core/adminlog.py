"""The admin log (``django.contrib.admin``'s ``LogEntry``) without the people it was about.

The admin writes a log entry for every change staff make, with ``object_repr`` =
``str(obj)``: for a registration or a reaction that is "Anna Jansen – Wijkavond". When a
resident's data is erased (their own request, or the retention purge), the entries about
them must lose the name and address too; what staff did, and when, stays.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import translation

MASK = "***"
ERASED = "gegevens gewist"


def forget_in_admin_log(objects: QuerySet, *, fields: Sequence[str]) -> int:
    """Remove the personal data of ``objects`` from the admin log entries about them.

    Call it before the objects' own fields are erased, in the same transaction: it reads
    ``fields`` (for example name and e-mail address) to find them in the entries. Each
    entry's ``object_repr`` becomes "<verbose name> <pk> (gegevens gewist)" and every
    value of ``fields`` in its ``change_message`` becomes ``***`` (in any letter case, and
    as it appears inside Django's JSON messages). Entries already rewritten are left
    alone, so it is idempotent; for objects erased before this existed, it still rewrites
    ``object_repr``. Returns how many entries it rewrote.
    """
    model = objects.model
    keys = objects.annotate(log_key=Cast("pk", CharField())).values("log_key")
    entries = list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=keys
        )
        .exclude(object_repr__endswith=f"({ERASED})")
        .only("pk", "object_id", "change_message")
    )
    if not entries:
        return 0
    personal = {
        str(row[0]): [value for value in row[1:] if value]
        for row in objects.filter(pk__in={entry.object_id for entry in entries}).values_list(
            "pk", *fields
        )
    }
    with translation.override(settings.LANGUAGE_CODE):
        label = str(model._meta.verbose_name)
    for entry in entries:
        entry.object_repr = f"{label} {entry.object_id} ({ERASED})"
        entry.change_message = _masked(entry.change_message, personal.get(entry.object_id, []))
    LogEntry.objects.bulk_update(entries, ["object_repr", "change_message"])
    return len(entries)


def _masked(text: str, values: list[str]) -> str:
    # Longest first, so an address is masked whole before a name inside it.
    for value in sorted(values, key=len, reverse=True):
        for form in {value, json.dumps(value)[1:-1]}:
            text = re.sub(re.escape(form), MASK, text, flags=re.IGNORECASE)
    return text
