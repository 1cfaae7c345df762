"""Quotes inside quotes as each letter's language nests them: «25-летие „Ромашки“», „Tag ‚Ромашки‘“ — pure.

Why: a title or a company name that carries its own quotes («Ромашки», ООО
«Завод «Прогресс»») put inside the quotes of a sentence («праздником «…»»)
printed «…«Ромашки»» — two pairs of one kind, which Russian typography never
writes: the inner pair is „…“. German and Serbian quote „…“ and nest ‚…‘.
Only these languages' shipped wording puts a name inside quotes of its own
kind (Estonian's «püha „…“» is left as its macro writes it: Estonian nests
either kind, and greeter cannot tell which its reader expects); any other
language's text is returned as it is.
"""

from __future__ import annotations

from typing import Final

__all__ = ["QUOTES", "in_quotes", "renested"]

#: A language's quotes: the outer pair, then the pair nested inside it.
QUOTES: Final[dict[str, tuple[str, str, str, str]]] = {
    "ru": ("«", "»", "„", "“"),
    "uk": ("«", "»", "„", "“"),
    "de": ("„", "“", "‚", "‘"),
    "sr": ("„", "“", "‚", "‘"),
}


def _language(locale: str) -> str:
    return locale.replace("-", "_").partition("_")[0].lower()


def renested(text: str, locale: str) -> str:
    """``text`` with each pair of the language's outer quotes inside another made the inner pair.

    ``renested("«25-летие «Ромашки»»", "ru")`` → «25-летие „Ромашки“»;
    ``renested("ООО „Завод „Прогресс““", "sr")`` → ООО „Завод ‚Прогресс‘“. A closing
    quote with none open (a typo in the CRM) is left as written.
    """
    quotes = QUOTES.get(_language(locale))
    if quotes is None:
        return text
    opening, closing, inner_opening, inner_closing = quotes
    if text.count(opening) < 2:  # nothing nested: the common case, no scan
        return text
    out, depth = [], 0
    for char in text:
        if char == opening:
            depth += 1
            out.append(inner_opening if depth > 1 else char)
        elif char == closing and depth > 0:
            out.append(inner_closing if depth > 1 else char)
            depth -= 1
        else:
            out.append(char)
    return "".join(out)


def in_quotes(text: str, locale: str) -> str:
    """``text`` inside the language's outer quotes, its own quotes nested: «25-летие „Ромашки“».

    A language without its quotes here is written with Russian's (the default
    letters' language, as :func:`greeter.company_names.company_name` does).
    """
    language = _language(locale)
    key = language if language in QUOTES else "ru"
    opening, closing = QUOTES[key][:2]
    return renested(f"{opening}{text}{closing}", key)
