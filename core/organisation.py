"""The organisation that runs this site, as its settings describe it.

Templates read it as ``organisation`` (``core.context_processors.site``); mails and other
code without a request call ``organisation()``. ``str(organisation)`` is its name, so
``{{ organisation }}`` prints the name. Everything is from settings
(docs/make-it-yours.md); nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# What a processor with a known role does, in the visitor's language.
PROCESSOR_ROLES: dict[str, Promise] = {
    "hosting": _("Hosting van de website en de database"),
    "mail": _("Versturen van e-mail"),
    "statistics": _("Statistieken (Matomo)"),
}


@dataclass(frozen=True)
class Contact:
    """An e-mail address or a web address, and the link that reaches it."""

    value: str

    @property
    def is_email(self) -> bool:
        return "@" in self.value and "://" not in self.value

    @property
    def href(self) -> str:
        return f"mailto:{self.value}" if self.is_email else self.value

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class Processor:
    role: str
    name: str

    @property
    def task(self) -> Promise | str:
        return PROCESSOR_ROLES.get(self.role.lower(), self.role)


@dataclass(frozen=True)
class Organisation:
    name: str
    website: str
    phone: str
    contact_url: str
    address: tuple[str, ...]
    dpo: Contact
    processors: tuple[Processor, ...]
    processing_inside_eea: bool
    logo: str

    def __str__(self) -> str:
        return self.name

    @property
    def phone_href(self) -> str:
        """``tel:`` link: the digits of the number, with a leading + kept and the "(0)"
        that is not dialled from abroad left out."""
        number = self.phone.strip().replace("(0)", "")
        digits = "".join(c for c in number if c.isdigit())
        return "tel:" + ("+" + digits if number.startswith("+") else digits)

    @property
    def website_host(self) -> str:
        """``https://www.voorbeeldstad.nl/`` → ``www.voorbeeldstad.nl``, for link texts."""
        return self.website.split("://", 1)[-1].rstrip("/")


def parse_processors(value: str) -> tuple[Processor, ...]:
    """``"hosting=Host B.V.;mail=Mail B.V."`` → two processors, in that order. A part
    without ``=`` is a name without a role."""
    processors = []
    for part in value.split(";"):
        role, sep, name = part.partition("=")
        if not sep:
            role, name = "", role
        if name.strip():
            processors.append(Processor(role=role.strip(), name=name.strip()))
    return tuple(processors)


def organisation() -> Organisation:
    """The organisation as the settings describe it now (cheap: no I/O)."""
    return Organisation(
        name=settings.BIJEEN_ORGANISATION_NAME,
        website=settings.BIJEEN_ORGANISATION_WEBSITE,
        phone=settings.BIJEEN_ORGANISATION_PHONE,
        contact_url=settings.BIJEEN_ORGANISATION_CONTACT_URL,
        address=tuple(line.strip() for line in settings.BIJEEN_ORGANISATION_ADDRESS),
        dpo=Contact(settings.BIJEEN_DPO_CONTACT.strip()),
        processors=parse_processors(settings.BIJEEN_PROCESSORS),
        processing_inside_eea=settings.BIJEEN_PROCESSING_INSIDE_EEA,
        logo=settings.BIJEEN_LOGO.strip(),
    )
