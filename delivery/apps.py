from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Publish webhooks: tell registered endpoints what content changed, outside the request."""

    name = "delivery"
    label = "delivery"
    verbose_name = "Delivery"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.connect()
