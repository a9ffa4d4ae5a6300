"""The image sizes the API offers. Clients pick a preset; they never send a filter string."""

# Each preset lists Wagtail filter specs: the first is the preset's own rendition, all of
# them together make its srcset. Every preset also exists as a WebP variant (NAME_WEBP).
# ``fill-`` specs crop around the image's focal point (Wagtail's own behaviour), so the
# cropping presets keep what the editor marked as important in the frame.
BASE_PRESETS: dict[str, list[str]] = {
    "THUMBNAIL": ["fill-160x160", "fill-320x320"],
    "CARD": ["fill-640x360", "fill-1280x720"],
    "HERO": ["width-1600", "width-800", "width-2400"],
    "LOGO": ["max-320x160", "max-640x320"],
    # Open Graph / Twitter cards: 1200x630 is what the social networks show in full.
    "OPEN_GRAPH": ["fill-1200x630"],
    "SQUARE": ["fill-600x600", "fill-1200x1200"],
}

PRESETS: dict[str, list[str]] = {
    **BASE_PRESETS,
    **{
        f"{name}_WEBP": [f"{spec}|format-webp" for spec in specs]
        for name, specs in BASE_PRESETS.items()
    },
}

# The tiny rendition an image's placeholder is made from (Image.placeholder): a few hundred
# bytes, blurred by the browser when stretched.
PLACEHOLDER_SPEC = "max-16x16|format-webp|webpquality-40"

ALL_SPECS: list[str] = sorted(
    {spec for specs in PRESETS.values() for spec in specs} | {PLACEHOLDER_SPEC}
)
