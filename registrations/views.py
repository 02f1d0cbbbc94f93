from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from events.models import Event
from registrations import services
from registrations.forms import SignupForm
from registrations.models import Registration


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


@require_safe
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's personal page for one registration, reached by its secret link."""
    registration = get_object_or_404(Registration.objects.select_related("event"), token=token)
    response = render(
        request, "registrations/registration_detail.html", {"registration": registration}
    )
    # Personal data: never stored by a shared cache or the browser's back-forward cache.
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
