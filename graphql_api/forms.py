"""Contact forms: the Form type, the `form` query and the `submitForm` mutation.

A form is a page (contact.ContactFormPage): it is read through the page rules
(``graphql_api.hooks.visible``) on every path, the `form` query, a call to action's form
and a submission alike. Submissions go through ``contact.submission.submit``, the checks
the server-rendered form uses too.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
import strawberry_django
from django.db.models import Prefetch, QuerySet
from strawberry.file_uploads import Upload

from contact.builder import ContactFormBuilder, help_html
from contact.models import ContactFormField, ContactFormPage, client_address
from contact.submission import submit

from .context import get_context
from .errors import ApiError, ErrorCode
from .hooks import visible
from .images import ImageType, placed_image
from .invalidation import mark_uncacheable
from .locales import LocaleType, fallback_chain, pick_best, resolve_locale
from .markdown import MarkdownType, markdown


@strawberry.enum(name="FormFieldType", description="What a form field asks for.")
class FormFieldKind(Enum):
    SINGLELINE = "singleline"
    MULTILINE = "multiline"
    EMAIL = "email"
    NUMBER = "number"
    URL = "url"
    CHECKBOX = "checkbox"
    CHECKBOXES = "checkboxes"
    DROPDOWN = "dropdown"
    MULTISELECT = "multiselect"
    RADIO = "radio"
    DATE = "date"
    DATETIME = "datetime"
    HIDDEN = "hiddenfield"
    FILE = "file"


_KINDS = {kind.value: kind for kind in FormFieldKind}
_WITH_CHOICES = {"checkboxes", "dropdown", "multiselect", "radio"}


@strawberry.type(name="FormField", description="One field of a form, in the form's language.")
class FormFieldType:
    name: str = strawberry.field(
        description="What to send as FieldValueInput.name; the same in every language."
    )
    label: str = strawberry.field(description="The field's label.")
    type: FormFieldKind = strawberry.field(
        description='What it asks for. CHECKBOX is a single box (a consent: send "true" '
        "when ticked); FILE is sent as the mutation's `file`."
    )
    required: bool = strawberry.field(description="Whether the form is refused without it.")
    help_text: str = strawberry.field(description="A hint shown under the field; may be empty.")
    help_html: str = strawberry.field(
        description="The hint as HTML: its words escaped, its web addresses and site paths "
        "(a consent's privacy policy, say) links; the CMS's own form shows the same."
    )
    choices: list[str] = strawberry.field(
        description="The options of DROPDOWN, RADIO, CHECKBOXES and MULTISELECT fields."
    )


def form_rows() -> Prefetch:
    """A form's fields in the editors' order, read for every form of an answer at once."""
    return Prefetch("form_fields", queryset=ContactFormField.objects.order_by("sort_order", "pk"))


@strawberry_django.type(
    ContactFormPage,
    name="Form",
    description="A contact form the organisation reads: show its fields, send them with "
    "the submitForm mutation.",
)
class FormType:
    id: strawberry.ID = strawberry_django.field(description="The form's page id.")

    @strawberry_django.field(
        description="The form's stable name, e.g. cta-contact-service (its slug; usually the "
        "same in every language)."
    )
    def handle(self) -> str:
        return self.slug

    title: str = strawberry_django.field(description="The form's title.")

    @strawberry_django.field(
        description="The path of the form's own page on the public site (a plain HTML form "
        "for readers without JavaScript), e.g. /es/cta-contact-service/."
    )
    def url(self, info: strawberry.Info) -> str | None:
        return self.get_url(get_context(info).request)

    @strawberry_django.field(description="The form's language.")
    def locale(self, info: strawberry.Info) -> LocaleType:
        return get_context(info).visibility.locales_by_id[self.locale_id]

    @strawberry_django.field(description="The words above the form.")
    def intro(self) -> MarkdownType:
        return markdown(self.intro)

    @strawberry_django.field(description="The submit button's words.")
    def button_label(self) -> str:
        return self.button_label or ""

    @strawberry_django.field(
        description="A picture beside the form; null when there is none or it is private."
    )
    def image(self, info: strawberry.Info) -> ImageType | None:
        image = get_context(info).loader.image(info, self.image_id)
        if image is None:
            return None
        return placed_image(image, self.image_alt or image.default_alt_text)

    @strawberry_django.field(description="The fields, in order.")
    def fields(self) -> list[FormFieldType]:
        builder = ContactFormBuilder([])
        return [
            FormFieldType(
                name=row.clean_name,
                label=row.label,
                type=_KINDS[row.field_type],
                required=row.required,
                help_text=row.help_text or "",
                help_html=help_html(row.help_text),
                choices=[
                    value for value, _label in builder.get_formatted_field_choices(row) if value
                ]
                if row.field_type in _WITH_CHOICES
                else [],
            )
            for row in self.form_fields.all()
            if row.field_type in _KINDS
        ]

    @strawberry_django.field(description="What the visitor reads once the form is sent.")
    def thank_you(self) -> MarkdownType:
        return markdown(self.thank_you_text)


def visible_forms(info: strawberry.Info, queryset: QuerySet) -> QuerySet:
    """Forms through the page rules (live, public, this site, a content language)."""
    return visible(info, queryset)


def find_form(
    info: strawberry.Info, handle: str, locale: str | None, fallback: bool
) -> ContactFormPage | None:
    """The visible form ``handle`` in a language; with fallback, the best version of the
    form that handle names along the language chain."""
    visibility = get_context(info).visibility
    chain = fallback_chain(visibility, resolve_locale(visibility, locale), fallback)
    forms = ContactFormPage.objects.filter(slug__iexact=handle)
    if fallback:
        keys = visible_forms(info, forms).values("translation_key")
        forms = ContactFormPage.objects.filter(translation_key__in=keys)
    candidates = visible_forms(
        info, forms.filter(locale_id__in=[loc.pk for loc in chain])
    ).prefetch_related(form_rows())
    return pick_best(list(candidates), chain)


@strawberry.type
class FormQueries:
    @strawberry.field(
        description="A contact form by handle (e.g. cta-contact-service) in a language (the "
        "default language when omitted). With `fallback: true`, the best version along the "
        "server's language chain; `locale` on the result says which. Null when no public "
        "form matches."
    )
    def form(
        self,
        info: strawberry.Info,
        handle: str,
        locale: str | None = None,
        fallback: bool = False,
    ) -> FormType | None:
        return find_form(info, handle, locale, fallback)  # type: ignore[return-value]


@strawberry.input(name="FieldValueInput", description="The value given to one form field.")
class FieldValueInput:
    name: str = strawberry.field(description="The field's name (FormField.name).")
    value: str = strawberry.field(
        description='What the visitor entered; "true" for a ticked CHECKBOX.'
    )


@strawberry.type(name="FormError", description="Why a submission was refused.")
class FormErrorType:
    field: str = strawberry.field(
        description="The field's name; empty for the whole form (RATE_LIMITED)."
    )
    code: str = strawberry.field(
        description="REQUIRED, INVALID_EMAIL, CONSENT_REQUIRED, FILE_TOO_LARGE, FILE_TYPE, "
        "UNKNOWN_FIELD, INVALID or RATE_LIMITED; branch on it, not on the message."
    )
    message: str = strawberry.field(description="Words for the visitor, in the form's language.")


@strawberry.type(name="SubmitFormResult", description="What became of a submission.")
class SubmitFormResult:
    ok: bool = strawberry.field(
        description="True when the submission was received; show the form's thankYou."
    )
    errors: list[FormErrorType] = strawberry.field(
        description="Why it was refused (empty when ok); nothing was stored."
    )


_SUBMITTED = "_civic_form_submitted"


def _file_name(page: ContactFormPage, fields: list[Any]) -> str:
    """The name the uploaded file is given: the form's first file field, else a name the
    form does not have (so the checks refuse it as an unknown field)."""
    for row in fields:
        if row.field_type == "file":
            return row.clean_name
    names = {row.clean_name for row in fields}
    return next(name for name in ("file", "upload", "attachment", "_file") if name not in names)


@strawberry.type(name="Mutation", description="Sending things to the organisation.")
class Mutation:
    @strawberry.mutation(
        description="Send a contact form. `values` holds one entry per field (by name); a "
        "file for the form's file field goes in `file` (a GraphQL multipart request). "
        "Invalid or refused submissions store nothing and come back with `errors`. Refused "
        "with FORM_NOT_FOUND when no public form has this handle in this language."
    )
    def submit_form(
        self,
        info: strawberry.Info,
        handle: str,
        locale: str,
        values: list[FieldValueInput],
        file: Upload | None = None,
    ) -> SubmitFormResult:
        request = get_context(info).request
        mark_uncacheable(request)
        if getattr(request, _SUBMITTED, False):
            raise ApiError("Send one submitForm per request.", ErrorCode.INVALID_ARGUMENT)
        setattr(request, _SUBMITTED, True)
        visibility = get_context(info).visibility
        language = resolve_locale(visibility, locale)
        page = (
            visible_forms(
                info, ContactFormPage.objects.filter(slug__iexact=handle, locale_id=language.pk)
            )
            .prefetch_related(form_rows())
            .first()
        )
        if page is None:
            raise ApiError(
                f"No public form '{handle}' in '{language.language_code}'.",
                ErrorCode.FORM_NOT_FOUND,
            )
        data: dict[str, str] = {}
        for item in values:
            if item.name in data:
                raise ApiError(
                    f"The field '{item.name}' is given twice; send each field once.",
                    ErrorCode.INVALID_ARGUMENT,
                )
            data[item.name] = item.value
        files = {}
        if file is not None:
            files[_file_name(page, list(page.form_fields.all()))] = file
        result = submit(page, data, files, client_address(request))
        return SubmitFormResult(
            ok=result.ok,
            errors=[
                FormErrorType(field=error.field, code=error.code, message=error.message)
                for error in result.errors
            ],
        )
