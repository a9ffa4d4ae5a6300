"""The contact app in the admin: the download of the files visitors sent."""

from django.urls import path
from wagtail import hooks

from .views import download_upload


@hooks.register("register_admin_urls")
def register_upload_download_url():
    return [path("contact/uploads/<int:pk>/", download_upload, name="contact_upload")]
