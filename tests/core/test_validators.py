"""A name is a name: links and addresses are refused, real names with dots, apostrophes
and any script are not (issue 13, item 12)."""

import pytest

from core.validators import looks_like_link_or_address

REAL_NAMES = [
    "Anna de Vries",
    "O'Brien",
    "Anne-Marie van den Berg",
    "J. de Vries",
    "Dr. Ir. K. Jansen",
    "prof.dr. A. Bakker",
    "mr.drs. P. de Wit",
    "J.P. Balkenende",
    "J.P.Balkenende",
    "Dr.Ir.K.Jansen",
    "A.B.C. Smit",
    "Sint-Jan",
    "Jansen, Piet",
    "Mohammed El Amrani",
    "Ängela Ørsted",
    "李小龙",
    "Ольга Петрова",
    "محمد",
    "Zoë (buurvrouw)",
    "Familie Jansen & co.",
    "Wiebe de Vries Jr.",
    "W.W.W. Jansen",
    "Anna 2.0",
]

LINKS_AND_ADDRESSES = [
    "https://evil.example/login",
    "http://evil.example",
    "Anna HTTPS://EVIL.EXAMPLE",
    "hxxps://evil.example",
    "ftp://evil.example",
    "www.evil.example",
    "Anna, ga naar WWW.gemeente-betalen.nl",
    "aanvaller@evil.example",
    "aanvaller@evil.example (",
    "Anna @ evil",
    "evil.example/login",
    "gemeente-betalen.nl",
    "Beste klant, betaal via gemeente-betalen.nl",
    "betaal op Gemeente-Betalen.COM nu",
    "evil.example:8080",
    "evil.nl?x=1",
    "mailto:anna",
    # Look-alikes a mail client may still turn into a link.
    "\uff57\uff57\uff57\uff0eevil\uff0eexample",  # full-width www.evil.example
    "anna\uff20evil.example",  # full-width @
    "https\uff1a\uff0f\uff0fevil.example",  # full-width ://
    "evil\u3002nl/login",  # ideographic full stop
    "w\u200bww.evil.example",  # a zero-width space
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_names_are_names(name):
    assert not looks_like_link_or_address(name)


@pytest.mark.parametrize("text", LINKS_AND_ADDRESSES)
def test_links_and_addresses_are_not_names(text):
    assert looks_like_link_or_address(text)
