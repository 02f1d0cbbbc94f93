"""Two-factor authentication for staff (TOTP, django-otp) and the staff session's limits.

The admin's own login form checks the password. After it, a staff member whose session is
not verified with a code is sent to one of two pages, and nowhere else:

- ``enrol``: the first time, when they have no confirmed authenticator yet: a QR code (and
  the key as text) for an authenticator app, then one code to confirm it.
- ``verify``: every later login: a code from the app.

Required for every staff account (superusers too) when ``ADMIN_REQUIRE_2FA`` is true
(``DJANGO_ADMIN_REQUIRE_2FA``: true in production, false in local development and tests).
A superuser resets a lost phone with ``manage.py reset_2fa <username>``: the next login
enrols anew.

A staff session ends ``STAFF_SESSION_MAX_AGE`` seconds after login (8 hours) and after
``STAFF_SESSION_IDLE`` seconds without a request (30 minutes), whatever the cookie says.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN_AT = "bijeen_staff_login_at"
SEEN_AT = "bijeen_staff_seen_at"
# URL names a staff member whose session is not verified yet may still reach.
EXEMPT = {"backoffice:2fa-enrol", "backoffice:2fa-verify", "admin:login", "admin:logout"}


TOO_MANY = gettext_lazy("Te veel verkeerde codes na elkaar. Wacht even en probeer het opnieuw.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit je authenticator-app"),
        help_text=gettext_lazy("Zes cijfers. De app maakt elke 30 seconden een nieuwe code."),
        min_length=6,
        max_length=8,
        error_messages={
            "required": gettext_lazy("Vul de code uit de app in."),
            "min_length": gettext_lazy("Vul alle cijfers van de code in."),
            "max_length": gettext_lazy("Vul alleen de cijfers van de code in."),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "class": "vTextField",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Vul alleen de cijfers van de code in."))
        return code


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def _to(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _verified(request: HttpRequest, device: TOTPDevice) -> HttpResponseRedirect:
    """The code was right: remember the device in the session, which gets a new key (the
    session is worth more now), and go on to where the staff member was going."""
    next_url = _next_url(request)
    request.session.cycle_key()
    otp_login(request, device)
    return HttpResponseRedirect(next_url)


def _qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def _grouped(key_b32: str) -> str:
    return " ".join(key_b32[i : i + 4] for i in range(0, len(key_b32), 4))


def _checked_code(request: HttpRequest, device: TOTPDevice) -> tuple[CodeForm, int | None]:
    """The code form, bound on POST, and the page's status: None when the posted code is
    right (the caller goes on), 200 for the empty form, 422 for a wrong or malformed code,
    429 while django-otp's throttle (doubling after each failure) holds."""
    form = CodeForm(request.POST or None)
    if request.method != "POST":
        return form, 200
    if not form.is_valid():
        return form, 422
    if not device.verify_is_allowed()[0]:
        form.add_error("code", TOO_MANY)
        return form, 429
    if device.verify_token(form.cleaned_data["code"]):
        return form, None
    form.add_error("code", _("Deze code klopt niet. Vul de nieuwste code uit de app in."))
    return form, 422


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    if not (request.user.is_authenticated and request.user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """First login: link an authenticator app, confirmed by one code."""
    if (refused := _staff_only(request)) is not None:
        return refused
    if _confirmed_device(request.user) is not None:
        return _to("backoffice:2fa-verify", _next_url(request))
    # One unconfirmed device per person, kept while they enrol, so a reload shows the same key.
    device = TOTPDevice.objects.devices_for_user(
        request.user, confirmed=False
    ).first() or TOTPDevice.objects.create(
        user=request.user, name=_("Authenticator-app"), confirmed=False
    )
    form, status = _checked_code(request, device)
    if status is None:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        messages.success(request, _("Tweestapsverificatie staat aan voor je account."))
        return _verified(request, device)
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "title": _("Tweestapsverificatie instellen"),
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": _grouped(key),
        "next": _next_url(request),
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    return render(request, "backoffice/2fa_enrol.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Every later login: a code from the app."""
    if (refused := _staff_only(request)) is not None:
        return refused
    device = _confirmed_device(request.user)
    if device is None:
        return _to("backoffice:2fa-enrol", _next_url(request))
    form, status = _checked_code(request, device)
    if status is None:
        return _verified(request, device)
    context = {
        "title": _("Code invullen"),
        "form": form,
        "next": _next_url(request),
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    return render(request, "backoffice/2fa_verify.html", context, status=status)


@receiver(user_logged_in, dispatch_uid="bijeen_staff_session_start")
def _start_staff_session(sender, request: HttpRequest, user, **kwargs) -> None:
    """The session's clocks start at login (saved with the login itself)."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class StaffSessionMiddleware:
    """Ends staff sessions that are too old or idle, and keeps a staff member whose
    session is not verified with a code on the two-factor pages. After django-otp's
    OTPMiddleware (which gives ``request.user.is_verified()``). Residents have no session
    and pass straight through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        now = time.time()
        session = request.session
        login_at = session.get(LOGIN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        if (
            now - login_at > settings.STAFF_SESSION_MAX_AGE
            or now - seen_at > settings.STAFF_SESSION_IDLE
        ):
            logout(request)
            messages.info(
                request, _("Je was te lang ingelogd of te lang niet actief. Log opnieuw in.")
            )
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        # Written at most every STAFF_SESSION_SEEN_RESOLUTION seconds, so a busy staff
        # member does not rewrite their session on every click.
        if now - seen_at >= settings.STAFF_SESSION_SEEN_RESOLUTION or SEEN_AT not in session:
            session[SEEN_AT] = now
            session.setdefault(LOGIN_AT, now)
        if settings.ADMIN_REQUIRE_2FA and not user.is_verified() and name not in EXEMPT:
            target = "backoffice:2fa-verify" if _confirmed_device(user) else "backoffice:2fa-enrol"
            return _to(target, request.get_full_path())
        return None
