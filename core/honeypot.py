"""The honeypot on public forms: one field name, one template, one CSS rule.

A field that people never see (``core/_honeypot.html``, hidden by the ``.honeypot`` rule in
``static/css/bijeen.css`` and by ``aria-hidden``) and that bots like to fill in. A form
filled in there is answered as if all went well, and nothing is written.
"""

from __future__ import annotations

FIELD = "website"


class HoneypotFormMixin:
    """For a ``forms.Form``: ``caught_in_honeypot`` is True when the hidden field was filled.

    The field is not declared on the form, so it never reaches ``cleaned_data`` or the
    rendered layout; the template ``core/_honeypot.html`` renders it out of sight.
    """

    data: object

    @property
    def caught_in_honeypot(self) -> bool:
        return bool(self.data.get(FIELD))
