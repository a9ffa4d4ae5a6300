"""Contact forms: the forms behind the calls to action, built on Wagtail's form pages.

Each form is a page (one per language, translated with wagtail-localize) so that editors
get Wagtail's form builder, its submissions listing and CSV export. Frontends read a form
through the API and send it with the `submitForm` mutation; the page itself also serves the
form as plain HTML for readers without JavaScript.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.functions import Cast
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.response import TemplateResponse
from django.urls import reverse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractEmailForm,
    AbstractFormField,
    FormSubmission,
)
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.fields import MarkdownField, RefuseNullCharactersMixin
from cms.paths import ComposedSlugMixin
from delivery.preview import on_public_site
from delivery.relay import relayed_visitor

from .builder import ContactFormBuilder
from .notifications import notify, recipients
from .readable import answers, stored_answers
from .uploads import download_name, download_type, private_storage, upload_path

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


class ContactFormField(TranslatableMixin, AbstractFormField):
    """One field of a contact form; its name and type are the same in every language."""

    page = ParentalKey(
        "contact.ContactFormPage", on_delete=models.CASCADE, related_name="form_fields"
    )
    field_type = models.CharField(
        verbose_name="field type",
        max_length=16,
        choices=FIELD_TYPES,
        help_text="What the visitor enters; file uploads accept PDF, ODT and DOCX documents "
        "and PNG, JPEG, GIF and WebP images.",
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

    def process_form_submission(self, form, written: list[str] | None = None):
        """Store the answers; uploads go to private storage and the answers name them.

        ``written``: where the names of the files written are added, so that a caller
        whose transaction does not commit can remove them (contact.submission.submit)."""
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
            row = ContactUpload(
                submission=submission,
                field_name=name,
                file=upload,
                original_name=upload.name[:255],
                content_type=getattr(upload, "detected_type", ""),
                size=upload.size,
            )
            try:
                row.save()
            finally:
                # The file is on disk once the field has its stored name, saved or not.
                if written is not None and row.file.name and row.file.name != upload.name:
                    written.append(row.file.name)
        # The organisation is told by the task worker (contact.notifications), once the
        # submission is committed: a rolled-back one tells nobody, and the visitor's answer
        # never waits for the mail server. robust: a queue that cannot take the task leaves
        # the stored submission and its answer as they are (the failure is logged).
        if recipients(self):
            transaction.on_commit(lambda: notify.enqueue(submission.pk), robust=True)
        return submission

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
    """A file a visitor sent with a submission: stored privately under a random name, never
    served publicly; staff download it from the admin."""

    submission = models.ForeignKey(
        FormSubmission, on_delete=models.CASCADE, related_name="contact_uploads"
    )
    field_name = models.CharField(max_length=255, help_text="The form field it came in.")
    file = models.FileField(storage=private_storage, upload_to=upload_path)
    original_name = models.CharField(max_length=255, help_text="The name the visitor gave it.")
    content_type = models.CharField(
        max_length=100, help_text="The type read from the file's content."
    )
    size = models.PositiveIntegerField(help_text="Size in bytes.")

    class Meta:
        verbose_name = "uploaded file"

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        return download_name(self.original_name, self.content_type)

    @property
    def download_type(self) -> str:
        return download_type(self.content_type)

    def get_admin_url(self) -> str:
        """The admin's download of this file (contact.views.download_upload)."""
        return reverse("contact_upload", args=[self.pk])


@receiver(post_delete, sender=ContactUpload)
def delete_stored_file(sender, instance, **kwargs):
    """A deleted upload's file goes with it (a submission's deletion deletes its uploads),
    once the deletion is committed: a rolled-back one keeps the file."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
