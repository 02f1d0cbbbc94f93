"""Empty forms rendered once per language and process, not on every page view.

Rendering a form through crispy-forms and our template pack costs about 2 ms, and the
event page has two (the sign-up and the reaction form): nearly half of its render (the
profile in docs/performance.md). The HTML of an *empty* form depends only on the code
(fields, labels, help texts, the template pack) and the active language, never on data
or on the visitor: the CSRF token is outside it. So each process renders it once per
language and reuses the string. A bound form (the visitor's input and errors) is rendered
as usual. Nothing here can go stale: the code changes only with a deploy, which restarts
the processes.
"""

from __future__ import annotations

import functools

from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


@functools.lru_cache(maxsize=32)
def _render(form_class: type[forms.BaseForm], language: str | None) -> str:
    return render_crispy_form(form_class())


def empty_form_html(form_class: type[forms.BaseForm]) -> SafeString:
    """What ``{% crispy form_class() %}`` renders in the active language, from memory.

    Only for forms whose empty instance takes no arguments and shows nothing per request.
    """
    return mark_safe(_render(form_class, get_language()))  # noqa: S308 (crispy's own output)
