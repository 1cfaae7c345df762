"""``preview --out DIR`` replaces its own files there and nothing else (the outbox of sent mail, notes).

The reviewer pointed ``--format eml --out`` at ``data/outbox``: every ``.eml``
in it — the letters really sent — was deleted, and ``wrote 0 .eml file(s)``
did not say so. Real processes: ``send --once`` fills the outbox through the
``file`` transport, ``preview`` writes next to it.
"""

from __future__ import annotations

from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import NOW, greeter

#: Where preview lists the files it wrote (README: a rerun replaces or removes only those).
MANIFEST = ".greeter-preview.sha256"


def test_eml_preview_into_the_outbox_keeps_the_sent_letters_and_replaces_only_its_own(
    make_project: MakeProject,
) -> None:
    config = make_project(
        [
            contact_row("1", "sent@example.com", birthday="13.04.1980"),  # due at NOW: sent
            contact_row("2", "later@example.com", birthday="16.04.1980", first="Анна", patronymic="Ивановна"),
        ]
    )
    outbox = config.parent / "data" / "outbox"
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0 and "sent: 1" in sent.stdout, sent.stdout + sent.stderr
    (sent_letter,) = outbox.glob("*.eml")
    sent_bytes = sent_letter.read_bytes()
    (outbox / "notes.eml").write_text("a reviewer's own file")

    def preview(days: str) -> str:
        run = greeter(config, "preview", "--from", "2027-04-14", "--days", days, "--now", NOW,
                      "--format", "eml", "--out", str(outbox))  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        return run.stdout.strip()

    assert preview("5") == f"wrote 1 .eml file(s) to {outbox}"
    assert sent_letter.read_bytes() == sent_bytes and (outbox / "notes.eml").is_file()
    drafts = set(outbox.glob("*.eml")) - {sent_letter, outbox / "notes.eml"}
    (draft,) = drafts
    assert "2027-04-16_birthday_2_" in draft.name
    assert preview("5") == f"wrote 1 .eml file(s) to {outbox}; of the previous preview's files 1 replaced"
    # A range with no letter: the previous preview's file goes, nothing else does.
    assert preview("1") == (
        f"wrote 0 .eml file(s) to {outbox}; of the previous preview's files 1 removed (no longer planned)"
    )
    assert sorted(p.name for p in outbox.glob("*.eml")) == sorted([sent_letter.name, "notes.eml"])
    assert sent_letter.read_bytes() == sent_bytes
    assert (outbox / MANIFEST).read_text() == ""


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
        MANIFEST, "drafts/1.html", "gallery.css", "index.html",
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
    assert (out / "drafts" / "1.html").is_file()
