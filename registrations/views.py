import logging
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from core import personal
from core.pagecache import shared_refusal
from core.ratelimit import limit_posts
from events.models import Event, EventStatus
from registrations import services
from registrations.forms import PartySizeForm, SignupForm
from registrations.models import Registration
from registrations.questions import answered
from registrations.selectors import (
    event_for_signup,
    personal_data,
    waitlist_position,
)
from registrations.templatetags.registrations_tags import notice_in_place_of_form

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(scope="signup", setting="SIGNUP")
def signup(request: HttpRequest, slug: str) -> HttpResponse:
    """Bind the sign-up form, call the service, and redirect to the personal page."""
    try:
        event, questions = event_for_signup(slug)
    except Event.DoesNotExist:
        raise Http404 from None
    if request.method != "POST":
        return redirect(event)
    offer_waitlist = "waitlist_ok" in request.POST
    form = SignupForm(request.POST, event=event, questions=questions, offer_waitlist=offer_waitlist)
    if form.caught_in_honeypot:
        # Only a bot fills the hidden field: answer as if nothing is wrong, write nothing.
        logger.info("Sign-up for %s dropped: honeypot filled in", event.slug)
        return redirect(event)
    status = 422
    if form.is_valid():
        try:
            registration = services.register(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                party_size=form.party_size,
                answers=form.answers,
                questions=questions,
                waitlist_ok=bool(form.cleaned_data.get("waitlist_ok")),
            )
        except services.PartyDoesNotFit as exc:
            # Some seats are left, not enough for the party: say how many, and offer the
            # waiting list when it has room (the resident's entries stay in the form).
            status = 409
            form = SignupForm(
                request.POST,
                event=event,
                questions=questions,
                offer_waitlist=exc.waitlist_possible,
            )
            form.is_valid()
            form.add_error("party_size" if "party_size" in form.fields else None, exc.message)
        except (services.PartySizeNotAllowed, services.AlreadyRegistered) as exc:
            status = 409
            field = "email" if isinstance(exc, services.AlreadyRegistered) else "party_size"
            form.add_error(field if field in form.fields else None, exc.message)
            event = _as_decided(event, exc)
        except services.RegistrationError as exc:
            status = 409
            # Show the event as it is now: if it filled up or closed meanwhile, the block
            # says so in place of the form (the notice is the message).
            event = _as_decided(event, exc)
            notice = notice_in_place_of_form(event)
            if notice is not None and not form.errors:
                # No form on the page, so nothing of the resident's: the page is the same
                # for every refused anonymous resident and shared for a second (with each
                # one's own CSRF token). Most attempts of a rush end here.
                return shared_refusal(
                    request, notice, lambda token: _event_page(request, event, form, token)
                )
        else:
            return HttpResponseRedirect(registration.get_absolute_url())
    return _event_page(request, event, form, None, status=status)


def _as_decided(event: Event, refusal: services.RegistrationError) -> Event:
    """The event as the service saw it under the lock when it refused (no second read),
    or read again when the refusal came before the lock."""
    if refusal.event is not None:
        return refusal.event
    event.refresh_from_db()
    return event


def _event_page(request, event, form, csrf_token, *, status: int = 409) -> HttpResponse:
    context = {"event": event, "signup_form": form}
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render(request, "events/event_detail.html", context, status=status)


def _personal(view):
    """For the views of the personal link: the request is marked as a personal page
    before anything renders (so no statistics code, core.personal), and every answer gets
    the personal page's headers (no caching, no indexing, no referrer)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        personal.mark(request)
        return personal.protect(view(request, *args, **kwargs))

    return wrapped


def _by_token(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event").filter(anonymised_at__isnull=True),
        token=token,
    )


def _can_cancel(registration: Registration) -> bool:
    """Still signed up, and the event neither begun nor cancelled (a cancelled event's
    registrations stay as the record; there is no seat to give back)."""
    event = registration.event
    return (
        registration.is_active
        and event.status != EventStatus.CANCELLED
        and not event.has_begun(now=timezone.now())
    )


SELF_SERVICE_LIMIT = limit_posts(
    scope="self-service", setting="SELF_SERVICE", methods=("GET", "HEAD", "POST")
)


@_personal
@require_safe
@SELF_SERVICE_LIMIT
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's personal page for one registration, reached by its secret link."""
    return _detail_page(request, _by_token(token))


