"""Holes a security review found, each closed: one test (or a few) per finding.

1. ``preview --out`` followed a symlinked ``drafts/`` (pages written, files the
   manifest listed deleted, outside the folder); a link at a temporary name or
   at the manifest was written through.
2. A DKIM key dkimpy cannot parse passed ``check`` and crashed ``send`` (exit 3).
3. Any unsubscribe secret was taken: ``q7`` was found offline from one link.
4. A link in ``templates_dir`` let a template include any readable file.
5. The preview manifest and the folders greeter makes followed the umask (0644/0755).
6. Direction overrides in names reached Subject and To: invisibly reordered.
"""

from __future__ import annotations

import hashlib
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from greeter.config import Defaults, DkimSettings
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import DIRECTION_CONTROLS
from greeter.dkim_sign import load_signer
from greeter.errors import ConfigError, OutputError, UnsafeHeaderError
from greeter.file_modes import make_group_folder
from greeter.message import validate_header_value
from greeter.preview_out import MANIFEST, OwnedFolder
from greeter.sources import load_contacts
from greeter.template_files import resolves_inside
from greeter.unsubscribe import MIN_SECRET_BYTES, make_token, signing_key
from tests.conftest import MakeProject, contact_row, umask
from tests.test_send_e2e import NOW, greeter_process

