"""Webhook endpoints operators register, and the log of every delivery made to them."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images import get_image_model_string

from cms.fields import WebURLField

from .outbound import InternalAddressError, UnresolvableHostError, check


class Event(models.TextChoices):
    """The content changes a webhook can report."""

    PAGE_PUBLISHED = "page.published", _("Page published")
    PAGE_UNPUBLISHED = "page.unpublished", _("Page unpublished")
    PAGE_DELETED = "page.deleted", _("Page deleted")
    PAGE_MOVED = "page.moved", _("Page moved")
    COLLABORATOR_CREATED = "collaborator.created", _("Collaborator created")
    COLLABORATOR_CHANGED = "collaborator.changed", _("Collaborator changed")
    COLLABORATOR_DELETED = "collaborator.deleted", _("Collaborator deleted")
    PAGES_CHANGED = "pages.changed", _("Page restriction changed: the page and those below")
    MEDIA_CHANGED = "media.changed", _("Image or document changed")
    SNIPPET_CHANGED = "snippet.changed", _("Snippet changed")
    SITE_CHANGED = "site.changed", _("Site-wide change: rebuild everything")


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL that receives a signed POST whenever content it subscribes to changes."""

    name = models.CharField(
        max_length=120, help_text="What this endpoint is, e.g. Static site build."
    )
    url = WebURLField(
        max_length=500,
        help_text="Where the POST goes (http or https); not an address of this network "
        "(loopback, private, link-local, cloud metadata…).",
    )
    secret = models.CharField(
        max_length=128,
        default=_new_secret,
        help_text="Shared secret: each POST carries X-Civic-Signature-256, the HMAC-SHA256 "
        "with this secret of its timestamp, delivery id, attempt and body.",
    )
    events = models.JSONField(
        default=list,
        blank=True,
        help_text="The events to send; leave empty to send all of them.",
    )
    active = models.BooleanField(default=True, help_text="Inactive endpoints receive nothing.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "webhook endpoint"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)

    def clean(self) -> None:
        """Refuse a URL whose host resolves to an internal address (checked again, and
        the connection made to the address checked, at each delivery). A host that does
        not resolve yet is taken: its deliveries will say so."""
        super().clean()
        if not self.url:
            return
        try:
            check(self.url)
        except InternalAddressError as error:
            raise ValidationError({"url": str(error)}) from error
        except UnresolvableHostError:
            pass


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one endpoint, with its attempts and last answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField(help_text="The JSON body sent.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The HTTP status of the last answer, if one came."
    )
    last_error = models.TextField(
        blank=True,
        help_text="Why the last attempt got no answer: the error's class and message, or "
        "the address refused. What an endpoint answers is never kept.",
    )
    last_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last attempt was made."
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


@register_setting(icon="view")
class FrontendSettings(BaseSiteSetting):
    """Where this site's decoupled frontend lives, for previews and links."""

    frontend_url = WebURLField(
        blank=True,
        max_length=300,
        help_text="The frontend's base URL, e.g. https://www.example.org. Previews open "
        "<base>/preview?token=…&lang=<language>. Empty: the CIVIC_FRONTEND_URL setting.",
    )

    class Meta:
        verbose_name = "frontend"


class PreviewSnapshot(models.Model):
    """A page's content as it was when the editor pressed Preview; removed once expired."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    content = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="The page's serialised fields, drafts included."
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "preview snapshot"

    def __str__(self) -> str:
        return f"Preview of page {self.page_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @classmethod
    def remove_expired(cls) -> int:
        return cls.objects.filter(expires_at__lte=timezone.now()).delete()[0]


class PersistedQuery(models.Model):
    """A query registered ahead of time: clients send its SHA-256 instead of its text.

    With CIVIC_GRAPHQL_ALLOWLIST on, these are the only queries the API runs.
    """

    sha256 = models.CharField(max_length=64, unique=True, help_text="Hex SHA-256 of the text.")
    name = models.CharField(max_length=200, blank=True, help_text="Where the query comes from.")
    query = models.TextField(help_text="The GraphQL document, exactly as hashed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "persisted query"
        ordering = ["name", "sha256"]

    def __str__(self) -> str:
        return self.name or self.sha256[:12]


class ImagePlaceholder(models.Model):
    """An image's placeholder: a data: URI of under 1 KB, made by the task worker with the
    image's renditions (delivery.renditions), for the file whose hash it names."""

    image = models.OneToOneField(
        get_image_model_string(), on_delete=models.CASCADE, related_name="api_placeholder"
    )
    file_hash = models.CharField(max_length=40, blank=True)
    data_uri = models.TextField()

    def __str__(self) -> str:
        return f"Placeholder of image {self.image_id}"
