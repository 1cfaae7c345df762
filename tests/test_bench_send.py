"""bench/bench_send.py's daemon figure: one ``greeter run`` tick, timed by the daemon's own run line.

The benchmark itself wants a quiet machine and Postfix; this checks, against
the in-process SMTP sink, that the measurement does what it says: the daemon
started on the bench project sends every due letter in its first tick, the
figure comes from that tick's ``run`` log line, and the daemon is stopped.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from greeter.testing import SmtpSink

ROOT = Path(__file__).resolve().parent.parent


def _bench_send() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_send", ROOT / "bench" / "bench_send.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_send", module)
    spec.loader.exec_module(module)
    return module


def test_the_daemon_figure_is_its_first_tick_sending_every_due_letter() -> None:
    bench = _bench_send()
    with SmtpSink() as sink:
        rate = bench.run_daemon(6, sink.port, 2)
        assert len(sink.messages) == 6, "every due letter, each once"
    assert rate > 0
