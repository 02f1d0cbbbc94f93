"""Every public page speaks one language: no untranslated Dutch of ours in English pages,
and no English of ours in Dutch pages."""

import re
from pathlib import Path

import polib
import pytest

from tests.browser.public_pages import LANGUAGES, PUBLIC_PAGES, make_site_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def phrases(texts: list[str]) -> list[str]:
    """The literal pieces of catalogue texts, split at their placeholders."""
    pieces = (piece.strip(" .,:;") for text in texts for piece in PLACEHOLDER.split(text))
    return sorted({piece for piece in pieces if len(piece) >= 3})


def catalogue_pairs() -> list[tuple[str, str]]:
    pairs = []
    for entry in polib.pofile(str(CATALOG)):
        if entry.msgid_plural:
            pairs += [(entry.msgid, entry.msgstr_plural[0])]
            pairs += [(entry.msgid_plural, entry.msgstr_plural[1])]
        else:
            pairs.append((entry.msgid, entry.msgstr))
    return [(nl, en) for nl, en in pairs if en and nl != en]


PAIRS = catalogue_pairs()
FOREIGN = {
    "en": phrases([nl for nl, _ in PAIRS]),  # Dutch of ours must not show in English
    "nl": phrases([en for _, en in PAIRS]),  # and English of ours not in Dutch
}


OWN_LANGUAGE_TEXT = """(lang) => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("[lang]").forEach((el) => { if (el.lang !== lang) el.remove(); });
  document.documentElement.appendChild(body);  // innerText needs a rendered element
  const text = body.innerText;
  body.remove();
  return text;
}"""


def test_the_english_catalogue_is_complete():
    untranslated = [e.msgid for e in polib.pofile(str(CATALOG)).untranslated_entries()]
    assert not untranslated


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_page_has_no_text_of_ours_in_the_other_language(live_server, page, name, lang):
    data = make_site_data()
    PUBLIC_PAGES[name](page, live_server.url, lang, data)
    # Text marked as another language (a Dutch event text on /en/ without an English one,
    # with lang="nl" and a note) is not ours to translate.
    text = page.evaluate(OWN_LANGUAGE_TEXT, lang) + " " + page.title()
    # Names that stay as they are in both languages: each language's own name in the
    # switch, and the title of the WCAG standard.
    for name_of_a_thing in ("English", "Nederlands", "Web Content Accessibility Guidelines"):
        text = text.replace(name_of_a_thing, "")

    found = [
        phrase for phrase in FOREIGN[lang] if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    ]
    assert not found, f"{name} in {lang} shows: {found}"
