from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Publish webhooks, and the renditions the API serves: made by the task worker."""

    name = "delivery"
    label = "delivery"
    verbose_name = "Delivery"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import renditions, signal_handlers

        signal_handlers.connect()
        renditions.connect()
