"""Common first names — pure data, to tell «Имя Фамилия» from «Фамилия Имя».

A full-name cell of two words is documented as «Фамилия Имя»; written the
other way ("Анна Петрова", "Јелена Николић", "Jaan Kask") it made the letter
greet «Петрова», «Николић», «Kask». No installed library lists Russian,
Serbian, Estonian or Kazakh first names: pytrovich only has ending rules (and
-ина, -ев are both names and surnames: Марина, Лев), Babel has none. The one
maintained list installed is shevchenko-py's dictionary of Ukrainian given
names (Іван, Марія, Олександр; some 1,100), read from its package data when
first needed. The others are the short lists below: the most common names of
each language, enough for most clients, not a census.

So the order is turned round only when the first word is one of these names
and the second is not — a conservative rule: a rare name is simply not
recognised, and the cell is read the documented way (the loader warns when a
contact of another language than Russian is read so, see
:func:`greeter.names.read_full_name`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Final

__all__ = ["is_first_name"]

_MALE: Final = """
александр алексей анатолий андрей антон аркадий арсений артём артем артур богдан борис вадим
валентин валерий василий виктор виталий владимир владислав всеволод вячеслав геннадий георгий
герман глеб григорий давид даниил данила денис дмитрий евгений егор емельян ефим захар иван игорь
илья иосиф кирилл константин лев леонид макар максим марат марк матвей михаил назар никита
николай олег павел пётр петр платон прохор роберт родион роман ростислав руслан рустам савелий
святослав семён семен сергей станислав степан тимофей тимур фёдор федор филипп эдуард юлиан юрий
яков ярослав гусейн рашид ильдар ринат айдар азат эльдар али магомед ахмед
"""
_FEMALE: Final = """
агата александра алевтина алина алиса алла анастасия ангелина анжелика анна антонина арина
валентина валерия варвара василиса вера вероника виктория виолетта галина дарья диана ева евгения
екатерина елена елизавета жанна зинаида злата зоя инна ирина камила карина кира клавдия кристина
ксения лариса лейла лидия лилия любовь людмила майя маргарита марина мария милана надежда наталия
наталья нелли нина оксана олеся ольга полина раиса регина римма роза светлана снежана софия софья
стефания таисия тамара татьяна ульяна эвелина элина эльвира эмилия юлия яна ярослава гульнара
динара лейсан алсу
"""
#: Serbian, written in Cyrillic; the Latin spelling of each is added by :func:`_serbian_latin`.
_SERBIAN: Final = """
марко милош никола стефан лазар вук душан драган зоран горан милан небојша дејан саша ненад бојан
дарко срђан александар филип огњен петар јован немања урош драгољуб милутин бранко слободан живко
мирослав предраг радован вељко ђорђе андрија лука душко миодраг војислав момчило жељко
јелена марија ана милица јована ивана драгана снежана биљана гордана мирјана наташа тијана теодора
ања катарина јасмина весна зорица сања бојана невена сара мила дуња исидора софија данијела маја
јасна љиљана радмила слађана бранка ксенија оливера драгица
"""
_ESTONIAN: Final = """
jaan mart tiit toomas andres peeter jüri rein priit margus indrek kristjan siim tõnu urmas ain aivar
tarmo rasmus karl kaspar mihkel martin raul hendrik juhan tanel madis lauri ott kalle heiki arvo enn
mati tõnis joosep oskar sander kevin markus oliver erik andrus marek meelis
mari kadri kati tiina kristiina anu triin liis kertu helen piret pille malle tiiu ene eve anneli
katrin kersti merike maarja laura eliise mia emma hanna grete kaisa evelin marju sirje reet ülle aino
helgi kairi riina marika liina
"""
#: Kazakh, in Cyrillic; names with the Kazakh letters also as Russian forms often spell them (Қайрат, Кайрат).
_KAZAKH: Final = """
нурлан ерлан асхат арман бауыржан данияр ержан жандос нурсултан ерболат серик берик болат самат
қайрат кайрат мейрам айбек алмас асылбек даурен дархан ерик есен жанибек қанат канат мурат олжас
санжар талгат бекзат абай ерасыл алихан арсен мадияр ербол аскар нуржан ермек
айгуль айгүл айгерим жанар гульмира асель әсел аружан айжан жазира гульнар салтанат сауле мадина
дана назерке алия айнур айдана балжан гаухар меруерт томирис ақерке акерке әсем асем зарина индира
карлыгаш мөлдір молдир шолпан улжан айсулу бибигуль гульжан жұлдыз жулдыз эльмира асия
"""
_SERBIAN_LATIN: Final = str.maketrans(
    {"љ": "lj", "њ": "nj", "џ": "dž", "ђ": "đ", "ћ": "ć", "ж": "ž", "ч": "č", "ш": "š", "ј": "j"}
    | dict(zip("абвгдезиклмнопрстуфхц", "abvgdeziklmnoprstufhc", strict=True))
)


def _serbian_latin(names: str) -> frozenset[str]:
    """Serbian names in both scripts: a CRM in Serbia writes either (Јелена, Jelena)."""
    cyrillic = names.split()
    return frozenset(cyrillic) | frozenset(name.translate(_SERBIAN_LATIN) for name in cyrillic)


_NAMES: Final = (
    frozenset(_MALE.split())
    | frozenset(_FEMALE.split())
    | _serbian_latin(_SERBIAN)
    | frozenset(_ESTONIAN.split())
    | frozenset(_KAZAKH.split())
)


@lru_cache(maxsize=1)
def _ukrainian() -> frozenset[str]:
    """shevchenko-py's dictionary of Ukrainian given names, or none if the package has moved it.

    The dictionary is package data, not its documented API: should a release
    move it, Ukrainian names are merely not recognised (the documented order
    applies) rather than the loader failing. Read once, on the first
    two-word cell that the other lists do not settle.
    """
    import shevchenko  # here, not at the top: only a full-name column needs it

    try:
        words = json.loads(
            (Path(shevchenko.__file__).parent / "data" / "given-names.json").read_text("utf-8")
        )
    except (OSError, ValueError):
        return frozenset()
    return frozenset(w.lower() for w in words if isinstance(w, str))


def is_first_name(word: str) -> bool:
    """Whether ``word`` is a common first name (any case; "Анна-Мария": each part is one).

    Russian, Ukrainian, Serbian (either script), Estonian or Kazakh.
    """
    parts = word.lower().split("-")
    return all(part in _NAMES or part in _ukrainian() for part in parts)
