"""``preview --out DIR`` replaces its own files there and nothing else (sent mail kept there, notes).

The reviewer pointed ``--format eml --out`` at ``data/outbox``: every ``.eml``
in it — the letters really sent — was deleted, and ``wrote 0 .eml file(s)``
did not say so. Then the drafts sat among the delivered letters, named as they
are: the outbox is now refused. Real processes: ``send --once`` fills the
outbox through the ``file`` transport, ``preview`` writes elsewhere.
"""

from __future__ import annotations

from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import NOW, greeter

#: Where preview lists the files it wrote (README: a rerun replaces or removes only those).
MANIFEST = ".greeter-preview.sha256"


def test_eml_preview_into_the_outbox_is_refused_and_leaves_it_as_it_was(make_project: MakeProject) -> None:
    """Drafts named like delivered letters sat among them: whoever reads the outbox took them for sent.

    The outbox itself, the same folder by another spelling, and a folder
    inside it are refused (exit 2, one line) before anything is planned or
    written, for ``eml`` and ``html`` alike.
    """
    config = make_project([contact_row("1", "sent@example.com", birthday="13.04.1980")])  # due at NOW
    outbox = config.parent / "data" / "outbox"
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0 and "sent: 1" in sent.stdout, sent.stdout + sent.stderr
    before = {p.name: p.read_bytes() for p in outbox.iterdir()}
    assert len(before) == 1
    window = ("--from", "2027-04-14", "--days", "5", "--now", NOW)
    spelled = config.parent / "data" / ".." / "data" / "outbox"
    tail = "choose another folder (nothing written)"
    for fmt, out, said in (
        ("eml", outbox, f"--out {outbox} is the outbox letters are delivered to: {tail}"),
        ("html", outbox, f"--out {outbox} is the outbox letters are delivered to: {tail}"),
        ("eml", spelled, f"--out {spelled} is the outbox letters are delivered to: {tail}"),
        (
            "html",
            outbox / "review",
            f"--out {outbox / 'review'} is inside the outbox letters are delivered to ({outbox}): {tail}",
        ),
    ):
        run = greeter(config, "preview", *window, "--format", fmt, "--out", str(out))
        assert (run.returncode, run.stdout, run.stderr) == (2, "", said + "\n"), (fmt, out)
    assert {p.name: p.read_bytes() for p in outbox.iterdir()} == before

    # Only where letters are delivered: a parent of the outbox is fine (one that holds none of
    # greeter's inputs: data/ holds the journal and the contacts, refused in test_own_files), and
    # with ``transport: smtp`` nothing is delivered to ``delivery.outbox``.
    later = [contact_row("2", "later@example.com", birthday="16.04.1980")]
    config = make_project(later, delivery={"outbox": "spool/outbox"})
    spool = config.parent / "spool"
    run = greeter(config, "preview", *window, "--format", "eml", "--out", str(spool))
    assert (run.returncode, run.stdout.strip()) == (0, f"wrote 1 .eml file(s) to {spool}"), run.stderr
    smtp = make_project(later, delivery={"transport": "smtp"})
    run = greeter(smtp, "preview", *window, "--format", "eml", "--out", str(outbox))
    assert (run.returncode, run.stdout.strip()) == (0, f"wrote 1 .eml file(s) to {outbox}"), run.stderr


def test_eml_preview_next_to_other_mail_keeps_it_and_replaces_only_its_own(make_project: MakeProject) -> None:
    config = make_project(
        [
            contact_row("1", "sent@example.com", birthday="13.04.1980"),  # due at NOW: sent
            contact_row("2", "later@example.com", birthday="16.04.1980", first="Анна", patronymic="Ивановна"),
        ]
    )
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0 and "sent: 1" in sent.stdout, sent.stdout + sent.stderr
    (delivered,) = (config.parent / "data" / "outbox").glob("*.eml")
    review = config.parent / "review"  # another folder of mail: a sent letter kept there, a note
    review.mkdir()
    sent_letter = review / delivered.name
    sent_bytes = delivered.read_bytes()
    sent_letter.write_bytes(sent_bytes)
    (review / "notes.eml").write_text("a reviewer's own file")

    def preview(days: str) -> str:
        run = greeter(config, "preview", "--from", "2027-04-14", "--days", days, "--now", NOW,
                      "--format", "eml", "--out", str(review))  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        return run.stdout.strip()

    # Contact 1's letter left at NOW, in every range here: not a draft, and said so.
    left = "; not written: 1 letter the journal says already left (greeter history shows it)"
    assert preview("5") == f"wrote 1 .eml file(s) to {review}{left}"
    assert sent_letter.read_bytes() == sent_bytes and (review / "notes.eml").is_file()
    drafts = set(review.glob("*.eml")) - {sent_letter, review / "notes.eml"}
    (draft,) = drafts
    assert "2027-04-16_birthday_2_" in draft.name
    assert (
        preview("5") == f"wrote 1 .eml file(s) to {review}{left}; of the previous preview's files 1 replaced"
    )
    # A range with no letter to send: the previous preview's file goes, nothing else does.
    assert preview("1") == (
        f"wrote 0 .eml file(s) to {review}{left}; of the previous preview's files 1 removed (no longer planned)"
    )
    assert sorted(p.name for p in review.glob("*.eml")) == sorted([sent_letter.name, "notes.eml"])
    assert sent_letter.read_bytes() == sent_bytes
    assert (review / MANIFEST).read_text() == ""


def test_a_file_greeter_did_not_write_is_never_overwritten_nor_removed(make_project: MakeProject) -> None:
    config = make_project([contact_row("2", "later@example.com", birthday="16.04.1980")])
    out = config.parent / "review"
    args = (
        "preview",
        "--from",
        "2027-04-14",
        "--days",
        "5",
        "--now",
        NOW,
        "--format",
        "eml",
        "--out",
        str(out),
    )
    assert greeter(config, *args).returncode == 0
    (draft,) = out.glob("*.eml")
    draft.write_text("edited by hand")  # no longer what greeter wrote: not greeter's to replace
    again = greeter(config, *args)
    assert again.returncode == 1
    assert f"{draft}: not written: a file of that name is there that no earlier preview wrote" in again.stderr
    assert draft.read_text() == "edited by hand"
    assert again.stdout.strip() == (
        f"wrote 0 .eml file(s) to {out}; 1 file(s) of the previous preview kept: changed since it wrote them"
    )


def test_the_gallery_refuses_a_folder_holding_pages_it_did_not_write(make_project: MakeProject) -> None:
    config = make_project([contact_row("2", "later@example.com", birthday="16.04.1980")])
    out = config.parent / "gallery"
    args = (
        "preview",
        "--from",
        "2027-04-14",
        "--days",
        "5",
        "--now",
        NOW,
        "--format",
        "html",
        "--out",
        str(out),
    )
    first = greeter(config, *args)
    assert first.returncode == 0, first.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        MANIFEST, "drafts/2027-04-16/1.html", "gallery.css", "index.html",
    ]  # fmt: skip
    again = greeter(config, *args)
    assert again.returncode == 0 and again.stdout.rstrip().endswith(
        "; of the previous preview's files 3 replaced"
    ), again.stdout
    (out / "drafts" / "mine.html").write_text("a reviewer's page")
    refused = greeter(config, *args)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip() == (
        f"{out}: 1 file(s) there that no earlier preview wrote (drafts/mine.html; see {MANIFEST}): "
        "greeter replaces only its own files; choose another --out, or move them away"
    )
    assert (out / "drafts" / "mine.html").read_text() == "a reviewer's page"
    assert (out / "drafts" / "2027-04-16" / "1.html").is_file()