def _detail_page(
    request: HttpRequest, registration: Registration, *, party_form=None, status: int = 200
) -> HttpResponse:
    can_change = _can_cancel(registration)
    party_size_form = None
    if can_change and registration.event.asks_party_size:
        party_size_form = party_form or PartySizeForm(
            maximum=max(registration.event.max_party_size, registration.party_size),
            initial={"party_size": registration.party_size},
        )
    context = {
        "registration": registration,
        "waitlist_position": waitlist_position(registration),
        "can_cancel": can_change,
        "answers": answered(registration.answers.select_related("question")),
        "party_size_form": party_size_form,
    }
    return render(request, "registrations/registration_detail.html", context, status=status)


@csrf_exempt  # as registration_cancel, below
@_personal
@require_http_methods(["GET", "HEAD", "POST"])
@SELF_SERVICE_LIMIT
def registration_party_size(request: HttpRequest, token: str) -> HttpResponse:
    """Change how many persons come (POST from the personal page)."""
    registration = _by_token(token)
    if request.method != "POST" or not _can_cancel(registration):
        return HttpResponseRedirect(registration.get_absolute_url())
    maximum = max(registration.event.max_party_size, registration.party_size)
    form = PartySizeForm(request.POST, maximum=maximum)
    status = 422
    if form.is_valid():
        try:
            services.change_party_size(
                registration=registration, party_size=form.cleaned_data["party_size"]
            )
        except services.RegistrationError as exc:
            status = 409
            form.add_error("party_size", exc.message)
            registration.refresh_from_db()
        else:
            return HttpResponseRedirect(registration.get_absolute_url() + "#personen")
    return _detail_page(request, registration, party_form=form, status=status)


# Exempt from CSRF checks: with no referrer, browsers post the forms of a personal page
# with "Origin: null" and no Referer, which Django's check refuses. It would add nothing
# here: the secret token in the address is the credential, and whoever knows it can post
# without the resident's browser.
@csrf_exempt
@_personal
@require_http_methods(["GET", "HEAD", "POST"])
@SELF_SERVICE_LIMIT
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Ask "are you sure?" (GET), then cancel (POST) and show the personal page again."""
    registration = _by_token(token)
    error = None
    if request.method == "POST" and registration.is_active:
        try:
            services.cancel(registration=registration)
        except services.RegistrationError as exc:
            error = exc.message
        else:
            return HttpResponseRedirect(registration.get_absolute_url())
    if not _can_cancel(registration) and error is None:
        return HttpResponseRedirect(registration.get_absolute_url())
    context = {"registration": registration, "error": error}
    response = render(request, "registrations/registration_cancel.html", context)
    if error:
        response.status_code = 409
    return response


@_personal
@require_safe
@SELF_SERVICE_LIMIT
def registration_data(request: HttpRequest, token: str) -> HttpResponse:
    """Everything we hold about this registration, as a JSON download (AVG art. 15)."""
    registration = _by_token(token)
    response = JsonResponse(
        personal_data(registration), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="bijeen-gegevens.json"'
    return response


@csrf_exempt  # as registration_cancel
@_personal
@require_http_methods(["GET", "HEAD", "POST"])
@SELF_SERVICE_LIMIT
def registration_erase(request: HttpRequest, token: str) -> HttpResponse:
    """Ask (GET), then erase the resident's data (POST, AVG art. 17)."""
    registration = _by_token(token)
    if request.method == "POST":
        services.erase(registration=registration)
        return HttpResponseRedirect(reverse("registrations:erased"))
    return render(request, "registrations/registration_erase.html", {"registration": registration})


@require_safe
def registration_erased(request: HttpRequest) -> HttpResponse:
    return render(request, "registrations/registration_erased.html")
