"""The gender a Portuguese or Spanish first name says by its ending — pure data and one rule.

A São Paulo office's clients had no gender column filled, and 29 of 34 common
Brazilian names (João, José, Antônio, Lucas, Luiz, Rafael, Thiago, Francisca,
Juliana, Patrícia, Aline, Conceição…) got the neutral «Olá, João» instead of
«Prezado Sr. João»: greeter's lists are Slavic, Baltic, Estonian, German and
English. Portuguese and Spanish given names say the gender by their ending far
more reliably than a short list could: -o, -ão, -os, -us, -el male; -a, -ção,
-ción female — with a few dozen well-known exceptions, listed below (Rosário,
Consuelo and Amparo are women; Luca and Andrea are men in Italy and women in
Brazil, so either).

No library fits: ``gender-guesser`` (the one on PyPI with Portuguese and Spanish
data) is GPLv3 (greeter is MIT), unreleased since 2016, a 4.3 MB table loaded in
0.2-0.3 s, and in its ``portugal`` column still leaves Antônio, Luiz, Thiago,
Tatiane, Vinícius unknown and calls Juliana and Aline androgynous. Nor is the
name of a Brazilian contact a matter for a census: a wrong gender costs the
client, an unknown one a neutral «Olá» — so what the rule does not know it
leaves unknown (a consonant or -e ending outside the lists: Ruth, Darci).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Final

from greeter.contacts import Gender

__all__ = ["IBERIAN_COUNTRIES", "IBERIAN_LANGUAGES", "iberian_name_gender"]

#: The languages whose contacts :func:`iberian_name_gender` reads.
IBERIAN_LANGUAGES: Final = frozenset({"pt", "es"})
#: Countries whose clients without a language of their own are read so (the first part of a region
#: code: BR-SP is BR): Brazil and Portugal, Spain and the largest Spanish-speaking countries.
IBERIAN_COUNTRIES: Final = frozenset({"BR", "PT", "AO", "MZ", "ES", "MX", "AR", "CO", "CL", "PE", "VE", "UY"})


def _words(text: str) -> frozenset[str]:
    """The names of a list written as words separated by spaces and lines."""
    return frozenset(text.split())


#: Men's names the endings would miss or misread (-e, -i, a consonant), written without accents
#: (:func:`_plain`): José, Felipe, Henrique, Jorge, Davi, Luiz, Artur, Edson…
_MALE: Final = _words(
    """
    jose felipe filipe henrique enrique jorge vicente alexandre guilherme duarte jaime dante clemente
    caique kaique davi david luiz luis ruy rui levi eli noe moises jesus tomas nicolas andres
    artur arthur vitor victor heitor igor nestor oscar cesar cezar wagner vagner walter valter ademir
    altair edgar edmar osmar omar baltazar gaspar junior
    edson wilson nelson anderson jefferson robson gilson adilson cleiton ailton milton everton
    washington wellington emerson denis
    """
)
#: Women's names the endings would miss or misread: -o (Rosário, Consuelo, Amparo, Rocío), -s (Inês,
#: Lurdes, Mercedes), -l (Isabel, Raquel), -r (Ester, Pilar), -z (Beatriz), -e (Aline, Simone)…
_FEMALE: Final = _words(
    """
    rosario consuelo amparo rocio socorro
    ines lurdes lourdes dolores mercedes gracas dores milagros nieves remedios thais iris
    isabel raquel mabel maribel ester esther pilar carmen miriam ruth
    beatriz luz cruz soledad trinidad piedad
    aline alice denise simone irene marlene solange gisele michele michelle daniele danielle
    """
)
#: Names of either gender, or a man's in Italy and a woman's in Brazil: no answer from the ending.
_EITHER: Final = _words("andrea luca nicola elia darci juraci jaci dani cris alex ariel")

#: Endings, tried longest first, with the gender each says (the lists above come first).
_ENDINGS: Final = (
    ("cao", Gender.FEMALE),  # Conceição, Assunção, Anunciação (accents stripped)
    ("cion", Gender.FEMALE),  # Concepción, Asunción, Encarnación
    ("iane", Gender.FEMALE),  # Tatiane, Cristiane, Viviane, Josiane
    ("ane", Gender.FEMALE),  # Daiane, Rosane, Luane
    ("ine", Gender.FEMALE),  # Jaqueline, Caroline, Celine
    ("ene", Gender.FEMALE),  # Lucilene, Marilene
    ("ete", Gender.FEMALE),  # Ivete, Odete, Claudete, Bernadete
    ("ice", Gender.FEMALE),  # Eunice, Berenice
    ("eide", Gender.FEMALE),  # Cleide, Neide
    ("ilde", Gender.FEMALE),  # Matilde, Clotilde
    ("ao", Gender.MALE),  # João, Sebastião
    ("os", Gender.MALE),  # Carlos, Marcos
    ("us", Gender.MALE),  # Mateus, Vinícius
    ("as", Gender.MALE),  # Lucas, Jonas, Elias, Douglas (Graças is listed)
    ("el", Gender.MALE),  # Rafael, Gabriel, Manuel, Miguel (Isabel, Raquel are listed)
    ("o", Gender.MALE),  # Antônio, Paulo, Pedro, Thiago (Rosário, Consuelo are listed)
    ("a", Gender.FEMALE),  # Francisca, Juliana, Fernanda, Patrícia (Luca, Andrea are either)
)


def _plain(word: str) -> str:
    """``word`` case-folded without its accents: a CRM typed without them (Joao, Conceicao, Antonio)."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def iberian_name_gender(first: str) -> Gender | None:
    """The gender a Portuguese or Spanish first name says: its first word's, by the lists, else its ending.

    ``None`` when the rule has no opinion (a word not of Latin letters, a
    consonant or -e ending outside the lists: «Kevin», «Ruth» is listed):
    the caller may try its other lists. ``UNKNOWN`` for a name of either
    gender (:data:`_EITHER`: Andrea, Luca), which no other list should
    overrule. The first word is the name addressed: «Maria da Conceição»,
    «Maria José» are women, «José Maria», «João Pedro» men.
    """
    words = first.split()
    word = _plain(words[0].rstrip(".,")) if words else ""
    if not word.isalpha() or not word.isascii():
        return None
    if word in _EITHER:
        return Gender.UNKNOWN
    if word in _MALE:
        return Gender.MALE
    if word in _FEMALE:
        return Gender.FEMALE
    if len(word) < 3:
        return None
    for ending, gender in _ENDINGS:
        if word.endswith(ending):
            return gender
    return None
