"""Contact forms: the forms behind the calls to action, built on Wagtail's form pages.

Each form is a page (one per language, translated with wagtail-localize) so that editors
get Wagtail's form builder, its submissions listing and CSV export. Frontends read a form
through the API and send it with the `submitForm` mutation; the page itself also serves the
form as plain HTML for readers without JavaScript.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models.functions import Cast
from django.template.response import TemplateResponse
from django.utils import translation
from modelcluster.fields import ParentalKey
from wagtail.admin.mail import send_mail
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractEmailForm,
    AbstractFormField,
    FormSubmission,
)
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField
from wagtailmarkdown.fields import MarkdownField

from cms.fields import RefuseNullCharactersMixin
from cms.paths import ComposedSlugMixin
from delivery.preview import on_public_site
from delivery.relay import relayed_visitor

from .builder import ContactFormBuilder
from .readable import answers, readable, stored_answers, word

FIELD_TYPES = (*FORM_FIELD_CHOICES, ("file", "File upload"))


def client_address(request) -> str:
    """The visitor's address, the one every limit counts by.

    For a form a public site's server relays, the address it signed (delivery.relay).
    Behind CIVIC_TRUSTED_PROXIES proxies, the entry of X-Forwarded-For that many from the
    right: each proxy adds the address it was reached from at the end, so what a visitor
    writes in the header stays to the left; fewer entries than proxies (a request that
    passed only the inner ones) give the leftmost, which a trusted proxy wrote. Otherwise,
    and when the header is missing, the connection's own address.
    """
    if relayed := relayed_visitor(request):
        return relayed
    proxies = settings.CIVIC_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if proxies > 0 else ""
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if hops:
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


class PrivateStorage(FileSystemStorage):
    """Files under CIVIC_PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT), with no public URL."""

    @property
    def base_location(self):
        return settings.CIVIC_PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("This file is not accessible via a URL.")


def private_storage() -> PrivateStorage:
    """The storage of uploads (a callable, so settings can move it)."""
    return PrivateStorage()


class ContactFormField(TranslatableMixin, AbstractFormField):
    """One field of a contact form; its name and type are the same in every language."""

    page = ParentalKey(
        "contact.ContactFormPage", on_delete=models.CASCADE, related_name="form_fields"
    )
    field_type = models.CharField(
        verbose_name="field type",
        max_length=16,
        choices=FIELD_TYPES,
        help_text="What the visitor enters; file uploads accept PDF, ODT, DOCX and images.",
    )
    field_type.required_on_save = True

    # The stored answers are keyed by clean_name: it must not change between languages.
    override_translatable_fields = [
        SynchronizedField("clean_name", overridable=False),
        SynchronizedField("field_type", overridable=False),
        SynchronizedField("required", overridable=False),
        TranslatableField("label"),
        TranslatableField("help_text"),
        TranslatableField("choices"),
        SynchronizedField("default_value"),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        verbose_name = "form field"
        unique_together = [("translation_key", "locale")]


class ContactFormPage(ComposedSlugMixin, RefuseNullCharactersMixin, AbstractEmailForm):
    """A contact form behind a call to action, e.g. cta-contact-service (its slug)."""

    # Where submissions go is copied (a language's form may override it), not translated.
    override_translatable_fields = [SynchronizedField("to_address")]

    intro = MarkdownField(blank=True, help_text="The words above the form, in Markdown.")
    button_label = models.CharField(
        max_length=80, default="Enviar", help_text="The submit button's words."
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A picture beside the form.",
    )
    image_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the picture; leave empty to use the image's own description.",
    )
    thank_you_text = MarkdownField(
        blank=True, help_text="What the visitor reads once the form is sent, in Markdown."
    )
    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for, kept as they were.",
    )

    form_builder = ContactFormBuilder

    content_panels = [
        *AbstractEmailForm.content_panels,
        "intro",
        "image",
        "image_alt",
        InlinePanel("form_fields", label="Form fields"),
        "button_label",
        "thank_you_text",
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                "subject",
            ],
            heading="Email to the organisation",
        ),
    ]
    settings_panels = [*AbstractEmailForm.settings_panels, "notes"]

    parent_page_types = ["cms.HomePage", "generic.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = "contact form"

    @property
    def handle(self) -> str:
        return self.slug

    def process_form_submission(self, form):
        """Store the answers; uploads go to private storage and the answers name them."""
        uploads = {
            name: value
            for name, value in form.cleaned_data.items()
            if isinstance(value, UploadedFile)
        }
        for name, upload in uploads.items():
            form.cleaned_data[name] = upload.name
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self
        )
        for name, upload in uploads.items():
            ContactUpload.objects.create(
                submission=submission,
                field_name=name,
                file=upload,
                original_name=upload.name[:255],
                content_type=getattr(upload, "detected_type", ""),
                size=upload.size,
            )
        recipients = self.to_address or settings.CIVIC_CONTACT_EMAIL
        if recipients:
            # The organisation is told through Django's email backend, after the commit so
            # a rolled-back submission sends nothing.
            transaction.on_commit(lambda: self._notify(form, recipients))
        return submission

    def _notify(self, form, recipients: str) -> None:
        """Email the answers to ``recipients``, in the form's language, from the configured
        sender; a reply goes to the visitor when the form asked for their email address."""
        rows = list(self.get_form_fields())
        with translation.override(self.locale.language_code):
            subject = self.subject or word("subject", title=self.title)
            body = self._email_body(form, rows)
        send_mail(
            subject,
            body,
            [address.strip() for address in recipients.split(",")],
            self.from_address or settings.DEFAULT_FROM_EMAIL,
            reply_to=self._reply_to(form, rows) or None,
        )

    def render_email(self, form) -> str:
        """The answers as the organisation reads them, in the form's language."""
        with translation.override(self.locale.language_code):
            return self._email_body(form, list(self.get_form_fields()))

    def _email_body(self, form, rows) -> str:
        kinds = {row.clean_name: row.field_type for row in rows}
        lines = [word("intro", title=self.title), ""]
        for field in form:
            if field.name not in form.cleaned_data:
                continue
            text = readable(form.cleaned_data[field.name], kinds.get(field.name, ""))
            if not text:
                continue  # an empty answer says nothing
            # A text of several lines starts on a line of its own.
            separator = "\n" if "\n" in text else " "
            lines.append(f"{field.label}:{separator}{text}")
        return "\n".join(lines)

    @staticmethod
    def _reply_to(form, rows) -> list[str]:
        """The visitor's address, from the form's first email field with a valid answer."""
        for row in rows:
            if row.field_type != "email":
                continue
            address = form.cleaned_data.get(row.clean_name)
            if not isinstance(address, str) or not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                continue
            return [address]
        return []

    def get_submission_class(self):
        return ContactSubmission

    def get_submissions_list_view_class(self):
        # Imported here as Wagtail does: the admin's views need the app registry ready.
        from .views import ContactSubmissionsListView

        return ContactSubmissionsListView

    def serve(self, request, *args, **kwargs):
        """The form as plain HTML, for readers without JavaScript; same checks as the API.

        With a public site configured, reading it sends the reader to the form's page there.
        """
        if request.method != "POST":
            return on_public_site(self, request) or super().serve(request, *args, **kwargs)
        from .submission import submit

        values = {
            key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"
        }
        result = submit(self, values, dict(request.FILES.items()), client_address(request))
        if result.ok:
            return self.render_landing_page(request, None, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        form.is_valid()
        for error in result.errors:
            if error.field not in form.fields:
                form.add_error(None, error.message)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context, status=400)

    @property
    def image_alt_text(self) -> str:
        if self.image_alt:
            return self.image_alt
        return self.image.default_alt_text if self.image else ""


