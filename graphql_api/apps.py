from django.apps import AppConfig


class GraphQLApiConfig(AppConfig):
    """The read-only GraphQL content API served at /graphql/."""

    name = "graphql_api"
    label = "graphql_api"
    verbose_name = "GraphQL API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import invalidation

        invalidation.connect()
