from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """The Jekyll/Decap importer: read, map, resolve and write the old site, and its command."""

    name = "importer"
    label = "importer"
    verbose_name = "Importer"
