"""Everything this site stores on a visitor's device, by category, in one place.

The banner, the Cookie-instellingen page, the consent cookie and the clean-up of cookies
without consent all read this list, so what we say and what we do cannot drift apart.

Bump ``VERSION`` when a category is added or a cookie or purpose changes: every visitor's
earlier choice then stops counting and they are asked again. (A category that an operator
switches on later, such as statistics once Matomo is configured, is asked about without a
bump: a choice only covers the categories it names.)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

VERSION = 1

NECESSARY = "noodzakelijk"
STATISTICS = "statistieken"
EXTERNAL_MEDIA = "externe-media"


@dataclass(frozen=True)
class CookieInfo:
    name: str
    purpose: Promise
    lifetime: Promise
    set_by: Promise | str


@dataclass(frozen=True)
class Category:
    key: str
    name: Promise
    description: Promise
    cookies: tuple[CookieInfo, ...]
    required: bool = False
    # For the banner: what we want to do, and why, as parts of one sentence each.
    what: Promise | None = None
    why: Promise | None = None
    # First-party cookies of this category, by name prefix. They are deleted from the
    # browser whenever the visitor has not (or no longer) allowed the category.
    delete_prefixes: tuple[str, ...] = ()
    more_info_url: str = ""
    more_info_label: Promise | None = None


def _this_site() -> str:
    # Built per language and organisation name (all_categories keys its cache on both).
    return _("Deze website (%(organisation)s)") % {
        "organisation": settings.BIJEEN_ORGANISATION_NAME
    }


def _matomo_host() -> str:
    return urlsplit(settings.MATOMO_URL).netloc or "Matomo"


def _consent_cookie_name() -> str:
    return settings.CONSENT_COOKIE_NAME


def _matomo_set_by() -> str:
    # Built per language (all_categories), so this is in the page's language.
    return _("%(organisation)s, met Matomo (%(host)s)") % {
        "organisation": settings.BIJEEN_ORGANISATION_NAME,
        "host": _matomo_host(),
    }


def _necessary() -> Category:
    return Category(
        key=NECESSARY,
        name=_("Noodzakelijk"),
        description=_(
            "Zonder deze cookies werkt de website niet: ze beveiligen formulieren, houden "
            "medewerkers ingelogd en onthouden je keuze over cookies. Daarvoor vragen we "
            "geen toestemming; ze staan altijd aan."
        ),
        required=True,
        cookies=(
            CookieInfo(
                "csrftoken",
                _("Beveiligt formulieren tegen misbruik door andere websites."),
                _("1 jaar"),
                _this_site(),
            ),
            CookieInfo(
                _consent_cookie_name(),
                _(
                    "Onthoudt je keuze over cookies: wat je koos, wanneer, de versie van deze "
                    "lijst en een willekeurig kenmerk van je keuze."
                ),
                _("1 jaar"),
                _this_site(),
            ),
            CookieInfo(
                "sessionid",
                _("Houdt medewerkers ingelogd in het beheer. Bezoekers krijgen deze cookie niet."),
                _("2 weken"),
                _this_site(),
            ),
            CookieInfo(
                "messages",
                _(
                    "Toont medewerkers in het beheer een melding na het opslaan. Bezoekers "
                    "krijgen deze cookie niet."
                ),
                _("Tot de melding getoond is"),
                _this_site(),
            ),
        ),
    )


def _statistics() -> Category:
    return Category(
        key=STATISTICS,
        name=_("Statistieken"),
        description=_(
            "Met Matomo tellen we hoe vaak pagina's bekeken worden en hoe bezoekers de "
            "website vinden, zodat we haar kunnen verbeteren. Matomo geeft je browser "
            "daarvoor een willekeurig nummer; je naam of e-mailadres ziet Matomo niet."
        ),
        what=_("meten hoe deze website gebruikt wordt (met Matomo)"),
        why=_("kunnen we de website verbeteren"),
        delete_prefixes=("_pk_",),
        cookies=(
            CookieInfo(
                "_pk_id.*",
                _("Herkent je browser bij een volgend bezoek, om bezoekers te tellen."),
                _("13 maanden"),
                _matomo_set_by(),
            ),
            CookieInfo(
                "_pk_ses.*",
                _("Telt de pagina's die je achter elkaar bekijkt als één bezoek."),
                _("30 minuten"),
                _matomo_set_by(),
            ),
            CookieInfo(
                "_pk_ref.*",
                _("Onthoudt via welke website je hier kwam."),
                _("6 maanden"),
                _matomo_set_by(),
            ),
            CookieInfo(
                "_pk_testcookie.*",
                _("Controleert of je browser cookies toestaat."),
                _("Wordt meteen weer verwijderd"),
                _matomo_set_by(),
            ),
        ),
    )


def _external_media() -> Category:
    return Category(
        key=EXTERNAL_MEDIA,
        name=_("Externe media"),
        description=_(
            "Bij een evenement tonen we de plek op een kaart van OpenStreetMap. Die kaart "
            "haalt je browser op bij openstreetmap.org; OpenStreetMap ziet dan je IP-adres "
            "en kan cookies plaatsen. Zonder toestemming staat er een gewone link naar de "
            "kaart."
        ),
        what=_("de plek van een evenement tonen op een kaart van OpenStreetMap"),
        why=_("zie je meteen waar een evenement is"),
        cookies=(
            # A third party's cookies: which ones, and for how long, is theirs to decide and
            # may change; we name who sets them and link their policy rather than guess.
            CookieInfo(
                _("Cookies van OpenStreetMap"),
                _(
                    "OpenStreetMap bepaalt zelf welke cookies de kaart gebruikt en waarvoor; "
                    "zie het privacybeleid van de OpenStreetMap Foundation."
                ),
                _("Bepaalt OpenStreetMap"),
                _("OpenStreetMap Foundation"),
            ),
        ),
        more_info_url="https://osmfoundation.org/wiki/Privacy_Policy",
        more_info_label=_("Privacybeleid van de OpenStreetMap Foundation (Engelstalig)"),
    )


def statistics_configured() -> bool:
    """Statistics exist only where an operator configured Matomo; otherwise we never ask."""
    return bool(settings.MATOMO_URL and settings.MATOMO_SITE_ID)


def all_categories() -> list[Category]:
    """Every category this code knows, used or not (cookies of unused ones get deleted)."""
    return list(
        _built(
            get_language(),
            settings.BIJEEN_ORGANISATION_NAME,
            settings.MATOMO_URL,
            settings.CONSENT_COOKIE_NAME,
        )
    )


@functools.lru_cache(maxsize=16)
def _built(language: str | None, *settings_read: str) -> tuple[Category, ...]:
    """The categories, built once per language and per value of the settings they read
    (passed in only to key the cache): a page asks for them several times, and building
    them translates a few dozen strings (a tenth of an event page's CPU, measured)."""
    return (_necessary(), _statistics(), _external_media())


def active_categories() -> list[Category]:
    """The categories this installation uses, in the order the pages show them."""
    return [
        category
        for category in all_categories()
        if category.key != STATISTICS or statistics_configured()
    ]


def optional_categories() -> list[Category]:
    """The categories a visitor chooses about."""
    return [category for category in active_categories() if not category.required]
