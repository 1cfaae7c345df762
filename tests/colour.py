"""WCAG 2.x colour contrast, for the tests that check the letters', the gallery's and the pages' colours.

One helper: three test modules each carried their own copy of the same formula (one with the 2.0
threshold 0.03928, two with 2.2's 0.04045 — the same result for every 8-bit channel value).
"""

from __future__ import annotations


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)
