from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Project pages, their index and the states a project can be in."""

    name = "projects"
    label = "projects"
    verbose_name = "Projects"
    default_auto_field = "django.db.models.BigAutoField"
