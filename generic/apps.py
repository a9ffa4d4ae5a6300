from django.apps import AppConfig


class GenericConfig(AppConfig):
    """Generic pages: about us, transparency, legal texts, the not-found page..."""

    name = "generic"
    label = "generic"
    verbose_name = "Generic pages"
    default_auto_field = "django.db.models.BigAutoField"
