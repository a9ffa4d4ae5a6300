"""Menus and interface texts: items that link to pages or URLs, and keyed strings."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from wagtail.blocks import CharBlock, ListBlock, StructBlock, StructValue, TextBlock
from wagtail.blocks.struct_block import StructBlockValidationError

from .choosers import PageChooserBlock
from .fields import LinkURLBlock


class KeyBlock(CharBlock):
    """An identifier that code looks up: the same in every language, never translated."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=100,
            validators=[
                RegexValidator(
                    r"^[a-z0-9][a-z0-9_.-]*$",
                    "Use lower-case letters, digits, dots, hyphens and underscores, "
                    "e.g. cookies.approve.",
                )
            ],
            **kwargs,
        )

    # wagtail-localize: a key is copied into translations as it is, not offered to translators.
    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class StringBlock(StructBlock):
    """One interface text: the key the frontend asks for and its words in this language."""

    key = KeyBlock(help_text="What the frontend asks for, e.g. cookies.approve.", label="Key")
    value = TextBlock(help_text="The words readers see in this language.", label="Words shown")

    class Meta:
        icon = "openquote"
        label = "Text"
        label_format = "{key}"
        description = "An interface text, looked up by its key."
        preview_value = {"key": "contact_btn", "value": "Contacta con nosotros"}


class MenuLinkValue(StructValue):
    """Resolves where an item leads: a live page, else the URL typed in."""

    @property
    def link_url(self) -> str | None:
        page = self.get("page")
        if page is not None:
            return page.specific.url if page.live else None
        return self.get("url") or None


class _MenuLinkFields(StructBlock):
    label = CharBlock(max_length=100, help_text="The words of the link.", label="Link text")
    page = PageChooserBlock(
        required=False, help_text="A page of this site (or use the URL).", label="Page"
    )
    url = LinkURLBlock(
        required=False,
        max_length=500,
        help_text="Where the link leads when no page is chosen: https://… or /es/….",
        label="URL",
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError("Choose a page or enter a URL (one of them).")}
            )
        return value


class MenuLinkBlock(_MenuLinkFields):
    """A link in a submenu: its label and a page of this site or a URL."""

    class Meta:
        icon = "link"
        label = "Link"
        label_format = "{label}"
        value_class = MenuLinkValue
        preview_value = {"label": "Sobre nosotros", "url": "/es/about-us/"}


class MenuItemBlock(_MenuLinkFields):
    """A menu entry: its label, a page or a URL, and optional links under it."""

    children = ListBlock(
        MenuLinkBlock(),
        default=[],
        help_text="Links shown under this entry.",
        label="Submenu links",
    )

    class Meta:
        icon = "link"
        label = "Menu item"
        label_format = "{label}"
        value_class = MenuLinkValue
        preview_value = {"label": "Sobre nosotros", "url": "/es/about-us/", "children": []}
