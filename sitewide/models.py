"""Site-wide words and menus, one set per language, and the organisation's social links."""

from django.db import models
from wagtail.blocks import ChoiceBlock, StructBlock
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from blocks.fields import WebURLBlock
from blocks.navigation import MenuItemBlock, StringBlock
from cms.fields import MarkdownField, RefuseNullCharactersMixin
from cms.markdown_html import StoresMarkdownHtml


class SiteTexts(RefuseNullCharactersMixin, TranslatableMixin, StoresMarkdownHtml, models.Model):
    """The site's own words in one language: interface texts, newsletter and contact details."""

    # Contact details are copied (a language's site may override them), not translated.
    override_translatable_fields = [
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
    ]

    strings = StreamField(
        [("string", StringBlock())],
        blank=True,
        help_text="Interface texts (buttons, cookie banner, language names…), each under the "
        "key the frontend asks for.",
    )
    newsletter_title = models.CharField(
        max_length=255, blank=True, help_text="The newsletter block's heading."
    )
    newsletter_text = MarkdownField(blank=True, help_text="What subscribers get, in Markdown.")
    newsletter_email_label = models.CharField(
        max_length=255, blank=True, help_text="The label of the email field."
    )
    newsletter_consent = MarkdownField(
        blank=True, help_text="The consent checkbox's words, in Markdown (may link a policy)."
    )
    newsletter_button = models.CharField(
        max_length=80, blank=True, help_text="The subscribe button's words."
    )
    contact_email = models.EmailField(blank=True, help_text="The organisation's public address.")
    contact_phone = models.CharField(max_length=50, blank=True, help_text="A public phone number.")
    contact_address = MarkdownField(blank=True, help_text="The postal address, in Markdown.")
    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for, kept as they were.",
    )

    panels = [
        "strings",
        "newsletter_title",
        "newsletter_text",
        "newsletter_email_label",
        "newsletter_consent",
        "newsletter_button",
        "contact_email",
        "contact_phone",
        "contact_address",
        "notes",
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "site texts"
        verbose_name_plural = "site texts"
        constraints = [
            models.UniqueConstraint(fields=["locale"], name="one_site_texts_per_locale"),
        ]

    def __str__(self) -> str:
        return f"Site texts ({self.locale.language_code})"


class Menu(RefuseNullCharactersMixin, TranslatableMixin, models.Model):
    """A menu or list of links in one language, e.g. the footer or the legal links."""

    # Frontends ask for a menu by its handle in every language: never translated.
    override_translatable_fields = [SynchronizedField("handle", overridable=False)]

    handle = models.SlugField(
        max_length=50,
        help_text="What frontends ask for, the same in every language: about_nav, footer, "
        "footer_links, legal_links…",
    )
    title = models.CharField(
        max_length=255, blank=True, help_text="An optional heading shown above the links."
    )
    items = StreamField(
        [("item", MenuItemBlock())],
        blank=True,
        help_text="The entries, in order; each links to a page or a URL.",
    )

    panels = ["handle", "title", "items"]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "menu"
        verbose_name_plural = "menus"
        ordering = ["handle"]
        constraints = [
            models.UniqueConstraint(fields=["handle", "locale"], name="unique_menu_handle"),
        ]

    def __str__(self) -> str:
        return f"{self.handle} ({self.locale.language_code})"


SOCIAL_KINDS = [
    ("facebook", "Facebook"),
    ("twitter", "X / Twitter"),
    ("linkedin", "LinkedIn"),
    ("instagram", "Instagram"),
    ("youtube", "YouTube"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("github", "GitHub"),
    ("telegram", "Telegram"),
    ("other", "Other"),
]


class SocialLinkBlock(StructBlock):
    """A profile of the organisation on a social network."""

    kind = ChoiceBlock(choices=SOCIAL_KINDS, help_text="The network.", label="Network")
    url = WebURLBlock(help_text="The profile's address.", label="Profile URL")

    class Meta:
        icon = "site"
        label = "Social link"
        label_format = "{kind}"


@register_setting(icon="site")
class SocialSettings(BaseGenericSetting):
    """The organisation's social profiles, the same in every language."""

    links = StreamField(
        [("link", SocialLinkBlock())],
        blank=True,
        help_text="Shown in the footer of every page, in this order.",
    )

    panels = ["links"]

    class Meta:
        verbose_name = "social links"
