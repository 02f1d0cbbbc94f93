"""Checks that several public forms share."""

from __future__ import annotations


def has_control_characters(value: str, *, allowed: str = "") -> bool:
    """True when ``value`` holds an ASCII control character (below 32, or DEL) that is not
    in ``allowed`` (``"\\n\\t"`` for multi-line text). They have no place in a name or text
    a person typed, and some break mail headers, logs or spreadsheets."""
    return any((ord(char) < 32 or ord(char) == 127) and char not in allowed for char in value)
