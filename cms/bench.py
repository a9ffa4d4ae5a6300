"""URL routes and middleware for the API benchmark only (settings: cms.settings.bench).

Adds, beside the site's own routes: Wagtail's REST API v2 ``pages`` endpoint with the
service page's fields exposed (the baseline most Wagtail sites use), a static file view
for a saved GraphQL answer (the limit no dynamic path can beat), and an
``X-Civic-Queries`` header with the number of SQL queries a request ran.
"""

from django.conf import settings
from django.db import connections
from django.urls import path
from django.views.static import serve
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField

from services.models import ServicePage

from .urls import urlpatterns as site_urlpatterns

# The same content as the GraphQL query of the benchmark, as far as REST v2 can give it:
# the header image in two renditions; the body as stored (block values with ids).
ServicePage.api_fields = [
    APIField("description"),
    APIField("image_alt"),
    APIField("image", serializer=ImageRenditionField("width-1600")),
    APIField("image_card", serializer=ImageRenditionField("fill-640x360", source="image")),
    APIField("body"),
]

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)


class QueryCountMiddleware:
    """Answer every request with the number of SQL queries it ran."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Civic-Queries"] = str(count)
        return response


urlpatterns = [
    path("api/v2/", api_router.urls),
    path(
        "bench-static/<path:path>",
        serve,
        {"document_root": settings.CIVIC_BENCH_STATIC_DIR},
    ),
    *site_urlpatterns,
]
