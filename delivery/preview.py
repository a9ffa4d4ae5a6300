"""Preview in the decoupled frontend: signed, expiring tokens bound to one page and revision.

Previewing in the public site stores the page as the editor sees it (saved or not)
in a PreviewSnapshot and opens the site's frontend with a token. The frontend asks
the API for `page(previewToken: ...)`, which shows that snapshot and nothing else.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from wagtail.models import Page

from cms.public import Public

from .models import FrontendSettings, PreviewSnapshot

SALT = "civic.preview"


def preview_lifetime() -> timedelta:
    return timedelta(seconds=getattr(settings, "CIVIC_PREVIEW_TOKEN_SECONDS", 3600))


@dataclass(frozen=True)
class Preview:
    """A page instance built from a snapshot, ready for the API's usual types."""

    page: Page
    snapshot: PreviewSnapshot


class PreviewError(Exception):
    """The token is not a valid, current preview token; ``expired`` tells which case."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def issue_token(page: Page) -> str:
    """Store the page as it is now and return a token that shows exactly that."""
    PreviewSnapshot.remove_expired()
    original = Page.objects.get(pk=page.pk) if page.pk else None
    if original is None:
        raise PreviewError("Save the page once before previewing it in the frontend.")
    now = timezone.now()
    snapshot = PreviewSnapshot.objects.create(
        page=original,
        revision_id=original.latest_revision_id,
        content=page.serializable_data(),
        created_at=now,
        expires_at=now + preview_lifetime(),
    )
    return signing.dumps(
        {"s": snapshot.pk, "p": original.pk, "r": snapshot.revision_id}, salt=SALT, compress=True
    )


def resolve_token(token: str) -> Preview:
    """The previewed page for a token; PreviewError when it is forged, expired or revoked."""
    max_age = preview_lifetime().total_seconds()
    try:
        claims = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise PreviewError(
            "This preview link has expired; press Preview again.", expired=True
        ) from None
    except signing.BadSignature:
        raise PreviewError("This is not a valid preview link.") from None
    snapshot = (
        PreviewSnapshot.objects.select_related("page")
        .filter(pk=claims.get("s"), page_id=claims.get("p"), revision_id=claims.get("r"))
        .first()
    )
    if snapshot is None or snapshot.expires_at <= timezone.now():
        raise PreviewError("This preview link has expired; press Preview again.", expired=True)
    specific_class = snapshot.page.specific_class or Page
    page = specific_class.from_serializable_data(snapshot.content)
    return Preview(page=page, snapshot=snapshot)


def frontend_url(page: Page, request=None) -> str:
    """The public site's base URL for the page's site ("" when none is configured)."""
    site = page.get_site()
    configured = FrontendSettings.for_site(site).frontend_url if site else ""
    return (configured or getattr(settings, "CIVIC_FRONTEND_URL", "")).rstrip("/")


def on_public_site(page: Page, request) -> HttpResponseRedirect | None:
    """A reading of a page's CMS address sent to the same path on the public site, if any.

    A page the public rules hide (cms.public: expired, not yet live, another site's or an
    unserved language's) answers 404 first, whatever its ``live`` flag says: the CMS's own
    pages show what the API shows. View restrictions are Wagtail's serve view's to check
    (its password or login form runs before this).
    """
    if not Public.for_request(request).serves(page):
        raise Http404
    base = frontend_url(page, request)
    if base and request.method in ("GET", "HEAD"):
        # The path as asked (its query too): the public site has the same addresses.
        return HttpResponseRedirect(base + request.get_full_path())
    return None


class FrontendPreviewMixin:
    """The public site is where editors see a page: its preview and its live address.

    With a public site configured (the site's frontend setting, else CIVIC_FRONTEND_URL):
    - the preview panel opens the page as the public site renders it ("Public site", the
      default mode); "CMS template" is the CMS's own rendering;
    - the page's address on the CMS (the admin's "View live", an old link) redirects to the
      same path on the public site.
    Without one, the CMS serves and previews its own templates.
    """

    FRONTEND_MODE = "frontend"
    # A mode of its own name beside the public site's: an empty name is only ever the
    # default one (wagtail-localize's translation preview links every other mode by name).
    TEMPLATE_MODE = "cms"

    @property
    def preview_modes(self):
        if frontend_url(self):
            return [(self.FRONTEND_MODE, "Public site"), (self.TEMPLATE_MODE, "CMS template")]
        return [("", "CMS template")]

    def serve_preview(self, request, mode_name):
        if mode_name != self.FRONTEND_MODE:
            return super().serve_preview(request, mode_name)
        base = frontend_url(self, request)
        query = urlencode({"token": issue_token(self), "lang": self.locale.language_code})
        return HttpResponseRedirect(f"{base}/preview?{query}")

    def serve(self, request, *args, **kwargs):
        return on_public_site(self, request) or super().serve(request, *args, **kwargs)
