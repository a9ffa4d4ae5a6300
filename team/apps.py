from django.apps import AppConfig


class TeamConfig(AppConfig):
    """The team listing: one page per language above the team members."""

    name = "team"
    label = "team"
    verbose_name = "Team"
    default_auto_field = "django.db.models.BigAutoField"
