from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Publish webhooks, the renditions the API serves and scheduled publishing and
    expiry: done by the task worker."""

    name = "delivery"
    label = "delivery"
    verbose_name = "Delivery"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import changes, renditions, schedule, signal_handlers

        signal_handlers.connect()
        changes.connect()
        renditions.connect()
        schedule.connect()
