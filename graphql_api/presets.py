"""The image sizes the API offers. Clients pick a preset; they never send a filter string."""

# Each preset lists Wagtail filter specs: the first is the preset's own rendition, all of
# them together make its srcset. Every preset also exists as a WebP variant (NAME_WEBP).
BASE_PRESETS: dict[str, list[str]] = {
    "THUMBNAIL": ["fill-160x160", "fill-320x320"],
    "CARD": ["fill-640x360", "fill-1280x720"],
    "HERO": ["width-1600", "width-800", "width-2400"],
    "LOGO": ["max-320x160", "max-640x320"],
}

PRESETS: dict[str, list[str]] = {
    **BASE_PRESETS,
    **{
        f"{name}_WEBP": [f"{spec}|format-webp" for spec in specs]
        for name, specs in BASE_PRESETS.items()
    },
}

ALL_SPECS: list[str] = sorted({spec for specs in PRESETS.values() for spec in specs})
