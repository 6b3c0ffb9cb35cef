"""The instance's colours: keep the main colour readable on white (WCAG 2 contrast).

Pure functions; the app calls ``readable_brand_colour`` once at startup and logs the warning.
"""
from __future__ import annotations

import re

DEFAULT_COLOUR = "#005a8c"
MINIMUM_CONTRAST = 4.5  # WCAG 2 AA for normal text
WHITE = "#ffffff"
SOFT = "#f2f5f7"  # static/style.css --soft: the search box and callouts, where the colour also draws links
BACKGROUNDS = (WHITE, SOFT)
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex(colour: str) -> tuple[int, int, int] | None:
    """(r, g, b) from "#abc" or "#aabbcc" (the "#" may be missing); None when not a colour."""
    found = _HEX.match(str(colour or "").strip())
    if not found:
        return None
    digits = found.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(colour: str, background: str = WHITE) -> float:
    """WCAG contrast ratio between two hex colours, from 1 (same) to 21 (black on white)."""
    first, second = parse_hex(colour), parse_hex(background)
    if first is None or second is None:
        raise ValueError(f"not a hex colour: {colour!r} / {background!r}")
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def worst_contrast(colour: str) -> float:
    """The colour's contrast on the page background where it is least readable."""
    return min(contrast_ratio(colour, background) for background in BACKGROUNDS)


def darken_until_readable(colour: str, minimum: float = MINIMUM_CONTRAST) -> str:
    """The same hue, darkened step by step until it reaches ``minimum`` on every page background."""
    rgb = parse_hex(colour)
    for step in range(101):
        factor = 1 - step / 100
        candidate = to_hex(tuple(c * factor for c in rgb))
        if worst_contrast(candidate) >= minimum:
            return candidate
    return "#000000"


def readable_brand_colour(colour: str) -> tuple[str, str]:
    """(colour to use, warning in French or ""): a colour too pale on white is darkened."""
    if parse_hex(colour) is None:
        return DEFAULT_COLOUR, (f"Couleur « {colour} » (branding.color) illisible : écrire un code comme "
                                f"\"#005a8c\". La couleur par défaut {DEFAULT_COLOUR} est utilisée.")
    normalised = to_hex(parse_hex(colour))
    ratio = worst_contrast(normalised)
    if ratio >= MINIMUM_CONTRAST:
        return normalised, ""
    darker = darken_until_readable(normalised)
    return darker, (f"Couleur « {colour} » (branding.color) trop claire sur fond blanc ou gris clair : contraste "
                    f"{ratio:.1f}:1, il faut au moins {MINIMUM_CONTRAST}:1. Une teinte plus foncée "
                    f"({darker}) est utilisée à la place ; choisissez une couleur plus foncée.")
