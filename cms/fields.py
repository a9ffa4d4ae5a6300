"""Model fields shared by the apps."""

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from wagtailmarkdown.fields import MarkdownField as BaseMarkdownField

from blocks.markdown import restored, translatable_segments
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


class MarkdownField(BaseMarkdownField):
    """wagtail-markdown's field, translated line by line of its block elements (see
    ``blocks.markdown``) instead of as one segment."""

    def get_translatable_segments(self, value):
        return translatable_segments(value)

    def restore_translated_segments(self, value, segments):
        return restored(value, segments)

    def deconstruct(self):
        # The column and the form are wagtail-markdown's: migrations name its field, so
        # models can move to this one without a migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtailmarkdown.fields.MarkdownField", args, kwargs
