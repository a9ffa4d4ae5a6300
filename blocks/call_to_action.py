"""A call to action: a short text and a button that leads somewhere."""

from django.core.exceptions import ValidationError
from wagtail.blocks import CharBlock, StructBlock, StructValue, TextBlock
from wagtail.blocks.struct_block import StructBlockValidationError

from .choosers import ImageChooserBlock, PageChooserBlock
from .fields import LinkURLBlock
from .tags import SourceTag


class CallToActionValue(StructValue):
    """Resolves the button's target: a live form or page, else the URL or anchor typed in."""

    @property
    def link_url(self) -> str | None:
        form = self.get("form")
        if form is not None:
            return form.specific.url if form.live else None
        page = self.get("page")
        if page is not None:
            # A link to a page that is not live leads nowhere public: hide it.
            return page.specific.url if page.live else None
        return self.get("url") or None

    @property
    def image_alt_text(self) -> str:
        image = self.get("image")
        return (self.get("image_alt") or "").strip() or (image.default_alt_text if image else "")


class CallToActionBlock(StructBlock):
    """Invites the reader to act: a text, a button label and where the button leads."""

    source_tag = SourceTag("call_to_action", ("url", "label"), encloses=True)

    text = TextBlock(
        help_text="The invitation, e.g. ¿Quieres saber más?",
        max_length=1000,
        label="Call-to-action text",
    )
    button_label = CharBlock(
        max_length=80, help_text="The button's words, e.g. Pregúntanos.", label="Button text"
    )
    form = PageChooserBlock(
        page_type="contact.ContactFormPage",
        required=False,
        help_text="The contact form the button opens (frontends show it in place).",
        label="Button's contact form",
    )
    page = PageChooserBlock(
        required=False,
        help_text="A page of this site the button leads to (or use the URL).",
        label="Button's page",
    )
    url = LinkURLBlock(
        required=False,
        max_length=500,
        help_text="Where the button leads when no page is chosen: https://…, /es/contacto/ "
        "or an anchor such as #contact.",
        label="Button's URL",
    )
    image = ImageChooserBlock(
        required=False, help_text="An optional picture beside the text.", label="Picture"
    )
    image_alt = CharBlock(
        required=False,
        max_length=255,
        help_text="Describes the picture; leave empty to use the image's own description.",
        label="Picture's alt text",
    )

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            # A draft (or an autosave) may hold a call to action still being written: where
            # its button leads is settled on publishing. Each field's own checks (an unsafe
            # URL, a text too long) have run above and still refuse the draft.
            return value
        targets = [name for name in ("form", "page", "url") if value.get(name)]
        if len(targets) > 1:
            raise StructBlockValidationError(
                block_errors={
                    targets[-1]: ValidationError(
                        "Choose one of a form, a page or a URL, not several."
                    )
                }
            )
        if not targets:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        "The button must lead somewhere: choose a form or a page, or enter a "
                        "URL or anchor."
                    )
                }
            )
        return value

    class Meta:
        icon = "pick"
        label = "Call to action"
        template = "blocks/call_to_action.html"
        value_class = CallToActionValue
        description = "A short invitation with a button."
        preview_value = {
            "text": "¿Quieres saber más?",
            "button_label": "Pregúntanos",
            "url": "#contact",
        }
