"""The gallery after a send: what the journal says became of each letter, and whose rows it lists.

A bounce (``failed``, a 550) read «пропуск: уже отправлено» and was counted under
«уже отправлено»; an occasion that rode in a letter read "already sent" once the
letter left, or "will go" once it had bounced. Real projects, a real SQLite journal
written through its own transitions (claim, then sent / failed / uncertain / retry, the
riding occasion skipped with :func:`~greeter.journal_transitions.merged_reason`),
then ``preview --format html`` in process; the HTML is parsed.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.gallery import write_gallery
from greeter.journal import open_journal
from greeter.journal_transitions import merged_reason
from greeter.runtime import load_inputs
from tests.conftest import HEADER, ROOT, MakeProject, contact_row
from tests.test_gallery import Node, cards, parse

NOW = datetime.fromisoformat("2026-12-30T12:00+03:00")
RETRY_AT = datetime.fromisoformat("2027-01-05T12:00+03:00")
BIRTHDAY = date(2026, 12, 27)

#: 7 and 8 are born on 2 January: the New Year greeting (29.12) rides in the birthday letter. 1–4: a
#: birthday on 27.12 whose letter the journal holds as failed, uncertain, retrying, being sent.
ROWS = [
    contact_row("7", "seven@example.com", birthday="02.01.1979", first="Анна", patronymic="Ильинична"),
    contact_row("8", "eight@example.com", birthday="02.01.1980", first="Олег", patronymic="Ильич"),
    contact_row("1", "one@example.com", birthday="27.12.1980"),
    contact_row("2", "two@example.com", birthday="27.12.1981", first="Пётр"),
    contact_row("3", "three@example.com", birthday="27.12.1982", first="Семён"),
    contact_row("4", "four@example.com", birthday="27.12.1983", first="Фёдор"),
]

#: Each contact's address, as its letters were journaled: a card shows the journal's address.
EMAILS = {row.split(";")[0]: row.split(";")[1] for row in ROWS}


def journal_of(config: Path) -> None:
    """7's letter (with New Year) left; 8's bounced; 1–4 failed, uncertain, retry, claimed."""
    journal = open_journal(str(config.parent / "data" / "journal.sqlite3"), now=NOW)
    try:

        def claim(cid: str, occasion: str, day: date, merged: tuple[str, ...] = ()) -> tuple[str, str, date]:
            key = (cid, occasion, day)
            journal.claim(
                key, email=EMAILS[cid], message_id=f"<{cid}{occasion}@x>", planned_at=NOW,
                merged=list(merged), now=NOW,
            )  # fmt: skip
            return key

        for cid, fate in (("7", "sent"), ("8", "failed")):
            letter = claim(cid, "birthday", date(2027, 1, 2), ("new_year",))
            journal.mark_skipped((cid, "new_year", date(2026, 12, 29)), merged_reason("birthday"), NOW)
            if fate == "sent":
                journal.mark_sent(letter, "250 2.0.0 ok", NOW)
            else:
                journal.mark_failed(letter, "550 5.1.1 no such user", NOW)
        journal.mark_failed(claim("1", "birthday", BIRTHDAY), "550 5.1.1 no such user", NOW)
        journal.mark_uncertain(claim("2", "birthday", BIRTHDAY), "connection lost after DATA", NOW)
        journal.mark_retry(claim("3", "birthday", BIRTHDAY), "451 4.3.0 try later", RETRY_AT, NOW)
        claim("4", "birthday", BIRTHDAY)  # a sender is handing it over right now
    finally:
        journal.close()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Node:
    tmp = tmp_path_factory.mktemp("journal")
    config = make_project_in(tmp)
    journal_of(config)
    out = tmp / "g"
    result = CliRunner().invoke(main, ["--config", str(config), "preview", "--from", "2026-12-25", "--days", "14",
                                       "--now", "2026-12-30T12:05+03:00", "--format", "html", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    return parse(out / "index.html")


def make_project_in(tmp: Path) -> Path:
    """What :func:`tests.conftest.make_project` builds (the example config), for a module's fixture."""
    shutil.copytree(ROOT / "templates", tmp / "templates")
    (tmp / "data").mkdir()
    (tmp / "data" / "contacts.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8-sig")
    shutil.copy(ROOT / "config.example.yaml", tmp / "greeter.yaml")
    return tmp / "greeter.yaml"


def card_of(index: Node, email: str, occasion: str) -> Node:
    (card,) = (
        c
        for c in cards(index).values()
        if email in c.all_text() and next(c.find(cls="occ")).all_text() == occasion
    )
    return card


def badge(card: Node) -> Node:
    return next(next(card.find("div", "status")).find(cls="badge"))


def test_a_bounce_is_not_delivered_not_already_sent(index: Node) -> None:
    card = card_of(index, "one@example.com", "День рождения")
    assert card.attrs["data-status"] == "failed" and "card-failed" in card.attrs["class"]
    pill = badge(card)
    assert (pill.all_text(), pill.attrs["class"]) == ("не доставлено: отказ сервера", "badge badge-failed")
    assert "journal_state: failed" in pill.attrs["title"]  # the machine words stay in the tooltip
    detail = next(card.find("p", "detail")).all_text()
    assert "не доставлено" in detail and "уже есть" not in detail
    assert "уже отправлено" not in card.all_text()


@pytest.mark.parametrize(
    ("email", "words", "style"),
    [
        ("two@example.com", "неизвестно, дошло ли", "badge-uncertain"),
        ("three@example.com", "повторная отправка", "badge-retry"),
        ("four@example.com", "отправляется", "badge-claimed"),
    ],
)
def test_a_letter_in_flight_says_so(index: Node, email: str, words: str, style: str) -> None:
    card = card_of(index, email, "День рождения")
    assert card.attrs["data-status"] == "pending"
    pill = badge(card)
    assert (pill.all_text(), pill.attrs["class"]) == (words, f"badge {style}")


