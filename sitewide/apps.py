from django.apps import AppConfig


class SitewideConfig(AppConfig):
    """Site-wide texts, menus and social links, per language where they are words."""

    name = "sitewide"
    label = "sitewide"
    verbose_name = "Site-wide texts and menus"
    default_auto_field = "django.db.models.BigAutoField"
