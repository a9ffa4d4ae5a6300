from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Site-wide models: the home page and the Collaborator snippet."""

    name = "cms"
    label = "cms"
    verbose_name = "Civic CMS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import text, translation_editor, translation_sync

        text.connect()
        translation_sync.connect()
        translation_editor.connect()
