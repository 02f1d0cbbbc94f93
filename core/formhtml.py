"""Empty forms rendered once per language and process, not on every page view.

Rendering a form through crispy-forms and our template pack costs about 2 ms, and the
event page has two (the sign-up and the reaction form): nearly half of its render (the
profile in docs/performance.md). The HTML of an *empty* form depends only on the code
(fields, labels, help texts, the template pack) and the active language, never on data
or on the visitor: the CSRF token is outside it. So each process renders it once per
language and reuses the string. A bound form (the visitor's input and errors) is rendered
as usual. Nothing here can go stale: the code changes only with a deploy, which restarts
the processes.

A form whose empty shape depends on data (an event's party size and questions) is kept
under a key made of exactly that data (``keyed_form_html``): when staff change a
question, the key changes with it, and the old entry is never asked for again.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

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


KEYED_MAX = 256
_keyed: OrderedDict[tuple, str] = OrderedDict()
_keyed_lock = threading.Lock()


def keyed_form_html(key: Hashable, build: Callable[[], forms.BaseForm]) -> SafeString:
    """The crispy HTML of the empty form ``build()`` makes, from memory under ``key``.

    ``key`` must hold everything the empty form's HTML depends on besides the code and the
    active language (which is added here); the least recently used of ``KEYED_MAX`` entries
    is forgotten first.
    """
    full_key = (key, get_language())
    with _keyed_lock:
        html = _keyed.get(full_key)
        if html is not None:
            _keyed.move_to_end(full_key)
    if html is None:
        html = render_crispy_form(build())
        with _keyed_lock:
            _keyed[full_key] = html
            if len(_keyed) > KEYED_MAX:
                _keyed.popitem(last=False)
    return mark_safe(html)  # noqa: S308 (crispy's own output)
