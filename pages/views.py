"""The privacy and accessibility statements, filled in from the organisation's settings.

The organisation itself (name, contacts, data protection officer, processors) comes from
the context processor (``organisation``, core/organisation.py); these views add what only
a statement needs. docs/make-it-yours.md lists every setting.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.organisation import Contact

# The statuses of the Dutch accessibility register (digitoegankelijk.nl): a short label
# and what it means, in our own words.
STATUSES: dict[str, tuple[Promise, Promise]] = {
    "A": (
        _("voldoet volledig"),
        _(
            "Een volledig onderzoek van minder dan drie jaar oud laat zien dat deze website "
            "aan alle eisen voldoet."
        ),
    ),
    "B": (
        _("voldoet gedeeltelijk"),
        _(
            "Een volledig onderzoek van minder dan drie jaar oud laat zien dat deze website "
            "nog niet aan alle eisen voldoet. Hieronder staat wat nog niet goed werkt."
        ),
    ),
    "C": (
        _("eerste maatregelen genomen"),
        _(
            "Er is nog geen volledig onderzoek gedaan. Dat onderzoek is gepland binnen zes "
            "maanden na de datum van deze verklaring."
        ),
    ),
    "D": (
        _("voldoet niet"),
        _("Er is nog geen volledig onderzoek gedaan, en er is ook nog geen onderzoek gepland."),
    ),
    "E": (
        _("geen verklaring"),
        _(
            "Er is voor deze website nog geen ondertekende toegankelijkheidsverklaring in het "
            "register. Deze pagina beschrijft wat er al bekend is."
        ),
    ),
}


def _date(value: str) -> datetime.date | None:
    """A YYYY-MM-DD setting as a date; the system check (core/checks.py) refuses others."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class AccessibilityStatement:
    status: str
    status_label: Promise
    status_meaning: Promise
    statement_date: datetime.date | None
    evaluation_date: datetime.date | None
    evaluator: str
    report_url: str
    register_url: str
    known_issues: tuple[str, ...]
    contact: Contact
    response_days: int
    ombudsman_name: str
    ombudsman_url: str


def accessibility_statement() -> AccessibilityStatement:
    status = settings.BIJEEN_ACCESSIBILITY_STATUS
    label, meaning = STATUSES.get(status, STATUSES["E"])
    return AccessibilityStatement(
        status=status if status in STATUSES else "E",
        status_label=label,
        status_meaning=meaning,
        statement_date=_date(settings.BIJEEN_ACCESSIBILITY_STATEMENT_DATE),
        evaluation_date=_date(settings.BIJEEN_ACCESSIBILITY_EVALUATION_DATE),
        evaluator=settings.BIJEEN_ACCESSIBILITY_EVALUATOR.strip(),
        report_url=settings.BIJEEN_ACCESSIBILITY_REPORT_URL.strip(),
        register_url=settings.BIJEEN_ACCESSIBILITY_REGISTER_URL.strip(),
        known_issues=tuple(
            issue.strip()
            for issue in settings.BIJEEN_ACCESSIBILITY_KNOWN_ISSUES.split(";")
            if issue.strip()
        ),
        contact=Contact(settings.BIJEEN_ACCESSIBILITY_CONTACT.strip()),
        response_days=settings.BIJEEN_ACCESSIBILITY_RESPONSE_DAYS,
        ombudsman_name=settings.BIJEEN_OMBUDSMAN_NAME.strip(),
        ombudsman_url=settings.BIJEEN_OMBUDSMAN_URL.strip(),
    )


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


class PrivacyStatementView(TemplateView):
    """AVG article 13: who, why, on what basis, who else, how long, rights, complaints."""

    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs) -> dict:
        statistics = bool(settings.MATOMO_URL and settings.MATOMO_SITE_ID)
        return super().get_context_data(
            retention_days=settings.BIJEEN_RETENTION_DAYS,
            statistics=statistics,
            matomo_host=urlsplit(settings.MATOMO_URL).netloc if statistics else "",
            site_host=site_host(),
            **kwargs,
        )


class AccessibilityStatementView(TemplateView):
    """After the Dutch model statement: scope, status, dates, research, known problems,
    contact and escalation."""

    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            statement=accessibility_statement(), site_host=site_host(), **kwargs
        )
