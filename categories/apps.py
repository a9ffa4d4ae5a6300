from django.apps import AppConfig


class CategoriesConfig(AppConfig):
    """Category pages: the organisation's areas of work, each grouping services."""

    name = "categories"
    label = "categories"
    verbose_name = "Categories"
    default_auto_field = "django.db.models.BigAutoField"