class ContactSubmissionManager(models.Manager):
    def get_queryset(self):
        # The answers as the row's JSON text: the model's own field decodes them on loading,
        # and one row Python cannot decode (an integer of thousands of digits, nesting too
        # deep) would break every listing, export and deletion of the form's submissions.
        return (
            super()
            .get_queryset()
            .defer("form_data")
            .annotate(stored_data=Cast("form_data", models.TextField()))
        )


class ContactSubmission(FormSubmission):
    """A contact form's submission, read whatever its row holds (the same table as
    Wagtail's form submissions)."""

    objects = ContactSubmissionManager()

    class Meta:
        proxy = True
        verbose_name = "form submission"

    def get_data(self) -> dict:
        """The answers (contact.readable.answers) and the time it was sent."""
        if "stored_data" in self.__dict__:
            data = stored_answers(self.stored_data)
        else:  # just made: its answers are the form's own
            data = answers(self.form_data)
        return {**data, "submit_time": self.submit_time}


class ContactUpload(models.Model):
    """A file a visitor sent with a submission: stored privately, never served publicly."""

    submission = models.ForeignKey(
        FormSubmission, on_delete=models.CASCADE, related_name="contact_uploads"
    )
    field_name = models.CharField(max_length=255, help_text="The form field it came in.")
    file = models.FileField(storage=private_storage, upload_to="contact/%Y/%m/")
    original_name = models.CharField(max_length=255, help_text="The name the visitor gave it.")
    content_type = models.CharField(max_length=100, help_text="The detected file type.")
    size = models.PositiveIntegerField(help_text="Size in bytes.")

    class Meta:
        verbose_name = "uploaded file"

    def __str__(self) -> str:
        return self.original_name
