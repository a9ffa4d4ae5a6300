"""Admin registration: collaborators, team members and project states are snippets."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from projects.models import ProjectState

from . import reports
from .models import Collaborator, Member


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


class MemberViewSet(SnippetViewSet):
    """The team: searchable by name, filtered by language."""

    model = Member
    icon = "user"
    menu_label = "Team"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug", "position", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "slug", "position"]


register_snippet(MemberViewSet)


class ProjectStateViewSet(SnippetViewSet):
    """The states a project can be in (open, closed), with their badge colour."""

    model = ProjectState
    icon = "tag"
    menu_label = "Project states"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "slug", "color", "locale"]
    list_filter = ["locale"]


register_snippet(ProjectStateViewSet)


@hooks.register("register_admin_urls")
def register_waiting_for_translation_urls():
    return reports.urls()


@hooks.register("register_reports_menu_item")
def register_waiting_for_translation_menu_item():
    return reports.menu_item()
