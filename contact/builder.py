"""Builds the Django form of a contact form page: Wagtail's builder plus file uploads."""

import re

import django.forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.contrib.forms.forms import FormBuilder

from .uploads import sniff


class UploadField(django.forms.FileField):
    """A file of an allowed type (contact.uploads.ALLOWED_TYPES, read from its content) and
    size; its detected type is kept on the file."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        limit = settings.CIVIC_CONTACT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                "The file is larger than %(megabytes)s MB.",
                code="file_too_large",
                params={"megabytes": limit // (1024 * 1024)},
            )
        detected = sniff(upload)
        if detected is None:
            raise ValidationError(
                "Send a PDF, ODT or DOCX document or an image (PNG, JPEG, GIF, WebP).",
                code="file_type",
            )
        upload.detected_type = detected
        return upload


# A web address or a path of the site standing as a word of its own, e.g. the path of the
# privacy policy a consent's help text names ("/es/privacy-policy").
ADDRESS = re.compile(r"(?<![^\s(«“])(?:https?://|/(?=[^\s/]))[^\s<>\"']+")
# Punctuation that ends a sentence rather than the address.
TRAILING = ".,;:!?)»”"


def help_html(text: str) -> SafeString:
    """A field's help text as HTML: its words escaped, its addresses links."""
    parts = []
    position = 0
    for match in ADDRESS.finditer(text or ""):
        address = match.group().rstrip(TRAILING)
        if address == "/":
            continue  # a lone slash between words
        end = match.start() + len(address)
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html('<a href="{}">{}</a>', address, address))
        position = end
    parts.append(escape((text or "")[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class ContactFormBuilder(FormBuilder):
    """Wagtail's form builder with a file field for uploads and help texts whose addresses
    are links."""

    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["help_text"] = help_html(field.help_text)
        return options

    def create_file_field(self, field, options):
        return UploadField(**options)
