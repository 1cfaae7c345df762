"""The gallery shows the review gate (``review: required``) as the table and JSON do.

Real processes and a real journal: ``approve`` records approvals, a CRM edit
withdraws one, ``preview`` shows each draft's state in every format.
"""

from __future__ import annotations

import json

from tests.conftest import MakeProject, contact_row
from tests.test_gallery import cards, parse
from tests.test_send_e2e import NOW, greeter_process


def test_the_gallery_shows_the_review_gate_as_the_json_does(make_project: MakeProject) -> None:
    """Under ``review: required`` the gallery showed a plain «отправка» for every draft, one the
    gate would hold included: no badge, filter or count said what waited or what an edit withdrew."""
    config = make_project(
        [contact_row(str(i), f"client{i}@example.com", birthday="15.04.1980") for i in (1, 2, 3)],
        review="required",
    )
    window = ("--from", "2027-04-14", "--days", "3", "--now", NOW)
    for cid in ("1", "2"):
        assert greeter_process(config, "approve", "--contact", cid, *window).returncode == 0
    contacts = config.parent / "data" / "contacts.csv"
    rows = contacts.read_text(encoding="utf-8-sig").splitlines()
    rows[2] = rows[2].replace("Петрович", "Павлович")  # contact 2 changes after approval
    contacts.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    states = {
        i["contact_id"]: i["approval"]
        for i in json.loads(greeter_process(config, "preview", *window, "--format", "json").stdout)
    }
    assert states == {"1": "approved", "2": "changed_since_approval", "3": "awaiting_approval"}

    out = config.parent / "gallery"
    assert greeter_process(config, "preview", *window, "--format", "html", "--out", str(out)).returncode == 0
    index = parse(out / "index.html")
    by_contact = {c.attrs["data-search"].split()[4]: c for c in cards(index).values()}
    assert {cid: c.attrs.get("data-approval") for cid, c in by_contact.items()} == states
    badges = {cid: [b.all_text() for b in c.find(cls="badge")] for cid, c in by_contact.items()}
    assert badges == {
        "1": ["отправка", "одобрено"],
        "2": ["отправка", "изменено после одобрения"],
        "3": ["отправка", "ждёт одобрения"],
    }
    buttons = {b.attrs["data-filter"]: b.all_text() for b in index.find("button")}
    assert (buttons["awaiting_approval"], buttons["changed_since_approval"], buttons["approved"]) == (
        "Ждёт одобрения 1", "Изменено после одобрения 1", "Одобрено 1",
    )  # fmt: skip
    note = next(s for s in index.find("div", "stat") if s.attrs["data-count"] == "send").all_text()
    assert "1 ждёт одобрения, 1 изменено после одобрения, 1 одобрено" in note
    page = parse(out / next(by_contact["2"].find("a")).attrs["href"])
    assert "Одобрение" in next(page.find("dl")).all_text()
    assert "изменено после одобрения — текст изменился после одобрения" in next(page.find("dl")).all_text()


def test_every_review_state_has_a_label_in_the_gallery() -> None:
    """``approval_outdated`` arrived with the recipient-covering fingerprint (another branch than the
    gallery's badges): a state without a label would show as a plain «отправка»."""
    from typing import get_args

    from greeter.gallery_card_html import APPROVAL_LABELS
    from greeter.review import Approval

    assert set(APPROVAL_LABELS) == set(get_args(Approval))
