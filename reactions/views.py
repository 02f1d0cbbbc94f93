import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from core.ratelimit import limit_posts
from events.models import Event
from reactions import services
from reactions.forms import ReactionForm
from reactions.models import Reaction

logger = logging.getLogger(__name__)

# The query parameter that tells the event page which message to show after a post.
NOTICE_PARAMETER = "reactie"
RECEIVED = "ontvangen"  # waits for moderation
PUBLISHED = "geplaatst"  # shown at once


def _back_to_event(event: Event, *, notice: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        f"{event.get_absolute_url()}?{NOTICE_PARAMETER}={notice}#reactie-bericht"
    )


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(scope="reactions", setting="REACTIONS", template="reactions/rate_limited.html")
def post_reaction(request: HttpRequest, slug: str) -> HttpResponse:
    """Bind the form, call the service, redirect to the event page (the rate limit is
    checked before, every post counts: valid, invalid or caught in the honeypot)."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if request.method != "POST":
        return HttpResponseRedirect(event.get_absolute_url() + "#reacties")

    form = ReactionForm(request.POST)
    if form.caught_in_honeypot:
        # Answer as if all went well, so a bot learns nothing; write nothing.
        logger.info("Reaction to %s dropped: honeypot filled in", event.slug)
        return _back_to_event(event, notice=RECEIVED)

    status = 422
    error = None
    if form.is_valid():
        try:
            reaction: Reaction = services.reaction_create(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                text=form.cleaned_data["text"],
            )
        except services.ReactionError as exc:
            status = 409
            error = exc.message
        else:
            return _back_to_event(event, notice=PUBLISHED if reaction.is_published else RECEIVED)
    return render(
        request,
        "events/event_detail.html",
        {"event": event, "reaction_form": form, "reaction_error": error},
        status=status,
    )
