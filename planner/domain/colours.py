"""Text that stays readable on a coloured background (WCAG contrast)."""

from __future__ import annotations

from functools import lru_cache

DARK = "#1B1B1B"
LIGHT = "#FFFFFF"


def _luminance(hex_colour: str) -> float:
    colour = hex_colour.lstrip("#")
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@lru_cache(maxsize=256)
def readable_text_on(background: str) -> str:
    """Near-black or white, whichever contrasts more with `background` ('#RRGGBB')."""
    return DARK if contrast(DARK, background) >= contrast(LIGHT, background) else LIGHT
