"""A gender column that contradicts the first name: «Happy New Year, Mr Miller!» to Anna Miller.

The gender column wins over what a first name says (:func:`~greeter.names.gender_of`:
it corrects a guess), so a wrong «m» in the CRM goes out as «Mr» without a word.
The row's own warning covers a column against a patronymic
(:meth:`~greeter.sources.row_names.RowNames._check_gender`); this is the same warning
for a row without one, whose first name greeter's lists (the ones letters are worded by)
give the other gender. It quotes the salutation the letter will open with, in the
letter's language and register (``sender.by_locale``'s ``addressing``), made by the
function letters are made with. Pure: one contact and the settings in, a problem out.
"""

from __future__ import annotations

from greeter.config import Settings
from greeter.contacts import Contact, Gender
from greeter.errors import Problem
from greeter.letter_forms import Person, addressed
from greeter.names import first_name_says
from greeter.sources import placed_at_contact


def first_name_contradiction(contact: Contact, settings: Settings) -> Problem | None:
    """A warning at ``contact``'s row when its gender column and its first name say opposite genders."""
    column = contact.gender
    if column is None or column is Gender.UNKNOWN or contact.patronymic.strip():
        return None  # no column, or a patronymic: the row's own warning speaks of that
    said = first_name_says(contact)
    if said is Gender.UNKNOWN or said is column:
        return None
    locale = contact.locale or settings.defaults.locale
    formal = settings.sender.addressing_in(locale) == "formal"
    opening, _ = addressed(Person.of(contact), locale, formal=formal)
    message = (
        f"says {column.value}, but the first name {contact.first_name!r} is {said.value} by greeter's name"
        f' lists; the letter follows the column: "{opening}"; check the row'
    )
    header = settings.contacts.columns.gender or "gender"
    problem = Problem(contact.source, header, message, contact.row or None, kind="row", severity="warning")
    return placed_at_contact(problem, contact.id, settings.contacts.source)
