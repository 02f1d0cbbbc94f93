"""System checks for the organisation's settings and house style (docs/make-it-yours.md).

Every ``manage.py`` command runs the first kind, so a colour nobody can read, a logo or
tokens file that is not there, or a statement setting that makes no sense stops
``migrate``, ``runserver`` and a deployment with a message that names the setting. The
``--deploy`` kind warns while the organisation is still the fictional example.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.checks import Error, Warning, register

from core import theme

ACCESSIBILITY_STATUSES = ("A", "B", "C", "D", "E")
COLOUR_SETTINGS = ("BIJEEN_BRAND_COLOR", "BIJEEN_BRAND_TEXT_COLOR", "BIJEEN_BRAND_HOVER_COLOR")
DATE_SETTINGS = ("BIJEEN_ACCESSIBILITY_STATEMENT_DATE", "BIJEEN_ACCESSIBILITY_EVALUATION_DATE")
# The defaults in config/settings/base.py: a fictional municipality.
EXAMPLE_VALUES = {
    "BIJEEN_ORGANISATION_NAME": "Gemeente Voorbeeldstad",
    "BIJEEN_ORGANISATION_WEBSITE": "https://www.example.org",
    "BIJEEN_ORGANISATION_PHONE": "0123 456 789",
    "BIJEEN_ORGANISATION_CONTACT_URL": "https://www.example.org/contact",
    "BIJEEN_ORGANISATION_ADDRESS": ["Postbus 1234", "1234 AB Voorbeeldstad"],
    "BIJEEN_DPO_CONTACT": "fg@example.org",
    "BIJEEN_PROCESSORS": "hosting=Voorbeeld Hosting B.V.;mail=Voorbeeld Mail B.V.",
}


@register("bijeen")
def check_house_style(app_configs, **kwargs) -> list:
    """bijeen.E001: a colour pair below its WCAG minimum; E002: a colour setting that is
    no colour; E003: a logo or tokens file that is not among the static files."""
    errors: list = []
    for name in COLOUR_SETTINGS:
        value = getattr(settings, name)
        if value and theme.parse_hex(value) is None:
            errors.append(
                Error(
                    f"{name} is {value!r}, not a colour.",
                    hint="Write it as #rrggbb, for example #1a4f7a.",
                    id="bijeen.E002",
                )
            )
    for name in ("BIJEEN_THEME_CSS", "BIJEEN_LOGO"):
        path = getattr(settings, name)
        if path and theme.static_file(path) is None:
            errors.append(
                Error(
                    f"{name} is {path!r}, which is not among the static files.",
                    hint="A path below static/ or below BIJEEN_THEME_DIR (as huisstijl/…).",
                    id="bijeen.E003",
                )
            )
    problems, unreadable = theme.contrast_problems(theme.effective_tokens())
    for problem in problems:
        errors.append(
            Error(
                f"Too little contrast for {problem.where}: {problem.detail}, "
                f"needs {problem.minimum:g}:1 (WCAG 2.1 AA).",
                hint="Choose a darker or lighter colour in BIJEEN_BRAND_COLOR, "
                "BIJEEN_BRAND_TEXT_COLOR or the tokens file (BIJEEN_THEME_CSS).",
                id="bijeen.E001",
            )
        )
    if unreadable:
        errors.append(
            Warning(
                "The contrast check cannot read these tokens as #rrggbb colours and "
                f"skipped the pairs that use them: {', '.join(unreadable)}.",
                hint="Write colour tokens as #rrggbb so that they can be checked.",
                id="bijeen.W001",
            )
        )
    return errors


@register("bijeen")
def check_statement_settings(app_configs, **kwargs) -> list:
    """bijeen.E004: an accessibility status or date the statement cannot show."""
    errors: list = []
    status = settings.BIJEEN_ACCESSIBILITY_STATUS
    if status not in ACCESSIBILITY_STATUSES:
        errors.append(
            Error(
                f"BIJEEN_ACCESSIBILITY_STATUS is {status!r}.",
                hint="One of A, B, C, D or E, the status in the accessibility register.",
                id="bijeen.E004",
            )
        )
    for name in DATE_SETTINGS:
        value = getattr(settings, name)
        try:
            if value:
                datetime.date.fromisoformat(value)
        except ValueError:
            errors.append(
                Error(f"{name} is {value!r}.", hint="A date as YYYY-MM-DD.", id="bijeen.E004")
            )
    return errors


@register("bijeen", deploy=True)
def check_organisation_is_not_the_example(app_configs, **kwargs) -> list:
    """bijeen.W002: organisation settings still at the fictional example; W003: no signed
    accessibility statement yet."""
    warnings: list = []
    examples = [name for name, value in EXAMPLE_VALUES.items() if getattr(settings, name) == value]
    if examples:
        warnings.append(
            Warning(
                "These settings still describe the fictional example municipality, and the "
                f"privacy statement and footer show them: {', '.join(examples)}.",
                hint="Set them in the environment (docs/make-it-yours.md).",
                id="bijeen.W002",
            )
        )
    if (
        settings.BIJEEN_ACCESSIBILITY_STATUS == "E"
        or not settings.BIJEEN_ACCESSIBILITY_STATEMENT_DATE
    ):
        warnings.append(
            Warning(
                "The accessibility statement has status E or no date: the organisation has not "
                "yet signed one for this site.",
                hint="Set BIJEEN_ACCESSIBILITY_STATUS and BIJEEN_ACCESSIBILITY_STATEMENT_DATE "
                "from the statement in the register (docs/make-it-yours.md).",
                id="bijeen.W003",
            )
        )
    return warnings
