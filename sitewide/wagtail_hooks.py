"""Admin registration: the site's texts and menus are translatable snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Menu, SiteTexts


class SiteTextsViewSet(SnippetViewSet):
    """The interface texts, newsletter and contact details of each language."""

    model = SiteTexts
    icon = "openquote"
    menu_label = "Site texts"
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["__str__", "locale"]
    list_filter = ["locale"]


class MenuViewSet(SnippetViewSet):
    """Menus and link lists (about, footer, legal...), per language."""

    model = Menu
    icon = "list-ul"
    menu_label = "Menus"
    menu_order = 240
    add_to_admin_menu = True
    list_display = ["handle", "title", "locale"]
    list_filter = ["locale", "handle"]


register_snippet(SiteTextsViewSet)
register_snippet(MenuViewSet)
