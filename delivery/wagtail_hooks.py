"""Admin screens: register webhook endpoints and read their delivery log."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointViewSet(ModelViewSet):
    """Endpoints that receive a signed POST when content changes."""

    model = WebhookEndpoint
    icon = "link-external"
    menu_label = "Webhook endpoints"
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    form_fields = ["name", "url", "events", "active", "secret"]
    add_to_admin_menu = False


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The delivery log is written by the task queue only: nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery))


class WebhookDeliveryViewSet(ModelViewSet):
    """The delivery log: what was sent where, how many tries, and how the last one went (its
    status code, time and error); never what an endpoint answered."""

    model = WebhookDelivery
    icon = "list-ul"
    menu_label = "Webhook deliveries"
    list_display = [
        "event", "endpoint", "status", "attempts", "last_status_code", "last_attempt_at",
        "created_at",
    ]  # fmt: skip
    list_filter = ["status", "event", "endpoint"]
    search_fields = ["event", "last_error"]
    form_fields = []
    inspect_view_enabled = True
    inspect_view_fields = [
        "uuid", "endpoint", "event", "status", "attempts", "last_status_code",
        "last_attempt_at", "last_error", "next_attempt_at", "created_at", "updated_at",
        "payload",
    ]  # fmt: skip
    add_to_admin_menu = False


class DeliveryGroup(ViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link-external"
    menu_order = 900
    items = (
        WebhookEndpointViewSet("webhook_endpoints"),
        WebhookDeliveryViewSet("webhook_deliveries"),
    )


@hooks.register("register_admin_viewset")
def register_delivery_viewsets():
    return DeliveryGroup()
