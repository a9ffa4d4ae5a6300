from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """Service pages: the listing and the detail page with its stream of blocks."""

    name = "services"
    label = "services"
    verbose_name = "Services"
    default_auto_field = "django.db.models.BigAutoField"
