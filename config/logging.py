"""Keep personal data out of the logs: e-mail addresses and personal-link tokens."""

import logging
import re

EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
PERSONAL_LINK = re.compile(r"(/aanmelding/)[^/\s\"']+")


def mask(text: str) -> str:
    """``anna@example.org`` becomes ``a***@example.org``, and a personal link
    ``/aanmelding/<token>/`` becomes ``/aanmelding/***/``."""
    text = EMAIL.sub(r"\1***@\2", text)
    return PERSONAL_LINK.sub(r"\1***", text)


class MaskPersonalData(logging.Filter):
    """A handler filter: formats the record's message once, masked, and drops the args."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
