"""URL routes and middleware for the API benchmark only (settings: cms.settings.bench).

Adds, beside the site's own routes: Wagtail's REST API v2 ``pages`` endpoint with the
service page's fields exposed (the baseline most Wagtail sites use), a static file view
for a saved GraphQL answer (the limit no dynamic path can beat), an ``X-Civic-Queries``
header with the number of SQL queries a request ran, and ``POST /bench/change/``: a real
content change (a page published again) so that the benchmark's next request is cold.
"""

import uuid

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.static import serve
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page

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


def make_content_change(slug: str, locale: str) -> int:
    """Publish the live page ``slug`` of ``locale`` again, with a new search description.

    A real change through Wagtail's own publish path (revision, publish, signals), as an
    editor would make it; the answers the benchmark asks for do not include the search
    description, so their bytes stay the same while everything kept about the content
    must be renewed.
    """
    page = Page.objects.live().get(slug=slug, locale__language_code=locale).specific
    page.search_description = f"Benchmark change {uuid.uuid4().hex}"
    page.save_revision().publish()
    return page.pk


@csrf_exempt
def content_change(request: HttpRequest):
    """``POST /bench/change/?slug=S&locale=L``: see ``make_content_change``."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pk = make_content_change(request.GET["slug"], request.GET.get("locale", "es"))
    return JsonResponse({"changed": pk})


urlpatterns = [
    path("bench/change/", content_change),
    path("api/v2/", api_router.urls),
    path(
        "bench-static/<path:path>",
        serve,
        {"document_root": settings.CIVIC_BENCH_STATIC_DIR},
    ),
    *site_urlpatterns,
]
