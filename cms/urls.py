"""URL routes: the admin, documents, images, and the language-prefixed pages."""

import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.media import serve_media
from cms.translation_memory import UpdateTranslationsView
from cms.unavailable import graphql_unavailable
from delivery.graphql_cache import cached_graphql
from graphql_api.views import graphql_view

# A database outage answers 503 with Retry-After instead of a 500 (cms/unavailable.py).
handler500 = "cms.unavailable.server_error"

urlpatterns = [
    # wagtail-localize's "Sync translated pages", with the changed segments pre-filled.
    path(
        "admin/localize/update/<int:translation_source_id>/",
        UpdateTranslationsView.as_view(),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", cached_graphql(graphql_unavailable(graphql_view)), name="graphql"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
# Every media file but those of a private collection, when CIVIC_SERVE_MEDIA is on
# (cms/media.py).
urlpatterns.append(
    re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", serve_media)
)

# Every page URL carries its language: /es/…, /en/…, /ca/….
urlpatterns += i18n_patterns(
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
