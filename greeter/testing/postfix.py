"""Postfix's ``smtp-sink`` as a subprocess, and its dump files read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from email import errors as email_errors
from pathlib import Path

from greeter.testing._base import Served, _accepts, free_port, parse

#: Where Debian's ``postfix`` package installs Postfix's test SMTP server.
SMTP_SINK = Path("/usr/sbin/smtp-sink")

_MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)
_BROKEN_MIME = (email_errors.StartBoundaryNotFoundDefect, email_errors.CloseBoundaryNotFoundDefect)


@dataclass(frozen=True, slots=True)
class DumpedMessage:
    """One mail transaction ``smtp-sink -d`` wrote to its dump directory."""

    path: Path
    message_id: str | None
    rcpt: tuple[str, ...]
    #: The whole message arrived; False when the connection broke mid-DATA (empty or truncated dump).
    complete: bool
    #: The sink answered the final dot with an error (smtp-sink dumps the message anyway).
    refused: bool

    @property
    def received(self) -> bool:
        """The server has the message: it said 250, or went silent after the final dot."""
        return self.complete and not self.refused


class PostfixSink(Served):
    """Postfix's ``smtp-sink`` on a loopback port, with its own fault options; a context manager.

    The options are smtp-sink's (``man smtp-sink``), for every session alike:
    ``soft_reject`` (``-r``, 4xx), ``hard_reject`` (``-f``, 5xx; the reply text
    from ``hard_reply``, ``-B``), ``reply_421`` (``-Q``: 421 and disconnect),
    ``disconnect`` (``-q``: hang up without a reply), ``abort_after_data``
    (``-A``: 550 right after the 354, then stop reading) and ``max_messages``
    (``-M``: exit after that many messages). Commands are ``MAIL``, ``RCPT``,
    ``DATA``, ``.`` (the final dot) and so on. Every transaction is dumped
    (``-d``) to a private directory; :meth:`messages` reads the dumps back.
    Run as root, smtp-sink needs ``-u``: it then drops to ``user``.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        soft_reject: Iterable[str] = (),
        hard_reject: Iterable[str] = (),
        reply_421: Iterable[str] = (),
        disconnect: Iterable[str] = (),
        abort_after_data: int | None = None,
        hard_reply: str | None = None,
        soft_reply: str | None = None,
        max_messages: int | None = None,
        binary: Path = SMTP_SINK,
        user: str = "nobody",
    ) -> None:
        self.host = host
        self.port = port  # 0: a free port, chosen in start()
        self.options: list[str] = []
        #: The sink answers the final dot with an error: its dumps are not "received".
        self.refuses_dot = False
        commands = {"-r": soft_reject, "-f": hard_reject, "-Q": reply_421, "-q": disconnect}
        for flag, names in commands.items():
            listed = [c.upper() for c in names]
            if listed:
                self.options += [flag, ",".join(listed)]
                self.refuses_dot |= flag != "-q" and "." in listed
        values = {"-A": abort_after_data, "-B": hard_reply, "-b": soft_reply, "-M": max_messages}
        self.options += [part for flag, v in values.items() if v is not None for part in (flag, str(v))]
        self.binary = binary
        self.user = user
        self.dump_dir: Path | None = None
        self._base: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        assert self.dump_dir is not None
        cmd = [str(self.binary)]
        if os.geteuid() == 0:
            cmd += ["-u", self.user]
        return [*cmd, "-d", f"{self.dump_dir}/%H%M%S.", *self.options, f"{self.host}:{self.port}", "64"]

    def start(self, timeout: float = 10.0) -> None:
        if not self.binary.exists():
            raise FileNotFoundError(f"{self.binary} is not installed (Debian package postfix)")
        if self._base is None:
            self._base = Path(tempfile.mkdtemp(prefix="smtp-sink-"))
            self.dump_dir = self._base / "dump"
            self.dump_dir.mkdir()
            if os.geteuid() == 0:  # the dumps are written after smtp-sink dropped to `user`
                import pwd

                entry = pwd.getpwnam(self.user)
                self._base.chmod(0o711)
                os.chown(self.dump_dir, entry.pw_uid, entry.pw_gid)
        chosen = self.port == 0
        for _attempt in range(3 if chosen else 1):  # a free port can be taken before smtp-sink binds it
            if chosen:
                self.port = free_port(self.host)
            if self._launch(timeout):
                return
        log = (self._base / "smtp-sink.log").read_text(errors="replace").strip()
        raise RuntimeError(f"smtp-sink did not start on {self.host}:{self.port}: {log}")

    def _launch(self, timeout: float) -> bool:
        assert self._base is not None
        with open(self._base / "smtp-sink.log", "ab") as out:
            proc = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        self._proc = proc
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            if _accepts(self.host, self.port):
                time.sleep(0.01)
                if proc.poll() is None:  # listening, and it is ours
                    return True
            time.sleep(0.02)
        self.stop()
        return False

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        """Stop the process; the dumps stay readable until :meth:`close`."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)

    def close(self) -> None:
        self.stop()
        if self._base is not None:
            shutil.rmtree(self._base, ignore_errors=True)
            self._base = self.dump_dir = None

    def dumps(self) -> list[Path]:
        """The dump files so far (one per transaction that reached DATA), oldest name first."""
        if self.dump_dir is None:
            return []
        return sorted(path for path in self.dump_dir.iterdir() if path.is_file())

    def messages(self) -> list[DumpedMessage]:
        """Every dumped transaction so far, read back (best after :meth:`stop`: all files closed)."""
        return [self.read(path) for path in self.dumps()]

    def read(self, path: Path) -> DumpedMessage:
        """One dump file: its Message-ID and recipients, and whether the message is whole."""
        data = path.read_bytes()
        if not data.strip():
            return DumpedMessage(path, None, (), complete=False, refused=self.refuses_dot)
        msg = parse(data)
        mid = msg["Message-ID"]
        rcpt = tuple(str(v).split()[0].strip("<>") for v in msg.get_all("X-Rcpt-Args", []) if str(v).strip())
        # smtp-sink ends a finished transaction with an empty line; a cut one just stops.
        broken = any(isinstance(d, _BROKEN_MIME) for part in msg.walk() for d in part.defects)
        complete = data.endswith(b"\n\n") and not broken
        return DumpedMessage(path, str(mid).strip() if mid else None, rcpt, complete, self.refuses_dot)