GARBAGE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nGARBAGE\n-----END RSA PRIVATE KEY-----\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual shell umask, under which a plain ``mkdir``/``open`` gives 0755/0644."""
    with umask(0o022):
        yield


# --------------------------------------------------------------------------- 1. preview --out and links


def test_a_linked_drafts_folder_is_refused_and_nothing_is_written_through_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``ln -s $PWD/target out/drafts``: the gallery wrote its letter pages into target/."""
    config = make_project([contact_row("1", "a@example.com", birthday="16.04.1980")])
    out, target = tmp_path / "review", tmp_path / "target"
    out.mkdir()
    target.mkdir()
    (out / "drafts").symlink_to(target)
    run = greeter_process(
        config,
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
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"{out / 'drafts'}: is a symbolic link" in run.stderr
    assert list(target.iterdir()) == []


def test_a_forged_manifest_deletes_nothing_through_a_linked_folder(tmp_path: Path) -> None:
    """A manifest line ``<sha256>  drafts/old.txt`` deleted target/old.txt through the link."""
    out, target = tmp_path / "out", tmp_path / "target"
    out.mkdir()
    target.mkdir()
    victim = target / "old.txt"
    victim.write_bytes(b"keep me")
    (out / "drafts").symlink_to(target)
    (out / MANIFEST).write_text(f"{sha256(b'keep me')}  drafts/old.txt\n", encoding="utf-8")
    folder = OwnedFolder.open(out)
    assert folder.write("index.html", [b"<p>hi</p>"])
    folder.finish()
    assert victim.read_bytes() == b"keep me"
    with pytest.raises(OutputError, match="is a symbolic link"):
        folder.write("drafts/1.html", [b"page"])
    assert [p.name for p in target.iterdir()] == ["old.txt"]


def test_links_at_the_temporary_name_and_at_the_manifest_are_not_written_through(tmp_path: Path) -> None:
    """``index.html.tmp`` and the manifest linked to files outside: both were appended or truncated."""
    out, target = tmp_path / "out", tmp_path / "target"
    out.mkdir()
    target.mkdir()
    (target / "victim").write_bytes(b"victim")
    (target / "notes").write_bytes(b"notes\n")
    (out / "index.html.tmp").symlink_to(target / "victim")
    (out / MANIFEST).symlink_to(target / "notes")
    folder = OwnedFolder.open(out)
    assert folder.write("index.html", [b"<p>hi</p>"])
    folder.finish()
    assert (target / "victim").read_bytes() == b"victim"
    assert (target / "notes").read_bytes() == b"notes\n"
    assert not (out / MANIFEST).is_symlink()
    assert (out / MANIFEST).read_text(encoding="utf-8") == f"{sha256(b'<p>hi</p>')}  index.html\n"


def test_a_link_where_a_page_goes_is_kept_and_its_target_untouched(tmp_path: Path) -> None:
    """A link is never a file greeter wrote: not written through, not removed, even if the manifest says so."""
    out, target = tmp_path / "out", tmp_path / "target"
    out.mkdir()
    target.mkdir()
    (target / "page.html").write_bytes(b"theirs")
    (out / "index.html").symlink_to(target / "page.html")
    (out / "old.html").symlink_to(target / "page.html")
    lines = f"{sha256(b'theirs')}  index.html\n{sha256(b'theirs')}  old.html\n"
    (out / MANIFEST).write_text(lines, encoding="utf-8")
    folder = OwnedFolder.open(out)
    assert not folder.may_write("index.html")
    assert not folder.write("index.html", [b"ours"])
    folder.finish()
    assert (target / "page.html").read_bytes() == b"theirs"
    assert (out / "index.html").is_symlink() and (out / "old.html").is_symlink()


# --------------------------------------------------------------------------- 2. DKIM key


def test_a_key_dkimpy_cannot_parse_is_the_configs_error(tmp_path: Path) -> None:
    """It passed as "PEM" (the words PRIVATE KEY were there) and crashed the first signature."""
    key = tmp_path / "dkim.pem"
    key.write_text(GARBAGE_KEY, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_signer(DkimSettings(domain="a.example", selector="s", key_file=key))
    (problem,) = caught.value.problems
    assert (problem.file, problem.field) == (str(key), "delivery.dkim.key_file")
    assert "not an RSA private key dkimpy can read" in problem.message and "GARBAGE" not in problem.message


def test_a_short_key_is_refused_and_a_key_saved_with_crlf_signs(tmp_path: Path) -> None:
    """Receivers ignore signatures of keys under 1024 bits (RFC 8301); CRLF line ends are only line ends."""
    short = tmp_path / "short.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(short), "768"], check=True, capture_output=True)
    with pytest.raises(ConfigError, match="the RSA key has 768 bits"):
        load_signer(DkimSettings(domain="a.example", selector="s", key_file=short))
    good = tmp_path / "good.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(good), "1024"], check=True, capture_output=True)
    good.write_bytes(good.read_bytes().replace(b"\n", b"\r\n"))
    signer = load_signer(DkimSettings(domain="a.example", selector="s", key_file=good))
    assert signer is not None
    assert signer(b"From: a@a.example\r\nTo: b@b.example\r\nSubject: x\r\n\r\nhi\r\n").startswith(
        b"DKIM-Signature:"
    )


def test_check_reports_an_unparsable_key_and_send_refuses_to_start(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``check`` said ``config OK``; ``send --dry-run`` said "internal error … a bug in greeter", exit 3."""
    key = tmp_path / "dkim.pem"
    key.write_text(GARBAGE_KEY, encoding="utf-8")
    key.chmod(0o600)
    dkim = {"domain": "example.com", "selector": "mail", "key_file": str(key)}
    config = make_project([contact_row("1", "a@example.com", birthday="14.04.1980")], delivery={"dkim": dkim})
    said = f"{key}: delivery.dkim.key_file: not an RSA private key dkimpy can read"
    checked = greeter_process(config, "check", "--now", NOW)
    assert checked.returncode != 0 and said in checked.stdout + checked.stderr, (
        checked.stdout + checked.stderr
    )
    for args in (("--dry-run",), ()):
        sent = greeter_process(config, "send", "--once", *args, "--now", NOW)
        assert sent.returncode == 2 and said in sent.stderr, sent.stderr
        assert "internal error" not in sent.stderr


# --------------------------------------------------------------------------- 3. unsubscribe secret


def test_a_short_unsubscribe_secret_is_refused_without_being_shown() -> None:
    """HMAC-SHA256 cut to 20 bytes with a 2-character key: brute-forced from one link."""
    for short in ("q7", "hunter2-hunter2", "x" * (MIN_SECRET_BYTES - 1), " " * 40 + "q7"):
        with pytest.raises(ConfigError) as caught:
            signing_key("GREETER_UNSUBSCRIBE_SECRET", short)
        (problem,) = caught.value.problems
        assert (problem.file, problem.field) == ("environment", "GREETER_UNSUBSCRIBE_SECRET")
        assert "openssl rand -base64 32" in problem.message and short.strip() not in problem.message
    with pytest.raises(ConfigError, match=r"remove it from unsubscribe\.previous_secret_env"):
        signing_key("OLD", "q7", "previous unsubscribe secret")


def test_a_long_secret_signs_as_it_always_did() -> None:
    """Links already sent keep working: the text's bytes are the key, not decoded, not stripped."""
    secret = "kT0Yx1m1Qm3J6pQv2d2m8nY3s9bYwzZl5c8g3aVhQ2E=\n"  # what `openssl rand -base64 32` prints
    key = signing_key("GREETER_UNSUBSCRIBE_SECRET", secret)
    assert key == secret.encode()
    assert make_token(key, "a@example.com") == make_token(secret.encode(), "a@example.com")


# --------------------------------------------------------------------------- 4. template files


def test_a_template_that_leads_out_of_templates_dir_is_not_inside(tmp_path: Path) -> None:
    """``ln -s /etc/passwd templates/lnk.j2`` put /etc/passwd into a subject via ``{% include %}``."""
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    real = tmp_path / "real-templates"
    (real / "sub").mkdir(parents=True)
    (real / "birthday.ru.j2").write_text("x", encoding="utf-8")
    (real / "sub" / "_part.j2").write_text("y", encoding="utf-8")
    (real / "same.en.j2").symlink_to(real / "birthday.ru.j2")  # one locale's file standing for another
    (real / "lnk.j2").symlink_to(outside)
    (real / "broken.j2").symlink_to(tmp_path / "missing")
    (real / "out").symlink_to(tmp_path)  # a folder leading out
    folder = tmp_path / "templates"
    folder.symlink_to(real)  # the configured folder may itself be a link
    assert resolves_inside(folder, folder / "birthday.ru.j2")
    assert resolves_inside(folder, folder / "sub" / "_part.j2")
    assert resolves_inside(folder, folder / "same.en.j2")
    assert not resolves_inside(folder, folder / "lnk.j2")
    assert not resolves_inside(folder, folder / "broken.j2")
    assert not resolves_inside(folder, folder / "out" / "secret.txt")
    assert not resolves_inside(folder, folder / "sub")  # a folder is no template file


# --------------------------------------------------------------------------- 5. modes


@pytest.mark.usefixtures("umask_022")
def test_preview_folders_are_0750_and_its_manifest_0640_whatever_the_umask(tmp_path: Path) -> None:
    """File names say a client's id and birthday; the manifest lists them: not for every local user."""
    out = tmp_path / "new" / "review"
    folder = OwnedFolder.open(out)
    folder.write("drafts/1.html", [b"page"])
    folder.write("index.html", [b"index"])
    folder.finish()
    modes = {
        p: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new", out, out / "drafts", out / MANIFEST)
    }
    assert modes == {tmp_path / "new": 0o750, out: 0o750, out / "drafts": 0o750, out / MANIFEST: 0o640}
    assert stat.S_IMODE((out / "drafts" / "1.html").stat().st_mode) == 0o640


@pytest.mark.usefixtures("umask_022")
def test_make_group_folder_sets_0750_on_what_it_creates_only(tmp_path: Path) -> None:
    """An outbox made by greeter is 0750; a folder that was there keeps its owner's mode."""
    there = tmp_path / "data"
    there.mkdir(mode=0o755)
    make_group_folder(there / "outbox" / "2026")
    assert stat.S_IMODE(there.stat().st_mode) == 0o755
    assert stat.S_IMODE((there / "outbox").stat().st_mode) == 0o750
    assert stat.S_IMODE((there / "outbox" / "2026").stat().st_mode) == 0o750
    make_group_folder(there / "outbox")  # there already: nothing to do
    (there / "file").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        make_group_folder(there / "file")


# --------------------------------------------------------------------------- 6. direction overrides

HEADER = "id;email;last;first;company"
COLUMNS = Columns(
    id="id", email="email", last_name="last", first_name="first", patronymic=None, company="company"
)


def load_rows(tmp_path: Path, rows: list[str]) -> dict[int, str]:
    path = tmp_path / "c.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    contacts, report = load_contacts(ContactsSource(path=path, columns=COLUMNS), Defaults())
    loaded = {c.id for c in contacts}
    return {p.line: p.message for p in report.problems if p.severity == "error"} | {
        -1: ",".join(sorted(loaded))
    }


@pytest.mark.parametrize("char", sorted(DIRECTION_CONTROLS))
def test_a_direction_override_in_a_name_rejects_the_row_naming_it(tmp_path: Path, char: str) -> None:
    """``Happy birthday, \\u202eevil\\u202c!``: shown reversed in Subject and To, the bytes saying otherwise."""
    rows = [
        f"1;a@example.com;Smith;{char}evil;",
        f"2;b@example.com;Jones;Ann;ACME{char} Ltd",
        "3;c@example.com;Lee;Bo;",
    ]
    problems = load_rows(tmp_path, rows)
    code = f"U+{ord(char):04X}"
    assert problems[2].startswith(f"contains a text-direction control {code} (")
    assert "disguises the text after it" in problems[2] and problems[2].isprintable()
    assert problems[3].startswith(f"contains a text-direction control {code} (")
    assert problems[-1] == "3"
    with pytest.raises(UnsafeHeaderError):
        validate_header_value("Subject", f"Happy birthday, {char}evil!")
