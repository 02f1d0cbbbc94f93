import secrets
from collections.abc import Mapping

from consent import categories
from consent.models import ConsentRecord
from consent.state import Consent


def record_choice(
    *, choices: Mapping[str, bool], method: ConsentRecord.Method, language: str
) -> Consent:
    """Store a visitor's choice as evidence and return it as their browser will hold it.

    ``choices`` has one yes/no per category the visitor was asked about. Nothing about the
    visitor is stored beyond the choice.

    Lock: none; records are only ever added (one INSERT).
    """
    record = ConsentRecord.objects.create(
        receipt=secrets.token_hex(16),
        version=categories.VERSION,
        choices=dict(choices),
        method=method,
        language=language,
    )
    return Consent(
        version=record.version,
        given_at=record.created_at,
        receipt=record.receipt,
        choices=dict(choices),
    )
