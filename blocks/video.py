"""Embedded videos from known providers, rendered without any network call."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.blocks import CharBlock, StructBlock, StructValue
from wagtail.blocks.struct_block import StructBlockValidationError

from .fields import WebURLBlock
from .tags import SourceTag

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")
_PEERTUBE_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")


@dataclass(frozen=True)
class VideoEmbed:
    """A recognised video: its provider, its id and the URL of its player."""

    provider: str
    video_id: str
    embed_url: str


def _youtube(host: str, path: str, query: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if host == "youtu.be" and parts:
        return parts[0]
    if host in ("youtube.com", "m.youtube.com", "youtube-nocookie.com"):
        if parts[:1] == ["watch"]:
            return (parse_qs(query).get("v") or [None])[0]
        if len(parts) >= 2 and parts[0] in ("embed", "shorts", "live", "v"):
            return parts[1]
    return None


def _vimeo(host: str, path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if host == "player.vimeo.com" and len(parts) >= 2 and parts[0] == "video":
        return parts[1]
    if host == "vimeo.com" and parts:
        return parts[-1] if _VIMEO_ID.match(parts[-1]) else None
    return None


def _peertube(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 3 and parts[0] == "videos" and parts[1] in ("embed", "watch"):
        return parts[2]
    if len(parts) >= 2 and parts[0] == "w":
        return parts[1]
    return None


def parse_video_url(url: str) -> VideoEmbed | None:
    """Recognise a YouTube, Vimeo or allowed PeerTube URL and derive its player URL offline."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    providers = getattr(settings, "CIVIC_VIDEO_PROVIDERS", ["youtube", "vimeo"])
    if "youtube" in providers:
        video_id = _youtube(host, parts.path, parts.query)
        if video_id and _YOUTUBE_ID.match(video_id):
            return VideoEmbed(
                "youtube", video_id, f"https://www.youtube-nocookie.com/embed/{video_id}"
            )
    if "vimeo" in providers:
        video_id = _vimeo(host, parts.path)
        if video_id and _VIMEO_ID.match(video_id):
            return VideoEmbed("vimeo", video_id, f"https://player.vimeo.com/video/{video_id}")
    if host in getattr(settings, "CIVIC_PEERTUBE_HOSTS", []):
        video_id = _peertube(parts.path)
        if video_id and _PEERTUBE_ID.match(video_id):
            return VideoEmbed("peertube", video_id, f"https://{host}/videos/embed/{video_id}")
    return None


def allowed_video_hosts() -> list[str]:
    """The hosts whose players may appear in an iframe."""
    providers = getattr(settings, "CIVIC_VIDEO_PROVIDERS", ["youtube", "vimeo"])
    hosts: list[str] = []
    if "youtube" in providers:
        hosts += ["www.youtube-nocookie.com"]
    if "vimeo" in providers:
        hosts += ["player.vimeo.com"]
    return hosts + list(getattr(settings, "CIVIC_PEERTUBE_HOSTS", []))


class VideoValue(StructValue):
    """Gives templates and the API the provider and player URL of a video."""

    @property
    def embed(self) -> VideoEmbed | None:
        return parse_video_url(self.get("url") or "")

    @property
    def provider(self) -> str | None:
        embed = self.embed
        return embed.provider if embed else None

    @property
    def embed_url(self) -> str | None:
        embed = self.embed
        return embed.embed_url if embed else None


class VideoBlock(StructBlock):
    """A video from YouTube, Vimeo or an allowed PeerTube instance, with its title."""

    source_tag = SourceTag("video", ("title", "url"))

    title = CharBlock(
        max_length=255,
        help_text="Describes the video for screen readers and appears above the player.",
        label="Video title",
    )
    url = WebURLBlock(
        help_text="The video's address on YouTube or Vimeo, either its page or its embed URL.",
        label="Video URL",
    )

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation and not value.get("url"):
            # A draft may hold a video whose address is not pasted yet. An address given
            # is checked at once: only known players are ever embedded.
            return value
        if parse_video_url(value.get("url") or "") is None:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        "This is not a video address we can embed. Use a YouTube or Vimeo "
                        "video URL, such as https://www.youtube.com/watch?v=… or "
                        "https://vimeo.com/123456789."
                    )
                }
            )
        return value

    class Meta:
        icon = "media"
        label = "Video"
        template = "blocks/video.html"
        value_class = VideoValue
        description = "A YouTube or Vimeo video, embedded without tracking cookies."
        preview_value = {
            "title": "Goteo: crowdfunding cívico",
            "url": "https://www.youtube.com/watch?v=5bzfj2IkznQ",
        }
