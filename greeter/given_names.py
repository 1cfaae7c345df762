"""Common Russian first names — pure data, to tell «Имя Фамилия» from «Фамилия Имя».

A full-name cell of two words is documented as «Фамилия Имя»; written the
other way ("Анна Петрова") it made the letter greet «Петрова». No installed
library knows Russian first names: pytrovich only has ending rules (and
-ина, -ев are both names and surnames: Марина, Лев), shevchenko-py lists
Ukrainian spellings (Іван, Марія). So the order is turned round only when
the first word is one of these names and the second is not — a
conservative rule: a rare name is simply not recognised, and the cell is
read the documented way.
"""

from __future__ import annotations

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
_NAMES: Final = frozenset(_MALE.split()) | frozenset(_FEMALE.split())


def is_first_name(word: str) -> bool:
    """Whether ``word`` is a common Russian first name (any case; "Анна-Мария": each part is one)."""
    parts = word.lower().split("-")
    return all(part in _NAMES for part in parts)
