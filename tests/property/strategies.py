"""What residents, browsers and bots might send: strategies shared by the property tests."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict
from hypothesis import strategies as st

# Any character HTTP can carry. Lone surrogates cannot be encoded as UTF-8, so no client
# can send one; everything else, unassigned code points included, is fair game.
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])

# Characters that have broken web forms before: controls (C0, DEL, C1), NUL, line and
# paragraph separators, direction overrides, zero-width and joiner characters, the byte
# order mark, non-characters, combining marks, full-width and astral characters.
ODD_CHARACTERS = st.sampled_from(
    [
        "\x00",
        "\x01",
        "\x08",
        "\t",
        "\n",
        "\r",
        "\x0b",
        "\x0c",
        "\x1b",
        "\x7f",
        "\x85",
        "\x9f",
        "\xa0",
        "\xad",
        "\u2028",
        "\u2029",
        "\u202e",
        "\u2066",
        "\u200b",
        "\u200d",
        "\ufeff",
        "\ufffd",
        "\ufffe",
        "\uffff",
        "\U0010ffff",
        "\u0301",
        "\uff21",
        "\U0001f600",
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",
        "@",
        "%",
        "&",
        "=",
        "+",
        "<",
        '"',
        "'",
        "\\",
        ";",
    ]
)
CONTROL_CHARACTERS = st.characters(categories=["Cc"])

any_text = st.text(ANY_CHARACTER, max_size=3000)
# Lists joined, not st.text(): some of the odd "characters" are several code points long.
ODD_PIECES = st.one_of(ODD_CHARACTERS, CONTROL_CHARACTERS, ANY_CHARACTER)
odd_text = st.lists(ODD_PIECES, max_size=300).map("".join)
# Very long values, up to 100 000 characters: cheap to build, costly to mishandle.
very_long_text = st.builds(
    lambda unit, times: unit * times,
    st.sampled_from(["a", "é", " ", "\x00", "\r\n", "\U0001f600", "a@b.nl"]),
    st.integers(min_value=2001, max_value=100_000),
)

NAMES = [
    "Anna de Vries",
    "Mohammed El Amrani",
    "Ängela Ørsted",
    "Jan",
    "李小龙",
    "O'Brien",
    "Anne-Marie",
    "J. de Vries",
    "Dr. Ir. K. Jansen",
    "prof.dr. A. Bakker",
]
realistic_name = st.sampled_from(NAMES)
# What a sign-up name must not be: the mail prints it after "Beste" (issue 13, item 12).
LINKISH_NAMES = [
    "https://evil.example/login",
    "www.evil.example",
    "aanvaller@evil.example (",
    "evil.example/login",
    "Anna, betaal via gemeente-betalen.nl",
]
linkish_name = st.sampled_from(LINKISH_NAMES)
realistic_email = st.one_of(
    st.emails(),
    st.sampled_from(["anna@example.org", "ANNA@Example.ORG", "jan.jansen@gemeente.nl"]),
)


def text_like(realistic: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Believable values half of the time (so valid input is well covered too), and
    otherwise anything: odd characters spliced in, empty, any text, very long."""
    anything = st.one_of(
        realistic.map(lambda value: f" {value}\t"),
        realistic.flatmap(
            lambda value: odd_text.map(lambda odd: value[: len(value) // 2] + odd + value)
        ),
        st.just(""),
        any_text,
        odd_text,
        very_long_text,
    )
    return st.one_of(realistic, anything)


CHECKBOX_VALUES = st.one_of(
    st.just("on"),
    st.sampled_from(["true", "True", "1", "false", "False", "0", "", "off", "no"]),
    odd_text,
)

# Django reads a form body as UTF-8 only; another known charset is a 400, an unknown one
# is ignored.
CHARSETS = ["; charset=utf-8", "; charset=UTF-8", "; charset=latin-1", "; charset=nope"]


@dataclass(frozen=True)
class FormBody:
    """One request body: how it is encoded, and what the server will parse from it."""

    body: bytes
    content_type: str

    @property
    def media_type(self) -> str:
        return self.content_type.partition(";")[0].strip()

    @property
    def charset(self) -> str | None:
        """The charset parameter, if Django knows the codec (it ignores others)."""
        charset = self.content_type.partition("charset=")[2]
        try:
            codecs.lookup(charset)
        except LookupError:
            return None
        return charset

    @property
    def refused(self) -> bool:
        """Whether Django refuses the body with a 400 before any form sees it: too big,
        or a form body in another charset than UTF-8 (Django 5.1+)."""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and len(self.body) > limit:
            return True
        return (
            self.media_type == "application/x-www-form-urlencoded"
            and self.charset is not None
            and self.charset.lower() != "utf-8"
        )

    def parsed(self) -> QueryDict | None:
        """The POST data as Django will see it, to compute validity with the form class;
        None when Django reads no form data from this body or refuses it."""
        if self.media_type != "application/x-www-form-urlencoded" or self.refused:
            return None
        return QueryDict(self.body, encoding="utf-8")


@st.composite
def form_bodies(draw, fields: dict[str, st.SearchStrategy[str]]) -> FormBody:
    """A urlencoded form body with each known field present, missing or repeated, and
    sometimes extra fields, in any order, sometimes with an odd charset parameter."""
    pairs: list[tuple[str, str]] = []
    for name, values in fields.items():
        # Mostly once; sometimes missing or repeated (Django then reads the last one).
        count = draw(st.sampled_from([1, 1, 1, 1, 1, 1, 1, 1, 0, 2]))
        pairs += [(name, draw(values)) for _ in range(count)]
    extra_names = st.one_of(
        st.sampled_from(["id", "status", "event", "token", "website", "_method"]),
        st.text(ANY_CHARACTER, min_size=1, max_size=30),
    )
    pairs += draw(st.lists(st.tuples(extra_names, text_like(st.just("x"))), max_size=4))
    pairs = draw(st.permutations(pairs))
    charset = draw(st.sampled_from(["", "", "", *CHARSETS]))
    body = urlencode(pairs).encode("ascii")
    return FormBody(body=body, content_type=f"application/x-www-form-urlencoded{charset}")


# Bodies no browser would send: raw bytes as a form, and broken multipart.
garbage_bodies = st.builds(
    FormBody,
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "multipart/form-data; boundary=grens",
            "application/json",
            "text/plain; charset=utf-8",
        ]
    ),
)

UNSAFE_METHODS = ["PUT", "PATCH", "DELETE"]
OTHER_METHODS = ["GET", "HEAD", "OPTIONS", *UNSAFE_METHODS]
