from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from events.models import Event
from registrations import services
from registrations.forms import SignupForm
from registrations.models import Registration
from registrations.selectors import waitlist_position


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest, slug: str) -> HttpResponse:
    """Bind the sign-up form, call the service, and redirect to the personal page."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if request.method != "POST":
        return redirect(event)

    form = SignupForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            registration = services.register(
                event=event, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
            )
        except services.RegistrationError as exc:
            status = 409
            if isinstance(exc, services.AlreadyRegistered):
                form.add_error("email", exc.message)
            # Show the event as it is now: if it filled up or closed meanwhile, the block
            # says so in place of the form (the notice is the message).
            event.refresh_from_db()
        else:
            return HttpResponseRedirect(registration.get_absolute_url())
    return render(
        request, "events/event_detail.html", {"event": event, "signup_form": form}, status=status
    )


def _personal(response: HttpResponse) -> HttpResponse:
    """Headers for pages that show personal data."""
    # Never stored by a shared cache or the browser's back-forward cache; never indexed.
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _by_token(token: str) -> Registration:
    return get_object_or_404(Registration.objects.select_related("event"), token=token)


def _can_cancel(registration: Registration) -> bool:
    return registration.is_active and timezone.now() < registration.event.starts_at


@require_safe
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's personal page for one registration, reached by its secret link."""
    registration = _by_token(token)
    context = {
        "registration": registration,
        "waitlist_position": waitlist_position(registration),
        "can_cancel": _can_cancel(registration),
    }
    return _personal(render(request, "registrations/registration_detail.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
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
    return _personal(response)
