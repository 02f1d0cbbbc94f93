import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import theme
from core.organisation import organisation


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that is down or restarting is a 503 "try again shortly",
    not an error of ours; anything else is a 500. Neither page touches the database (the
    organisation's name in their titles comes from settings)."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        page = loader.get_template("503.html").render({"organisation": organisation()})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponseServerError(
        loader.get_template("500.html").render({"organisation": organisation()})
    )


@require_safe
def bench_baseline(request: HttpRequest) -> HttpResponse:
    """The cheapest answer through the whole middleware stack: the benchmark's yardstick.

    Mounted only when ``BIJEEN_BENCH_BASELINE`` is set (config/urls.py); no database, no
    template, a fixed short body.
    """
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def house_style_css(request: HttpRequest) -> HttpResponse:
    """``/huisstijl.css``: the design tokens of ``BIJEEN_BRAND_*`` (core/theme.py).

    A stylesheet of its own because the Content-Security-Policy allows no inline style.
    Pages link it as ``?v=<hash of its content>``, so a browser may keep that version for
    a year and a new colour is a new address. 404 when no brand colour is set (pages then
    do not link it).
    """
    css, version = theme.brand_css()
    if not css:
        raise Http404
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    current = request.GET.get("v") == version
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if current else "public, max-age=300"
    )
    return response
