"""Admin registration: collaborators, team members and project states are snippets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from projects.models import ProjectState

from . import reports, translation_editor
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


# Before wagtail-localize's own hooks, which publish a translation at once.
@hooks.register("before_edit_page", order=-1)
def confirm_translation_publish(request, page):
    return translation_editor.confirm_publish(request, page)


@hooks.register("before_edit_snippet", order=-1)
def confirm_snippet_translation_publish(request, instance):
    return translation_editor.confirm_publish(request, instance)


@hooks.register("register_admin_urls")
def register_waiting_for_translation_urls():
    return reports.urls()


@hooks.register("register_reports_menu_item")
def register_waiting_for_translation_menu_item():
    return reports.menu_item()


# The Markdown editor's toolbar icons come from Font Awesome served by the CMS itself
# (fontawesomefree's static files; WAGTAILMARKDOWN's autodownload_fontawesome is off), and
# its options from our own script: the admin asks no other site for anything.
EDITOR_STYLESHEETS = ("fontawesomefree/css/all.min.css", "fontawesomefree/css/v4-shims.min.css")


@hooks.register("insert_global_admin_css")
def markdown_editor_icons():
    return format_html_join(
        "\n", '<link rel="stylesheet" href="{}">', ((static(path),) for path in EDITOR_STYLESHEETS)
    )


@hooks.register("insert_global_admin_js")
def markdown_editor_options():
    return format_html('<script src="{}"></script>', static("cms/js/markdown-editor.js"))


def unfinished_fields(page: Page) -> list[str]:
    """The StreamFields of a page's latest revision that publishing would refuse: a draft
    may keep an unfinished block (validation is deferred on saving one), publishing not."""
    latest = page.specific.get_latest_revision_as_object()
    unfinished = []
    for field in latest._meta.get_fields():
        if isinstance(field, StreamField):
            try:
                field.stream_block.clean(getattr(latest, field.name))
            except ValidationError:
                unfinished.append(str(field.verbose_name))
    return unfinished


@hooks.register("before_bulk_action")
def refuse_to_bulk_publish_unfinished_blocks(request, action_type, objects, action):
    """The listing's bulk "Publish" checks what the editor's "Publish" checks: a page whose
    latest draft has an unfinished block is not published, and the editor is told which."""
    if action_type != "publish" or not all(isinstance(obj, Page) for obj in objects):
        return None
    refused = {page: fields for page in objects if (fields := unfinished_fields(page))}
    if not refused:
        return None
    for page, fields in refused.items():
        messages.error(
            request,
            f"'{page.get_admin_display_title()}' was not published: its draft has an "
            f"unfinished block in {', '.join(fields)}. Open the page to finish it.",
        )
    return redirect(action.next_url)
