from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core.views import bench_baseline, healthz, house_style_css

handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The organisation's brand colours as design tokens (core/theme.py).
    path("huisstijl.css", house_style_css, name="house-style"),
    # The public JSON API: one address for every language, so outside i18n_patterns.
    path("api/v1/", include("api.urls")),
]

# For `make bench` only: every figure it reports is a ratio to this response.
if settings.BIJEEN_BENCH_BASELINE:
    urlpatterns.append(path("bench/baseline", bench_baseline, name="bench-baseline"))

# Dutch at the root, English under /en/. The path words stay Dutch in both languages so
# that links (in e-mails, on posters) never depend on the reader's language.
urlpatterns += i18n_patterns(
    # Before the admin's own URLs (its catch-all would answer first).
    path("admin/tweestapsverificatie/", include("backoffice.urls")),
    path("admin/", admin.site.urls),
    path("", include("consent.urls")),
    path("", include("pages.urls")),
    path("", include("registrations.urls")),
    path("", include("reactions.urls")),
    path("", include("events.urls")),
    prefix_default_language=False,
)
