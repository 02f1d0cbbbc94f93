"""Checks that several public forms share."""

from __future__ import annotations

import re
import unicodedata


def has_control_characters(value: str, *, allowed: str = "") -> bool:
    """True when ``value`` holds an ASCII control character (below 32, or DEL) that is not
    in ``allowed`` (``"\\n\\t"`` for multi-line text). They have no place in a name or text
    a person typed, and some break mail headers, logs or spreadsheets."""
    return any((ord(char) < 32 or ord(char) == 127) and char not in allowed for char in value)


# Top-level domains a mail client may turn into a link when a domain is written bare
# ("gemeente-betalen.nl"): the common and Dutch ones, and those popular with phishing. A
# complete list is the Public Suffix List; this one leaves out the few that are also Dutch
# abbreviations in names ("ir.", "mr.", "sr.", "st.", "ing."), so "Dr.Ir.K. Jansen" stays
# a name. A bare domain under another TLD gets through; with a path ("evil.example/login")
# or port any domain is refused.
_COMMON_TLDS = """
    nl be eu de fr uk lu at ch es it pl se dk no fi pt ie cz
    com net org info biz edu gov int mil name pro
    io co me tv cc ws to ly fm am nu su ru cn
    app dev online site website shop store xyz top click link live club vip work icu
    tk ml ga cf gq cam loan win bid
    frl amsterdam gent brussels vlaanderen berlin london
"""
COMMON_TLDS = frozenset(_COMMON_TLDS.split())

_SCHEME = re.compile(r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://|\b(?:mailto|javascript):")
_WWW = re.compile(r"(?<![\w.-])www\d*\.")
# A dotted name followed by a path, port or query: "evil.example/login".
_DOMAIN_WITH_PATH = re.compile(r"(?<![\w.-])(?:[\w-]+\.)+[^\W\d_][\w-]*(?:/|:\d|\?|#)")
# A dotted name as a word of its own, its last label captured: "gemeente-betalen.nl".
_BARE_DOMAIN = re.compile(r"(?<![\w.-])(?:[\w-]+\.)+([^\W\d_]{2,63})(?![\w-]|\.\w)")


def looks_like_link_or_address(value: str) -> bool:
    """True when ``value`` holds a web address or an e-mail address: a scheme (``https://``,
    ``mailto:``), ``www.``, an ``@``, a dotted name with a path or port, or a bare domain
    under a common top-level domain. For fields that hold a name, which a mail then prints
    after "Beste": a mail client turns such text into a link.

    Names with dots and initials ("J. de Vries", "prof.dr. A. Bakker", "J.P.Balkenende"),
    apostrophes, hyphens and any script are names. Look-alike characters (the full-width
    forms of w, the full stop and @, the ideographic full stop) and invisible ones in
    between count as what they look like.
    """
    text = "".join(char for char in value if unicodedata.category(char) != "Cf")
    text = unicodedata.normalize("NFKC", text).replace("\u3002", ".").casefold()
    if "@" in text or _SCHEME.search(text) or _WWW.search(text):
        return True
    if _DOMAIN_WITH_PATH.search(text):
        return True
    return any(match.group(1) in COMMON_TLDS for match in _BARE_DOMAIN.finditer(text))
