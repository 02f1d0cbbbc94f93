"""The API's rate limit: counted by core's limiter, answered by DRF as a JSON 429."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from core import ratelimit

if TYPE_CHECKING:  # DRF loads this module while its views module is being imported
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ApiRateThrottle(BaseThrottle):
    """``API_RATE_LIMIT`` requests per ``API_RATE_WINDOW`` seconds per client address, in
    the shared cache like every other limit (and failing open with it)."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        return not ratelimit.hit(
            scope="api",
            key=ratelimit.client_address(request),
            limit=settings.API_RATE_LIMIT,
            window=settings.API_RATE_WINDOW,
        )

    def wait(self) -> float:
        return float(settings.API_RATE_WINDOW)