def test_an_occasion_in_a_sent_letter_says_sent_in_that_letter(index: Node) -> None:
    rode = card_of(index, "seven@example.com", "Новый год")
    assert rode.attrs["data-status"] == "sent"
    pill = badge(rode)
    assert (pill.all_text(), pill.attrs["class"]) == (
        "отправлено в письме «День рождения»",
        "badge badge-sent",
    )
    detail = next(rode.find("p", "detail")).all_text()
    assert detail == "поздравление ушло в письме «День рождения», ср 30.12 12:00"
    assert next(rode.find(cls="when")).all_text() == "Ср 30.12 12:00"  # when the letter left
    letter = card_of(index, "seven@example.com", "День рождения")
    assert letter.attrs["data-status"] == "sent"
    assert [c.all_text() for c in letter.find(cls="chip")] == ["+ Новый год"]  # what the letter carried


def test_an_occasion_in_a_bounced_letter_says_not_delivered(index: Node) -> None:
    rode = card_of(index, "eight@example.com", "Новый год")
    assert rode.attrs["data-status"] == "failed"
    pill = badge(rode)
    assert (pill.all_text(), pill.attrs["class"]) == (
        "не доставлено (в письме «День рождения»)",
        "badge badge-failed",
    )
    assert "уйдёт" not in rode.all_text()  # it read «поздравление уйдёт в письмо …»
    assert card_of(index, "eight@example.com", "День рождения").attrs["data-status"] == "failed"


def test_the_summary_and_filters_count_them_under_their_own_headings(index: Node) -> None:
    stats = {s.attrs["data-count"]: s for s in index.find("div", "stat")}
    values = {k: int(next(v.find("span", "stat-value")).all_text()) for k, v in stats.items()}
    # 8's letter and what rode in it, 1's letter; 2–4 in flight; 7's letter and its New Year
    assert (values["failed"], values["pending"], values["sent"], values["merged"]) == (3, 3, 2, 0)
    assert "уже отправлено" not in stats["skip"].all_text()
    assert "отказ сервера 2" in stats["failed"].all_text()
    pending = stats["pending"].all_text()
    assert all(f"{w} 1" in pending for w in ("неизвестно, дошло ли", "повторная отправка", "отправляется"))
    assert "вошли в другие письма: 1" in stats["sent"].all_text()
    buttons = {b.attrs["data-filter"]: b.all_text() for b in index.find("button")}
    assert (buttons["failed"], buttons["pending"]) == ("Не доставлено 3", "Не подтверждено 3")
    (style,) = index.find("style")
    assert 'main[data-show="failed"] .card:not([data-status="failed"])' in style.all_text()


def test_no_journal_no_extra_filters(make_project: MakeProject, tmp_path: Path) -> None:
    """A plan before any send keeps its five filters: no buttons of «0» for bounces."""
    config = make_project(ROWS[:1])
    out = tmp_path / "g"
    result = CliRunner().invoke(main, ["--config", str(config), "preview", "--from", "2026-12-25", "--days", "14",
                                       "--now", "2026-12-25T09:00+03:00", "--format", "html", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    index = parse(out / "index.html")
    assert [b.attrs["data-filter"] for b in index.find("button")] == [
        "all",
        "send",
        "sent",
        "merged",
        "skip",
        "error",
    ]
    rode = card_of(index, "seven@example.com", "Новый год")
    assert (rode.attrs["data-status"], badge(rode).all_text()) == ("merged", "пропуск: объединено")


# ------------------------------------------------------------- one client's gallery: its rows only


def test_one_clients_gallery_lists_only_that_clients_rejected_rows(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``preview --contact 1 --format html`` listed every rejected row: other clients' ids and addresses."""
    other = contact_row("9", "bad nine@example.com", birthday="02.01.1970")
    config = make_project([ROWS[2], other])
    inputs = load_inputs(config, today=NOW.date())
    report = inputs.new_report()
    assert [c.id for c in inputs.contacts(report, "1")] == ["1"]
    assert [r.contact_id for r in report.rejections] == ["9"]  # the load read (and rejected) every row

    def gallery(out: Path, contact_id: str | None) -> str:
        start = date(2026, 12, 25)
        write_gallery(
            [], out, start=start, days=14, now=NOW, rejected=lambda: report.rejections, contact_id=contact_id
        )
        return (out / "index.html").read_text(encoding="utf-8")

    one = gallery(tmp_path / "one", "1")
    assert "nine@example.com" not in one and "rows-not-loaded" not in one
    assert "nine@example.com" in gallery(tmp_path / "all", None)  # a whole plan's gallery lists it


def test_preview_contact_html_lists_no_other_clients_rows(make_project: MakeProject, tmp_path: Path) -> None:
    """The command itself: ``preview --contact 1 --format html`` with another client's row rejected."""
    config = make_project([ROWS[2], contact_row("9", "bad nine@example.com", birthday="02.01.1970")])
    out = tmp_path / "g"
    result = CliRunner().invoke(main, ["--config", str(config), "preview", "--contact", "1", "--from", "2026-12-25",
                                       "--days", "14", "--now", "2026-12-25T09:00+03:00", "--format", "html",
                                       "--out", str(out)])  # fmt: skip
    assert result.exit_code == 1, result.output  # a row was rejected: said on stderr, as for every format
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "nine@example.com" not in text and "rows-not-loaded" not in text
