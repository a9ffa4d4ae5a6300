"""Admin registration: collaborators are snippets editors can search and choose."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Collaborator


class CollaboratorViewSet(SnippetViewSet):
    """Collaborators in the admin: listed with their logo, searchable by name."""

    model = Collaborator
    icon = "group"
    menu_label = "Collaborators"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "slug", "url", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


register_snippet(CollaboratorViewSet)
