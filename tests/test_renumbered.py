"""A client the CRM renumbered: the journal's greeting to their address under another contact id.

Pure: the planner's rule (which of the old id's rows keep the greeting from being sent again),
its words, and the one warning line a run says for all such greetings.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from greeter.config import Settings
from greeter.plan_types import PastGreeting, PlanItem
from greeter.planner import plan, plan_window
from greeter.renumbered import RenumberedTally, noting_renumbered, other_id_row
from greeter.sources import LoadReport
from tests.test_planner import MSK, contact
from tests.test_planner import settings as settings

NOW = datetime(2027, 3, 17, 16, 40, tzinfo=MSK)
DAY = date(2027, 3, 17)
LEFT = datetime(2027, 3, 17, 9, 12, tzinfo=UTC)


def row(state: str, *, cid: str = "1005", occasion: str = "birthday", **kw: object) -> PastGreeting:
    sent_at = LEFT if state == "sent" else None
    return PastGreeting(cid, occasion, DAY, DAY, state, "Ivan@X.ru", sent_at, **kw)  # type: ignore[arg-type]


def birthday_of(settings: Settings, past: list[PastGreeting], *, own: list[PastGreeting] = ()) -> PlanItem:  # type: ignore[assignment]
    """Contact 77 (ivan@x.ru, born 17 March) planned today, the journal holding ``past`` by address."""
    renumbered = contact("77", email="ivan@x.ru", birthday=date(1980, 3, 17))
    pw = plan_window(settings, now=NOW, start=DAY, days=1)
    history = {"77": list(own)} if own else {}
    items = plan([renumbered], pw, history, by_email={"ivan@x.ru": past})
    [item] = [i for i in items if i.hit.occasion == "birthday"]
    return item


@pytest.mark.parametrize(
    ("state", "status", "reason", "detail"),
    [
        # reached the mailbox, or may still: not sent again, the old id named
        ("sent", "sent", None,
         "sent to Ivan@X.ru under contact id 1005: was the CRM renumbered?"),
        ("claimed", "skip", "already_sent",
         "the journal already has this greeting (claimed) to Ivan@X.ru under contact id 1005 "
         "(was the CRM renumbered?): a sender is handing it over now"),
        ("retry", "skip", "already_sent",
         "the journal already has this greeting (retry) to Ivan@X.ru under contact id 1005 "
         "(was the CRM renumbered?): greeter send sends it again when its retry is due"),
        ("uncertain", "skip", "already_sent",
         "the journal already has this greeting (uncertain) to Ivan@X.ru under contact id 1005 "
         "(was the CRM renumbered?): it may have arrived; an operator decides (greeter uncertain resend|dismiss)"),
        # never reached it under the old id: the person is greeted under the id they have now
        ("failed", "send", None, ""),
        ("expired", "send", None, ""),
        ("skipped", "send", None, ""),
    ],
)  # fmt: skip
def test_the_old_ids_row_keeps_the_greeting_only_if_it_reached_the_mailbox_or_may_still(
    settings: Settings, state: str, status: str, reason: str | None, detail: str
) -> None:
    """Base: any row under the old id refused the greeting, a failed or skipped one too (the
    person was never greeted), and the words said "as contact 1005" with no hint of why."""
    item = birthday_of(settings, [row(state)])
    assert (item.status, item.reason, item.detail) == (status, reason, detail)
    if status == "skip":
        assert item.journal_state == state


def test_a_greeting_that_rode_in_the_old_ids_letter_counts_as_that_letter_does(settings: Settings) -> None:
    carried = row("skipped", occasion="birthday", merged_into="first_deal")
    for letter, status in (("sent", "skip"), ("failed", "send")):
        carrier = PastGreeting("1005", "first_deal", DAY, DAY, letter, "ivan@x.ru", merged=("birthday",))
        item = birthday_of(settings, [carried, carrier])
        assert item.status == status, letter
        if status == "skip":
            assert (item.reason, item.merged_into, item.journal_state) == ("merged", "first_deal", "sent")


def test_the_contacts_own_row_is_no_renumbering(settings: Settings) -> None:
    """The same greeting under the contact's own id and under another: the id decides, as ever,
    and the run's warning does not count it (nothing was renumbered for it)."""
    own = PastGreeting("77", "birthday", DAY, DAY, "sent", "ivan@x.ru", LEFT)
    item = birthday_of(settings, [row("sent")], own=[own])
    assert (item.status, item.detail) == ("sent", "")
    assert other_id_row(item, {"77": [own]}, {"ivan@x.ru": [row("sent"), own]}) is None


def test_one_warning_line_counts_every_renumbered_greeting(settings: Settings) -> None:
    """A renumbering moves every row at once: one line for the run, not one per contact."""
    pw = plan_window(settings, now=NOW, start=DAY, days=1)
    people = [contact(str(i), email=f"c{i}@x.ru", birthday=date(1980, 3, 17)) for i in range(70, 75)]
    old = {f"c{i}@x.ru": [PastGreeting(str(i + 1000), "birthday", DAY, DAY, "sent", f"c{i}@x.ru", LEFT)]
           for i in range(70, 74)}  # fmt: skip
    old["c74@x.ru"] = [PastGreeting("1074", "birthday", DAY, DAY, "failed", "c74@x.ru")]  # greeted now
    report = LoadReport(source="data/contacts.csv")
    items = list(noting_renumbered(plan(people, pw, {}, by_email=old), {}, old, report))
    assert [i.status for i in items if i.hit.occasion == "birthday"] == ["sent"] * 4 + ["send"]
    [line] = [str(p) for p in report.problems]
    assert line == (
        "data/contacts.csv: warning: 4 greetings of 4 contacts the journal already has to the same "
        "address under another contact id (e.g. contact 70: birthday of 17.03.2027, sent to c70@x.ru "
        "under contact id 1070): was the CRM renumbered? They are not sent again (already_sent); "
        "greeter history --email ADDRESS lists each one's letters"
    )
    quiet = LoadReport(source="data/contacts.csv")
    list(noting_renumbered(plan(people, pw, {}, by_email={}), {}, {}, quiet))
    assert quiet.problems == []


def test_a_tally_of_one() -> None:
    tally = RenumberedTally()
    tally.add("77", row("uncertain"))
    problem = tally.warning("c.csv")
    assert problem is not None and problem.severity == "warning"
    assert str(problem).startswith("c.csv: warning: 1 greeting of 1 contact the journal already has")
    assert "uncertain to Ivan@X.ru under contact id 1005" in str(problem)


def test_the_gallery_still_reads_the_words_with_the_old_id() -> None:
    """The gallery's Russian of ``already_sent`` matched "(state)" followed by ":" or nothing;
    the old id after the state left the English sentence untranslated."""
    from greeter.gallery_words import russian_detail

    words = "the journal already has this greeting (uncertain) to a@x.ru under contact id 1005 (was the CRM renumbered?)"
    assert russian_detail(words) == "в журнале уже есть это поздравление (не подтверждено)"
