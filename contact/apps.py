from django.apps import AppConfig


class ContactConfig(AppConfig):
    """Contact forms behind the calls to action, and what visitors send through them."""

    name = "contact"
    label = "contact"
    verbose_name = "Contact forms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - registers the app's system checks
