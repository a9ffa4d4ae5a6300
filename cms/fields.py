"""Model fields shared by the apps."""

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models

from blocks.validators import validate_web_url


class WebURLField(models.URLField):
    """An http(s) URL; other schemes are refused and a missing scheme is taken as https."""

    default_validators = [validate_web_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


_no_nulls = ProhibitNullCharactersValidator()


class RefuseNullCharactersMixin:
    """Model validation refuses NUL characters in every text field.

    Admin forms already refuse them; this covers code and imports that call
    full_clean(), so a value SQLite would store never reaches PostgreSQL, which
    rejects it with a server error.
    """

    def clean_fields(self, exclude=None):
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if exclude and field.name in exclude:
                continue
            value = getattr(self, field.attname, None)
            if isinstance(value, str):
                try:
                    _no_nulls(value)
                except ValidationError as error:
                    errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)
