from django import template
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formhtml import empty_form_html
from events.models import Event
from reactions import selectors
from reactions.forms import ReactionForm
from reactions.views import NOTICE_PARAMETER, PUBLISHED, RECEIVED

register = template.Library()


@register.filter
def reaction_count(count: int) -> str:
    """``0 reacties``, ``1 reactie``, ``5 reacties``."""
    return ngettext("%(count)d reactie", "%(count)d reacties", count) % {"count": count}


def _notice(request: HttpRequest | None) -> str | None:
    """The message after a post, from the redirect's query parameter."""
    value = request.GET.get(NOTICE_PARAMETER) if request else None
    if value == RECEIVED:
        return _(
            "Bedankt voor je reactie. Een medewerker bekijkt hem eerst; daarna staat hij op "
            "deze pagina."
        )
    if value == PUBLISHED:
        return _("Bedankt voor je reactie. Hij staat nu op deze pagina.")
    return None


@register.inclusion_tag("reactions/_reactions_block.html", takes_context=True)
def reactions_block(context: template.Context, event: Event) -> dict:
    """The reactions of an event page: count, published reactions, and the form.

    One query, however many reactions the event has. A form re-rendered with errors
    arrives in the context as ``reaction_form``, a refusal as ``reaction_error``; the empty
    form's HTML comes from memory (core/formhtml.py).
    """
    request = context.get("request")
    bound = context.get("reaction_form")
    settings, reactions = selectors.event_page_reactions(event=event)
    return {
        "event": event,
        "reactions": reactions,
        "count": len(reactions),
        "is_open": event.is_published and settings.is_open,
        "is_moderated": settings.is_moderated,
        "form": bound,
        "form_html": None if bound else empty_form_html(ReactionForm),
        "error": context.get("reaction_error"),
        "notice": _notice(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "organisation": context.get("organisation"),
    }
