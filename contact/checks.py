"""System checks of the contact app: `manage.py check` says what would go unnoticed."""

from django.conf import settings
from django.core.checks import Warning, register

# Email backends that deliver nothing to anyone.
UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register()
def check_mail_server(app_configs, **kwargs):
    """Outside development, contact form notifications need a mail server (EMAIL_HOST)."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in UNDELIVERED:
        return []
    return [
        Warning(
            "Contact form notifications reach nobody: no mail server is configured "
            f"(EMAIL_BACKEND is {settings.EMAIL_BACKEND}).",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
            "DEFAULT_FROM_EMAIL). Until then submissions are stored and listed in the admin, "
            "and each notification is written to the notification worker's output.",
            id="contact.W001",
        )
    ]
