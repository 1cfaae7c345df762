"""Serbian Cyrillic → Latin, the official one-to-one transliteration, for letters in Serbian Latin.

Serbian is written in both scripts, letter for letter (Љ is Lj, Ћ is Ć, Џ is Dž), so
one template written in Cyrillic (``birthday.sr.j2``) serves ``sr_Latn`` clients too:
:meth:`greeter.render.Renderer.render` passes their letters through here. Without it
they read a Cyrillic letter with Latin pieces — the salutation, the dates, the
closing and the unsubscribe line follow the client's script — «Ваш рођендан је
2. januar». What a letter prints from data (the client's company «Дунав д.о.о.»,
an occasion's title) is a Serbian word like any other and is transliterated too;
Latin stays as written.

The table is the 30 letters of the Serbian alphabet (Vuk's Cyrillic and Gaj's Latin),
not a dependency: a maintained library such as ``cyrtranslit`` brings the same table
plus other languages' (Russian Я → Ja), which a Serbian letter must not apply.
A word with a Cyrillic letter Serbian does not have (ы, я, щ, ь, й: Russian or
Ukrainian, «Вячеслав», «День компании») is left as written rather than half
transliterated, and so is a quoted span holding one (the letters quote a title
they cannot name as Serbian: «praznik „День компании“», not «„День kompanii“»);
``greeter check`` warns where a title of that kind is printed, saying the Latin
letters show it in Cyrillic.
A title or a name (the gallery's and the calendar's, :func:`whole_to_latin`) is
decided whole: «Новый год» stays as written, never «Новый god».
Links and addresses (a token with ``@`` or ``://``, ``mailto:…``) are left as
written — an IDN address in .срб is not the same address in Latin — and so is
everything inside an HTML tag.

A whole letter has no way back: Latin → Cyrillic is not one-to-one (``nj`` is Њ
in «konj» but two letters in «injekcija»), and a Latin name chosen for Serbian
letters (``sender.by_locale.sr``: "Romashka LLC") must stay Latin. A template for
Cyrillic clients is written in Cyrillic. Only a *client's* name typed in Serbian
Latin is written in Cyrillic for a Cyrillic letter (:mod:`greeter.i18n_script`,
with the inverse of this table), when :func:`serbian_latin_name` says it is one:

* A person's name, decided on the whole name, so that a first name and a surname
  are never in two scripts: every letter a Serbian Latin one (no q, w, x, y, ä,
  é…), and one of them only Serbian has — č, ć, đ, š, ž, or the digraph lj or nj,
  which English, German or Hungarian names do not spell («Ljubomir Njegovan» →
  «Љубомир Његован», «Tanja», «Sonja»; the few foreign names that do, Benjamin,
  stay as typed: :data:`_FALSE_DIGRAPHS`). Without one («Dragan Jovanov», «John
  Smith») nothing tells a Serbian name from a foreign one, and a foreign name
  transliterated («Џон Смит» for John, or «Јохн») is wrong, where one left in
  Latin is only foreign-looking: it stays as typed.
* A name a CRM stripped of its diacritics («Djordje Djordjevic», «Milica
  Stojanovic», «Ljiljana Petrovic») stays as typed: a word in -ic, or with dj, is
  an -ić or a đ typed without its mark, and «Ђорђевиц» would misspell it.
* A company's name is its registered name, and a Latin one is kept as registered
  unless every word of it is Serbian by the same signs: «Petrović d.o.o.» is
  «Петровић д.о.о.» (the legal form is written in the script of the text), but
  «Džonić Trade d.o.o.» stays «Džonić Trade d.o.o.» — «Траде» is no word, and
  the Business Registers Agency's entry is what the client signs with. So does
  «Simić i sinovi»: «sinovi» has no sign, and a registered name is better left
  Latin than guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from greeter.i18n import script_of

__all__ = ["html_to_latin", "is_serbian_latin", "serbian_latin_name", "to_latin", "whole_to_latin"]

#: The Serbian Cyrillic alphabet in Latin, lower case (Правопис српскога језика, т. 1).
_LOWER: Final[dict[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
#: Capitals: a digraph's second letter is small ("Ljubav"); in a word of capitals, :func:`_word` makes it big.
_TABLE: Final[dict[str, str]] = {
    **_LOWER,
    **{cyr.upper(): lat[0].upper() + lat[1:] for cyr, lat in _LOWER.items()},
}
#: A run of letters (Unicode letters of any script; digits and "_" excluded).
_WORD: Final = re.compile(r"[^\W\d_]+")
#: A link or an address, left as written: "https://…", "mailto:…", "a@b.срб".
_LINK: Final = re.compile(r"\S*(?:@|://|mailto:)\S*")
#: An HTML tag, comment or declaration: nothing inside one is text.
_TAG: Final = re.compile(r"<[^>]*>")


def _cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _word(word: str) -> str:
    """One word in Latin; a word with a Cyrillic letter Serbian does not have is kept whole."""
    if not any(_cyrillic(ch) for ch in word):
        return word
    if any(_cyrillic(ch) and ch not in _TABLE for ch in word):
        return word  # «Вячеслав», «День»: not Serbian, and half of it in Latin would read as neither
    latin = "".join(_TABLE.get(ch, ch) for ch in word)
    if len(word) > 1 and word.isupper():  # ЉУБАВ → LJUBAV, not LjUBAV
        return latin.upper()
    return latin


#: A quoted span, „…“ as the Serbian letters quote a title or a name: decided whole.
_QUOTED: Final = re.compile(r"„[^„“”\n]*[“”]")


def _plain(text: str) -> str:
    """Word by word, but a quoted title or name whole (:func:`whole_to_latin`): «празник „День
    компании“» is «praznik „День компании“», never «„День kompanii“», one name in two scripts."""
    out: list[str] = []
    end = 0
    for quoted in _QUOTED.finditer(text):
        out.append(_words_to_latin(text[end : quoted.start()]))
        span = quoted.group()
        out.append(span if _foreign_cyrillic(span) else _words_to_latin(span))
        end = quoted.end()
    out.append(_words_to_latin(text[end:]))
    return "".join(out)


def _words_to_latin(text: str) -> str:
    return _WORD.sub(lambda m: _word(m.group()), text)


def _foreign_cyrillic(text: str) -> bool:
    """Whether ``text`` has a Cyrillic letter Serbian does not have (ы, я, ь…): Russian, Ukrainian."""
    return any(_cyrillic(ch) and ch not in _TABLE for ch in text)


def to_latin(text: str) -> str:
    """``text`` in Serbian Latin: «Срећан рођендан, Љубиша!» → "Srećan rođendan, Ljubiša!".

    Links and addresses in it are kept as written (see the module docstring).
    """
    out: list[str] = []
    end = 0
    for link in _LINK.finditer(text):
        out.append(_plain(text[end : link.start()]))
        out.append(link.group())
        end = link.end()
    out.append(_plain(text[end:]))
    return "".join(out)


def whole_to_latin(text: str) -> str:
    """A title or a name in Serbian Latin, decided on the whole of it: «Нова година» → "Nova godina".

    Why: :func:`to_latin` decides word by word, which suits a letter's body, but a
    title the starter config gives in Russian («Новый год») came out «Новый god» —
    one title in two scripts, read as neither. A title or a name with any Cyrillic
    letter Serbian does not have (ы, э, щ, ъ, й, ё, я, ю, ь…) is Russian (or
    Ukrainian) text and is left whole, as written; one whose Cyrillic letters are
    all Serbian is transliterated whole, exactly as :func:`to_latin` does it.
    """
    if _foreign_cyrillic(text):
        return text
    return to_latin(text)


def html_to_latin(html: str) -> str:
    """The text of an HTML document in Serbian Latin; tags, attributes and links as written."""
    out: list[str] = []
    end = 0
    for tag in _TAG.finditer(html):
        out.append(to_latin(html[end : tag.start()]))
        out.append(tag.group())
        end = tag.end()
    out.append(to_latin(html[end:]))
    return "".join(out)


#: The letters of Serbian Latin (Gaj's alphabet), one by one: digraphs are two of these.
_LATIN_LETTERS: Final = frozenset("".join(_LOWER.values()))
#: What only Serbian (Croatian, Bosnian) Latin spells among the names a CRM holds.
_SERBIAN_SIGN: Final = re.compile("[čćđšž]|lj|nj")
#: An -ić or a đ typed without its mark: «Djordjevic».
_STRIPPED: Final = re.compile(r"ic$|dj")
#: Foreign names in which n+j are two letters, not Њ: «Бењамин» would be no one's name.
_FALSE_DIGRAPHS: Final = frozenset({"benjamin", "benjamín", "sanjay", "anjali", "ranjit"})
#: Legal forms without their points (doo, ad, od, kd), and dotted (d.o.o., a.d.): letters and points.
_LEGAL_FORMS: Final = frozenset({"doo", "ad", "od", "kd"})
_DOTTED: Final = re.compile(r"(?:[^\W\d_]\.){2,}")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=8192)
def serbian_latin_name(text: str, *, company: bool = False) -> bool:
    """Whether ``text``, typed in Latin, is a Serbian name to write in Cyrillic for a Cyrillic letter.

    See the module docstring: «Marko Petrović», «Ljubomir Njegovan» yes; «John
    Smith», «Dragan Jovanov» (nothing says Serbian), «Djordje Djordjevic»
    (diacritics dropped), «Müller Šimić» (ü) no. With ``company`` every word
    but the legal form must say it: «Petrović d.o.o.» yes, «Džonić Trade
    d.o.o.» no.
    """
    words = _words(text)
    if not words or any(ch not in _LATIN_LETTERS for w in words for ch in w):
        return False
    if any(_STRIPPED.search(w) or w in _FALSE_DIGRAPHS for w in words):
        return False
    if not company:
        return _SERBIAN_SIGN.search(" ".join(words)) is not None
    named = [w for w in _words(_DOTTED.sub(" ", text)) if w not in _LEGAL_FORMS]
    return bool(named) and all(_SERBIAN_SIGN.search(w) for w in named)


@lru_cache(maxsize=256)
def is_serbian_latin(locale: str) -> bool:
    """Whether a letter in ``locale`` is Serbian in Latin script: ``sr_Latn``, ``sr_Latn_RS``, ``sr_ME``."""
    return locale.replace("-", "_").split("_")[0].lower() == "sr" and script_of(locale) == "Latn"


#: Serbian Latin's letters with diacritics, as they are typed without them: đ as "dj" (Djordje).
_ASCII: Final = str.maketrans(
    {"č": "c", "ć": "c", "š": "s", "ž": "z", "đ": "dj", "Č": "C", "Ć": "C", "Š": "S", "Ž": "Z", "Đ": "Dj"}
)


def to_ascii(latin: str) -> str:
    """Serbian Latin typed without its diacritics, as on a keyboard without them: «Božić» → "Bozic".

    For matching what people type («Dan drzavnosti»), never for writing: a
    letter keeps its č ć đ š ž. Cyrillic is left as it is (pass it through
    :func:`to_latin` first).
    """
    return latin.translate(_ASCII)
