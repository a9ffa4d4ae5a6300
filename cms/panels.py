"""Admin panels shared by the page and snippet edit screens."""

from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.panels import Panel


class ReverseLinksPanel(Panel):
    """Read-only: what names this object (a service's projects...), computed on display.

    ``method`` names a method of the model returning the objects; nothing is stored twice
    and editors change a link on the side that holds it.
    """

    def __init__(self, method: str, **kwargs):
        super().__init__(**kwargs)
        self.method = method

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "method": self.method}

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/panels/reverse_links.html"

        @cached_property
        def items(self) -> list[dict]:
            instance = self.instance
            if instance is None or instance.pk is None:
                return []
            finder = AdminURLFinder(self.request.user if self.request else None)
            items = []
            for obj in getattr(instance, self.panel.method)():
                live = getattr(obj, "live", True)
                items.append(
                    {
                        "label": str(obj),
                        "url": finder.get_edit_url(obj),
                        "locale": obj.locale.language_code,
                        "draft": not live,
                    }
                )
            return items

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["items"] = self.items
            context["help_text"] = self.panel.help_text
            return context
