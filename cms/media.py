"""The files under MEDIA_ROOT, served by the CMS, never those of a private collection.

An image of a private collection (its original and every rendition) and a document of one
are not reachable by URL for anyone: they answer 404, as if absent, as the API and the
CMS's own pages do not name them (``cms.public``: one definition). Documents are still
served to the readers a collection's restriction admits by Wagtail's own view, at
``/documents/<id>/<file name>`` (``document.url``). Every other file is served as Django's
static view serves it.

``CIVIC_SERVE_MEDIA`` (on with the development settings) routes ``MEDIA_URL`` here. A
server in front that serves MEDIA_ROOT itself must leave ``original_images/``,
``images/`` and ``documents/`` to the CMS (docs/DELIVERY.md).
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .public import Public


def _owners(path: str) -> list:
    """The images and documents ``path`` is a file of (an original, a rendition, a
    document), as querysets."""
    image_model = get_image_model()
    renditions = image_model.get_rendition_model().objects.filter(file=path)
    return [
        image_model.objects.filter(file=path),
        image_model.objects.filter(pk__in=renditions.values("image_id")),
        get_document_model().objects.filter(file=path),
    ]


def is_private(path: str) -> bool:
    """Whether ``path`` (relative to MEDIA_ROOT) is a file of an image or a document of a
    private collection. Without any private collection, no file is looked up."""
    rules = Public(None)
    if not rules.restrictions[1]:
        return False
    return any(owners.exists() and not rules.media(owners).exists() for owners in _owners(path))


def serve_media(request, path: str):
    if not settings.CIVIC_SERVE_MEDIA or is_private(path):
        raise Http404("No such file.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
