from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


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


@require_safe
def bench_baseline(request: HttpRequest) -> HttpResponse:
    """The cheapest answer through the whole middleware stack: the benchmark's yardstick.

    Mounted only when ``BIJEEN_BENCH_BASELINE`` is set (config/urls.py); no database, no
    template, a fixed short body.
    """
    return HttpResponse("ok\n", content_type="text/plain")
