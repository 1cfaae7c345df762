"""Georgian dates and ordinals in a letter: ``date("on_day")`` and ``ordinal``.

A Tbilisi office's birthday letter said «8 დეკემბერი» where a sentence says «8 დეკემბერს» (on
8 December: the month's dative), and ``ordinal`` refused Georgian outright.
"""

from __future__ import annotations

from datetime import date

import pytest

from greeter.config_loader import load_settings
from greeter.i18n import format_date, ordinal
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from greeter.sources import load_contacts
from tests.conftest import MakeProject, contact_row


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (date(2026, 12, 8), "8 დეკემბერს"),
        (date(2027, 1, 1), "1 იანვარს"),
        (date(2027, 3, 8), "8 მარტს"),
        (date(2027, 5, 9), "9 მაისს"),
        (date(2027, 8, 28), "28 აგვისტოს"),  # a month ending in a vowel keeps it
    ],
)
def test_on_day_is_the_months_dative(day: date, said: str) -> None:
    assert format_date(day, "ka", "on_day") == said
    assert format_date(day, "ka", "day_month") != said  # the heading's form is CLDR's nominative


@pytest.mark.parametrize(("n", "said"), [(1, "პირველი"), (2, "მე-2"), (25, "მე-25"), (101, "მე-101")])
def test_georgian_ordinals(n: int, said: str) -> None:
    assert ordinal(n, "ka") == said
    assert ordinal(n, "ka_GE") == said


def test_a_georgian_letter_says_them(make_project: MakeProject) -> None:
    """Through the template filters, in a Georgian letter rendered as send renders it."""
    row = contact_row("1", "nino@example.ge", first="ნინო", last="ბერიძე", patronymic="", tz="Asia/Tbilisi")
    config = make_project(
        [row.replace(";ru;", ";ka;")], defaults={"country": "GE", "timezone": "Asia/Tbilisi"}
    )
    (config.parent / "templates" / "first_deal.ka.j2").write_text(
        '{% extends "_layout.html.j2" %}\n'
        "{% block subject %}{{ years|ordinal }} წლისთავი{% endblock %}\n"
        '{% block message %}{{ occasion_date|date("on_day") }}{% endblock %}\n',
        encoding="utf-8",
    )
    settings = load_settings(config, today=date(2026, 12, 1))
    [contact], _ = load_contacts(settings.contacts, settings.defaults)
    occ = next(o for o in settings.occasions if o.template == "first_deal")
    hit = Hit(contact, occ.name, date(2026, 12, 8), 25, occ.priority, occ.template)
    letter = Renderer.of(settings).render(PlanItem(hit, "send"))
    assert letter.subject == "მე-25 წლისთავი"
    assert "8 დეკემბერს" in letter.text
