"""Model fields shared by the apps."""

from django.db import models

from blocks.validators import validate_web_url


class WebURLField(models.URLField):
    """An http(s) URL; other schemes are refused and a missing scheme is taken as https."""

    default_validators = [validate_web_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
