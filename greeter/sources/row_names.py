"""The row parser's name and gender cells: a name read once per distinct cell, and what it tells.

Split from :mod:`greeter.sources.rows` (the row parser), so that it holds the
row's logic: here a name cell is read (spaces, case, emoji left out: cached, as
names repeat), a full name in the order of its language, a gender cell by
greeter's words and the CRM's own, and the warnings a name gives — a row
greeted without a first name (quoting the opening its letters get), a gender
the patronymic contradicts, a first-name column that holds whole names.
What a name cell's text says on its own is :mod:`~greeter.sources.name_cells`'.

:class:`RowNames` is a base class of :class:`~greeter.sources.rows.RowParser`:
the state its methods share with the parser is declared here and set by the
parser's ``__init__``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from greeter.contacts import Contact, Gender
from greeter.errors import Problem
from greeter.name_case import normalise_case, turkic_case
from greeter.names import FullName, first_and_patronymic, gender_of, read_full_name
from greeter.patronymics import patronymic_gender
from greeter.sources.caches import remember
from greeter.sources.name_cells import (
    NO_NAME,
    PERSON_NAME_FIELDS,
    full_name_note,
    gender_titles,
    gender_word,
    lookalike_note,
    mixed_scripts_note,
    pictograph_note,
    unknown_gender_warning,
    whole_names_warning,
    without_pictographs,
)
from greeter.sources.quote import quoted


class RowNames:
    """The name and gender cells of :class:`~greeter.sources.rows.RowParser`'s rows."""

    # The parser's state these methods read and set (RowParser.__init__).
    source: str
    header: list[str]
    pos: dict[str, int]
    _names: dict[str, str]
    _turkic_names: dict[str, str]
    _full_names: dict[tuple[str, str | None], tuple[FullName, str]]
    _pictured: dict[str, str]
    _other_scripts: dict[tuple[str, str, bool], str]
    _impersonal: dict[tuple[str | None, Gender | None, str, str], str]
    _gender_values: dict[str, Gender]
    _whole_names: int
    _first_names: int
    _whole_sample: tuple[int, str] | None
    _with_patronymic: int
    _patronymic_sample: tuple[int, str] | None

    if TYPE_CHECKING:  # the parser's own, which locates a cell's problem

        def _problem(self, line: int, field: str, message: str, severity: str = "error") -> Problem: ...

        def _warn(self, line: int, field: str, message: str) -> Problem: ...

    def _full_name(self, raw: str, locale: str | None) -> tuple[FullName, str]:
        """A full-name cell read (:func:`read_full_name`), and its row warning or "" (cached: names repeat).

        The warning says how a cell not in «Фамилия Имя Отчество» order was
        read, and what was dropped from it (initials, text in brackets), so
        that ``check`` shows what the letter will say instead of ``OK``.
        """
        known = self._full_names.get((raw, locale))
        if known is not None:
            return known
        text = self._name(raw, locale)
        reading = read_full_name(text, locale)
        return remember(self._full_names, (raw, locale), (reading, full_name_note(text, reading, locale)))

    def _nameless(self, contact: Contact, why: str = "", fix: str = "") -> Problem:
        """The warning for a contact loaded without a first name: its letters cannot address it by name.

        Such a row (an empty name, or only a patronymic or a surname, or
        initials: ``why`` says so, ``fix`` what to do) is still
        greeted — the letter is correct, only impersonal — so it is a warning,
        not a rejection; but without one the marketer learns of it from a
        letter that opens «Здравствуйте!». The message quotes the opening the
        letter will have: the contact's language (``defaults.locale``'s when the
        row names none, as the letter's is) with its gender and surname, which some languages use without a
        first name («Lugupeetud härra Mägi!», «Tisztelt Hölgyem!»).
        """
        language = contact.written_locale  # a row without one is greeted in defaults.locale's
        key = (language, contact.gender, contact.patronymic, contact.last_name)
        opening = self._impersonal.get(key)
        if opening is None:
            from greeter.letter_forms import salutation, salutation_end  # only for such a row

            opening = f"{salutation(contact, language)}{salutation_end(language)}"
            remember(self._impersonal, key, opening)
        named = any(part and part in opening for part in (contact.patronymic, contact.last_name))
        how = "open without a first name" if named else "are impersonal"
        column = "first_name" if "first_name" in self.pos else "full_name"
        message = f"{why or 'no first name'}: letters to this contact {how} («{opening}»)"
        if fix:
            message += f"; {fix}"
        return self._problem(contact.row, column, message, "warning")

    def _whole_name_problem(self) -> Problem | None:
        """One warning for a first-name column some of whose cells hold a whole name, or None.

        Mapping ``first_name`` to a ФИО column (as a newcomer copying the
        example does) greets every contact «Петрова Анна Сергеевна, с днём
        рождения!» without a word: once per file, not per row, it names a
        sample and the setting meant.
        """
        if not self._whole_names or self._whole_sample is None:
            return None
        row, sample = self._whole_sample
        column = self.header[self.pos["first_name"]]
        patronymic = self.header[self.pos["patronymic"]] if "patronymic" in self.pos else None
        message = whole_names_warning(self._whole_names, self._first_names, row, sample, column, patronymic)
        return Problem(self.source, column, message, kind="column", severity="warning")

    def name_notes(self) -> list[str]:
        """``check``'s note that first-name cells were read as «Имя Отчество», or none.

        A note, not a warning: «Иван Петрович» in amoCRM's «Имя» beside its
        «Фамилия» is how that CRM is filled, and the letter greets «Иван
        Петрович» rightly; but the user should know where the patronymic came from.
        """
        if self._patronymic_sample is None:
            return []
        row, sample = self._patronymic_sample
        column = self.header[self.pos["first_name"]]
        first, patronymic = first_and_patronymic(sample) or (sample, "")
        return [
            f"contacts: {column}: {self._with_patronymic} of {self._first_names} first names are a first"
            f" name and a patronymic (e.g. row {row}: {quoted(sample)}): read as first name {first!r},"
            f" patronymic {patronymic!r}, as no contacts.columns.patronymic is mapped"
        ]

    def _pictograph_notes(self, cells: Mapping[str, str], line: int, problems: list[Problem]) -> str:
        """A warning for each of the row's person-name cells read without its emoji (:meth:`_name`).

        A name left with nothing (``😀``) is no name: returned is why, for the
        first-name (or full-name) cell, so that the row's one warning says so
        with the impersonal opening its letters get (:meth:`_nameless`); "" if
        that cell still holds a name. A company's cell is left alone (its ™ is
        its name's).
        """
        why = ""
        pictured = self._pictured
        for name in PERSON_NAME_FIELDS:
            note = pictured.get(cells.get(name, ""))
            if note is None:
                continue
            if note.endswith(NO_NAME) and name in ("first_name", "full_name"):
                why = note
            else:
                problems.append(self._warn(line, name, note))
        return why

    def _gender(self, text: str, line: int, problems: list[Problem]) -> Gender | None:
        if not text:
            return None
        gender = gender_word(text, self._gender_values)  # the one reading of a gender cell
        if gender is None and not gender_titles(text):  # «Dr» alone: a title, no gender to map
            problems.append(self._warn(line, "gender", unknown_gender_warning(text)))
        return gender

    def _check_gender(
        self,
        gender: Gender,
        first: str,
        patronymic: str,
        last: str,
        line: int,
        problems: list[Problem],
        language: str | None = None,
    ) -> None:
        """Warn when the explicit gender contradicts the patronymic.

        The column wins over a Turkic or Latin patronymic; against a plain
        -вич/-вна neither is sure and the letter is neutral (:func:`gender_of`).
        The warning quotes what the letter really says, in its ``language`` (the
        row's, else ``defaults.locale``), made by the functions the letter is made
        with: the salutation and, in a Russian letter with a first name, the
        dative name over the HTML letter, which the column's gender garbles worse
        («Марие Петровна Иванове») than the salutation.
        """
        said = patronymic_gender(patronymic)
        if said is Gender.UNKNOWN or said is gender:
            return
        who = Contact(
            id="", email=None, first_name=first, patronymic=patronymic, last_name=last, gender=gender
        )
        neutral = gender_of(who) is Gender.UNKNOWN
        if first:
            from greeter.addressing import decline  # pytrovich: only for such a row
            from greeter.letter_forms import salutation

            effect = f'the letter will say "{salutation(who, language or "ru")}"'
            if (language or "ru").replace("-", "_").split("_")[0] == "ru":
                effect += f' and its HTML version is headed "{decline(who, "dative", parts="full")}"'
        else:
            effect = (
                "the name will be declined as its words say"
                if neutral
                else f"the name will be declined as {gender.value}"
            )
        if neutral:
            effect = f"one of the two cells is wrong, so the letter takes no gender from the column: {effect}"
        message = (
            f"says {gender.value}, but the patronymic {patronymic!r} is {said.value}; {effect}; check the row"
        )
        problems.append(self._problem(line, "gender", message, "warning"))

    def _name(self, raw: str, locale: str | None = None) -> str:
        """A name cell with its spaces collapsed and its case made usual (cached: names repeat).

        Usual for a contact of ``locale``: an Azerbaijani's «QASIMOVA» is «Qasımova»
        (:func:`~greeter.name_case.normalise_case`), cached apart from other contacts'.

        Emoji and pictographs are left out («Анна 🌸» is «Анна»; «😀» no name),
        and the cell noted in :attr:`_pictured` for its rows' warnings: found
        here, once per distinct cell, a clean export pays nothing per row.
        """
        names = self._turkic_names if turkic_case(locale) else self._names
        name = names.get(raw)
        if name is None:
            text, removed = without_pictographs(raw)
            cased = normalise_case(" ".join(text.split()), locale)
            # Latin look-alikes in a Cyrillic word («Мiхайлавiч»): said on the row as the emoji are.
            notes = [
                pictograph_note(raw, cased, removed) if removed else "",
                lookalike_note(cased),
                mixed_scripts_note(cased),
            ]
            if any(notes):
                self._pictured[raw] = "; ".join(note for note in notes if note)
            name = remember(names, raw, cased)
        return name
