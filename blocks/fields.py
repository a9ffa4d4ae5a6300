"""Field blocks shared by several domain blocks."""

from django import forms
from wagtail.blocks import URLBlock

from .validators import validate_link, validate_web_url


class _CheckedURLBlock(URLBlock):
    """A URLBlock whose form field applies one of our URL checks instead of Django's.

    It stays a URLBlock so that translation tools treat it as a link, not as text.
    """

    url_validator = staticmethod(validate_web_url)

    def __init__(self, required=True, help_text=None, max_length=None, **kwargs):
        super().__init__(required=required, help_text=help_text, max_length=max_length, **kwargs)
        self.field = forms.CharField(
            required=required,
            help_text=help_text,
            max_length=max_length,
            validators=[self.url_validator],
        )


class WebURLBlock(_CheckedURLBlock):
    """An absolute http(s) URL; javascript:, data: and other schemes are refused."""


class LinkURLBlock(_CheckedURLBlock):
    """A link target: an http(s) URL, a path on this site, an anchor or a mailto: address."""

    url_validator = staticmethod(validate_link)
