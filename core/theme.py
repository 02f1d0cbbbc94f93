"""The house style: design tokens in three layers, and whether their colours can be read.

The look comes from ``--bijeen-*`` custom properties (NL Design System's way: design
tokens). Three layers, the later one wins:

1. the defaults in ``:root`` of ``static/css/bijeen.css``;
2. an organisation's tokens file, ``BIJEEN_THEME_CSS`` (its ``:root`` blocks);
3. ``BIJEEN_BRAND_COLOR`` (with ``BIJEEN_BRAND_TEXT_COLOR`` and
   ``BIJEEN_BRAND_HOVER_COLOR``), served as ``/huisstijl.css`` by
   ``core.views.house_style_css``: a stylesheet, because the Content-Security-Policy
   allows no inline style.

``contrast_problems()`` computes the WCAG 2.1 contrast ratio of every colour pair the
site's CSS puts together, on the tokens all three layers give; ``core/checks.py`` turns
each pair below its minimum into a system check error, so a colour nobody can read stops
``manage.py check`` (and so ``migrate``, ``runserver`` and the deployment) before it
reaches a resident.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

# WCAG 2.1 success criterion 1.4.3 (text) and 1.4.11 (the boundaries of controls, the
# focus indicator).
TEXT = 4.5
NON_TEXT = 3.0

HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
ROOT_BLOCK = re.compile(r":root\s*\{([^}]*)\}")
DECLARATION = re.compile(r"(--bijeen-[\w-]+)\s*:\s*([^;]+?)\s*(?:;|$)")
VAR = re.compile(r"^var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)$")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)

DEFAULT_CSS = "css/bijeen.css"


@dataclass(frozen=True)
class Pair:
    """Text (or a line) in colour ``foreground`` on colour ``background``."""

    foreground: str
    background: str
    minimum: float
    where: str


@dataclass(frozen=True)
class FocusRing:
    """The two-colour focus indicator (WCAG technique C40) on ``background``: one of its
    two colours must stand out from the background by 3:1."""

    background: str
    where: str
    colours: tuple[str, str] = ("--bijeen-color-focus", "--bijeen-color-focus-contrast")
    minimum: float = NON_TEXT


# Every pair static/css/bijeen.css combines. A new rule that puts a token on another
# background adds its pair here.
PAIRS: tuple[Pair, ...] = (
    Pair("--bijeen-color-text", "--bijeen-color-bg", TEXT, "text on the page background"),
    Pair(
        "--bijeen-color-text",
        "--bijeen-color-bg-subtle",
        TEXT,
        "text on the subtle background (sign-up box, footer)",
    ),
    Pair("--bijeen-color-muted", "--bijeen-color-bg", TEXT, "muted text on the page background"),
    Pair(
        "--bijeen-color-muted",
        "--bijeen-color-bg-subtle",
        TEXT,
        "muted text on the subtle background (hints in the sign-up form)",
    ),
    Pair("--bijeen-color-primary", "--bijeen-color-bg", TEXT, "links on the page background"),
    Pair(
        "--bijeen-color-primary",
        "--bijeen-color-bg-subtle",
        TEXT,
        "links on the subtle background (footer, sign-up box)",
    ),
    Pair(
        "--bijeen-color-primary",
        "--bijeen-color-info-bg",
        TEXT,
        "links in the cookie banner and info messages",
    ),
    Pair(
        "--bijeen-color-primary-hover",
        "--bijeen-color-bg",
        TEXT,
        "links under the mouse on the page background",
    ),
    Pair(
        "--bijeen-color-primary-text",
        "--bijeen-color-primary",
        TEXT,
        "button text on the primary colour",
    ),
    Pair(
        "--bijeen-color-primary-text",
        "--bijeen-color-primary-hover",
        TEXT,
        "button text on the primary colour under the mouse",
    ),
    Pair(
        "--bijeen-color-header-text",
        "--bijeen-color-header-bg",
        TEXT,
        "header text and links on the header background",
    ),
    Pair("--bijeen-color-error", "--bijeen-color-bg", TEXT, "error messages"),
    Pair("--bijeen-color-error", "--bijeen-color-error-bg", TEXT, "links in the error summary"),
    Pair("--bijeen-color-success-border", "--bijeen-color-bg", TEXT, "the status label Open"),
    Pair(
        "--bijeen-color-warning-border",
        "--bijeen-color-bg",
        TEXT,
        "the status label for the waiting list",
    ),
    Pair("--bijeen-color-text", "--bijeen-color-info-bg", TEXT, "text in info messages"),
    Pair("--bijeen-color-text", "--bijeen-color-warning-bg", TEXT, "text in warnings"),
    Pair("--bijeen-color-text", "--bijeen-color-success-bg", TEXT, "text in success messages"),
    Pair("--bijeen-color-text", "--bijeen-color-error-bg", TEXT, "text in error messages"),
    Pair(
        "--bijeen-color-border",
        "--bijeen-color-bg",
        NON_TEXT,
        "the border of text fields on the page background",
    ),
)
FOCUS_RINGS: tuple[FocusRing, ...] = (
    FocusRing("--bijeen-color-bg", "the focus ring on the page background"),
    FocusRing("--bijeen-color-bg-subtle", "the focus ring on the subtle background"),
    FocusRing("--bijeen-color-info-bg", "the focus ring in the cookie banner"),
    FocusRing("--bijeen-color-header-bg", "the focus ring in the header"),
)


# --- Colours ---------------------------------------------------------------------------


def parse_hex(value: str) -> tuple[int, int, int] | None:
    """``#1a4f7a`` or ``#fff`` → ``(26, 79, 122)``; anything else → None."""
    value = value.strip()
    if not HEX.match(value):
        return None
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """From 1 (the same) to 21 (black on white), whichever colour is lighter."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def shown(ratio: float) -> str:
    """``4.49`` → ``"4.4:1"``: rounded down, so a ratio just short never reads as enough."""
    return f"{math.floor(ratio * 10) / 10:.1f}:1"


def darker(rgb: tuple[int, int, int], amount: float = 0.25) -> tuple[int, int, int]:
    """The colour mixed with ``amount`` black: the hover shade of a brand colour."""
    return tuple(round(c * (1 - amount)) for c in rgb)  # type: ignore[return-value]


# --- Tokens ----------------------------------------------------------------------------


def tokens_in_css(text: str) -> dict[str, str]:
    """The ``--bijeen-*`` declarations in the ``:root`` blocks of a stylesheet, the later
    one winning as in the browser."""
    tokens: dict[str, str] = {}
    for block in ROOT_BLOCK.findall(COMMENT.sub("", text)):
        tokens.update(DECLARATION.findall(block))
    return tokens


def resolve(tokens: dict[str, str], name: str) -> str | None:
    """A token's value with ``var(--other)`` (and a fallback) followed, as far as the
    tokens go; None when it is not defined."""
    value = tokens.get(name)
    for _ in range(10):  # a cycle is no colour
        if value is None:
            return None
        match = VAR.match(value.strip())
        if not match:
            return value.strip()
        value = tokens.get(match.group(1), match.group(2))
    return None


def static_file(path: str) -> Path | None:
    found = finders.find(path) if path else None
    return Path(found) if found else None


def brand_tokens() -> dict[str, str]:
    """The tokens ``BIJEEN_BRAND_*`` set (only valid colours; the check reports others)."""
    tokens: dict[str, str] = {}
    primary = parse_hex(settings.BIJEEN_BRAND_COLOR)
    if primary:
        tokens["--bijeen-color-primary"] = to_hex(primary)
        hover = parse_hex(settings.BIJEEN_BRAND_HOVER_COLOR) or darker(primary)
        tokens["--bijeen-color-primary-hover"] = to_hex(hover)
    text = parse_hex(settings.BIJEEN_BRAND_TEXT_COLOR)
    if text:
        tokens["--bijeen-color-primary-text"] = to_hex(text)
    return tokens


def effective_tokens() -> dict[str, str]:
    """The tokens a page ends up with: defaults, then the tokens file, then the brand."""
    tokens: dict[str, str] = {}
    for path in (DEFAULT_CSS, settings.BIJEEN_THEME_CSS):
        file = static_file(path)
        if file:
            tokens.update(tokens_in_css(file.read_text(encoding="utf-8")))
    tokens.update(brand_tokens())
    return tokens


@dataclass(frozen=True)
class Problem:
    where: str
    detail: str
    minimum: float


def _colour(tokens: dict[str, str], name: str) -> tuple[int, int, int] | None:
    value = resolve(tokens, name)
    return parse_hex(value) if value else None


def contrast_problems(tokens: dict[str, str]) -> tuple[list[Problem], list[str]]:
    """The pairs below their minimum, and the tokens that are no colour this can read
    (``rgb()``, a colour name: the check cannot judge those and says so)."""
    problems: list[Problem] = []
    unreadable: set[str] = set()

    def colour(name: str) -> tuple[int, int, int] | None:
        rgb = _colour(tokens, name)
        if rgb is None:
            unreadable.add(name)
        return rgb

    for pair in PAIRS:
        fg, bg = colour(pair.foreground), colour(pair.background)
        if fg is None or bg is None:
            continue
        ratio = contrast_ratio(fg, bg)
        if ratio < pair.minimum:
            problems.append(
                Problem(
                    pair.where,
                    f"{pair.foreground} {to_hex(fg)} on {pair.background} {to_hex(bg)} "
                    f"is {shown(ratio)}",
                    pair.minimum,
                )
            )
    for ring in FOCUS_RINGS:
        bg = colour(ring.background)
        ring_colours = [(name, colour(name)) for name in ring.colours]
        if bg is None or any(rgb is None for _, rgb in ring_colours):
            continue
        ratios = [(name, rgb, contrast_ratio(rgb, bg)) for name, rgb in ring_colours]
        if max(ratio for *_, ratio in ratios) < ring.minimum:
            detail = " and ".join(
                f"{name} {to_hex(rgb)} is {shown(ratio)}" for name, rgb, ratio in ratios
            )
            problems.append(
                Problem(ring.where, f"on {ring.background} {to_hex(bg)}: {detail}", ring.minimum)
            )
    return problems, sorted(unreadable)


# --- The stylesheet of BIJEEN_BRAND_* ----------------------------------------------------


@functools.lru_cache(maxsize=8)
def _brand_css(items: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    if not items:
        return "", ""
    lines = "".join(f"  {name}: {value};\n" for name, value in items)
    css = f"/* BIJEEN_BRAND_* (docs/make-it-yours.md). */\n:root {{\n{lines}}}\n"
    return css, hashlib.sha256(css.encode()).hexdigest()[:12]


def brand_css() -> tuple[str, str]:
    """The ``:root`` block of ``BIJEEN_BRAND_*`` and its version (a hash); two empty
    strings when no brand colour is set, so the default look costs no extra request."""
    return _brand_css(tuple(sorted(brand_tokens().items())))
