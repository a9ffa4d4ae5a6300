"""Line endings: every text the CMS stores ends its lines with LF.

Browsers send a textarea's lines ending in CRLF; imported files and the API send LF. Kept
as they came, the same words would be two different texts for wagtail-localize, and an
admin edit would make every segment of a page untranslated. So every save of content
(the content apps' models, page revisions, translations) stores LF, whoever writes it.
"""

import json
import uuid

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save
from wagtail.fields import StreamField

# The apps whose models hold content, and the framework models that hold copies of it.
CONTENT_APPS = {"cms", "services", "projects", "categories", "generic", "contact", "sitewide"}
COPIES = {("wagtailcore", "revision"), ("wagtail_localize", "stringtranslation")}


def lf(text: str) -> str:
    """``text`` with CRLF and lone CR line endings made LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def lf_data(data):
    """``lf`` over every string of JSON-like data (a StreamField's, a revision's)."""
    if isinstance(data, str):
        return lf(data)
    if isinstance(data, list):
        return [lf_data(item) for item in data]
    if isinstance(data, dict):
        return {key: lf_data(value) for key, value in data.items()}
    return data


def holds_content(model: type[models.Model]) -> bool:
    meta = model._meta
    return meta.app_label in CONTENT_APPS or (meta.app_label, meta.model_name) in COPIES


def normalise(instance: models.Model) -> None:
    """Make every text of ``instance`` end its lines with LF, in place."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, StreamField):
            raw = field.get_prep_value(value)
            if "\\r" in json.dumps(raw):
                setattr(instance, field.attname, lf_data(raw))
        elif isinstance(value, str):
            if "\r" in value:
                setattr(instance, field.attname, lf(value))
        elif (
            isinstance(field, models.JSONField)
            and value is not None
            and "\\r" in json.dumps(value, default=str)
        ):
            setattr(instance, field.attname, lf_data(value))


def _before_save(sender, instance, **kwargs) -> None:
    if holds_content(sender):
        normalise(instance)


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="civic-line-endings")


def normalise_stored(registry=apps, using: str = "default") -> int:
    """Rewrite every stored text of content that still has CR line endings (the rows saved
    before saves normalised them), with the models of ``registry`` (a migration's);
    returns how many rows changed. Writes with ``QuerySet.update``: no signal, no new
    revision."""
    changed = 0
    for model in registry.get_models():
        if not holds_content(model) or model._meta.proxy:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | StreamField)
            and not f.primary_key
        ]
        if not fields:
            continue
        for row in model._base_manager.using(using).only("pk", *[f.name for f in fields]):
            before = {f.attname: _stored(f, getattr(row, f.attname)) for f in fields}
            normalise(row)
            after = {f.attname: _stored(f, getattr(row, f.attname)) for f in fields}
            updates = {
                f.name: getattr(row, f.attname)
                for f in fields
                if before[f.attname] != after[f.attname]
            }
            if updates:
                model._base_manager.using(using).filter(pk=row.pk).update(**updates)
                changed += 1
    return changed


def _stored(field: models.Field, value):
    return (
        json.dumps(field.get_prep_value(value), default=str)
        if isinstance(field, StreamField)
        else value
    )


# wagtail-localize's namespace for the hash of a source string (String.data_hash).
STRING_HASH_NAMESPACE = uuid.UUID("59ed7d1c-7eb5-45fa-9c8b-7a7057ed56d7")


def normalise_source_strings(registry=apps, using: str = "default") -> int:
    """Source strings wagtail-localize stored with CR line endings, made LF, their
    translations kept: each becomes its LF twin, or, when the twin exists (the text as it
    was before an admin edit), gives it the translations the twin lacks. Returns how many
    strings changed."""
    String = registry.get_model("wagtail_localize", "String")
    StringSegment = registry.get_model("wagtail_localize", "StringSegment")
    StringTranslation = registry.get_model("wagtail_localize", "StringTranslation")
    strings = String.objects.using(using)
    translations = StringTranslation.objects.using(using)
    changed = 0
    for string in strings.filter(data__contains="\r"):
        data = lf(string.data)
        digest = uuid.uuid5(STRING_HASH_NAMESPACE, data)
        twin = strings.filter(locale_id=string.locale_id, data_hash=digest).first()
        if twin is None:
            strings.filter(pk=string.pk).update(data=data, data_hash=digest)
            changed += 1
            continue
        for translation in translations.filter(translation_of=string):
            taken = translations.filter(
                translation_of=twin, locale_id=translation.locale_id,
                context_id=translation.context_id,
            ).exists()  # fmt: skip
            if not taken:
                translations.filter(pk=translation.pk).update(
                    translation_of=twin, data=lf(translation.data)
                )
        # The CRLF copy goes when no source still names it (a sync of that source will).
        if not StringSegment.objects.using(using).filter(string=string).exists():
            translations.filter(translation_of=string).delete()
            strings.filter(pk=string.pk).delete()
        changed += 1
    return changed
