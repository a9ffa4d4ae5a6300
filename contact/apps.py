from django.apps import AppConfig


class ContactConfig(AppConfig):
    """Contact forms behind the calls to action, and what visitors send through them."""

    name = "contact"
    label = "contact"
    verbose_name = "Contact forms"
    default_auto_field = "django.db.models.BigAutoField"
