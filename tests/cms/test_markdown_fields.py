"""Every Markdown field of the content is translated line by line of its block elements."""

from django.apps import apps
from wagtailmarkdown.fields import MarkdownField as WagtailMarkdownField

from cms.fields import MarkdownField


def test_every_markdown_field_is_the_one_translated_by_line():
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, WagtailMarkdownField)
    ]
    assert len(fields) > 10
    one_segment = [
        f"{field.model._meta.label}.{field.name}"
        for field in fields
        if not isinstance(field, MarkdownField)
    ]
    assert one_segment == [], "declare these with cms.fields.MarkdownField"
