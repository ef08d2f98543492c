"""`watch` during a session: every warning `sync` gives, once per change; withdrawals counted;
typed round events; a stalled round on conference Wi-Fi shown within seconds and ridden out."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_standalone_clients import _env, serve

from gdoc_sync.core.template import load_template
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator_host
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import SyncOptions
from gdoc_sync.workflows.watch import Round, watch_session

UNASSIGNED = "Note: investors should publish their HRDD policies"
LATER_UNASSIGNED = "Remember: regulators and the UN should align guidance"
TWICE = "Investors: Publish voting records on HRDD resolutions (Ana Silva, civil society)"
WITHDRAWN = "Governments: Regulate investor HRDD (Zoë Ångström, civil society)"


@pytest.fixture
def session(backend):
    return create_session(
        backend.api(), load_template("igf2025-ws354"), CreateOptions(notify=False)
    )


def strike(api: GoogleApi, document_id: str, starts: str) -> None:
    """Select the paragraph starting `starts` and press Strikethrough."""
    for el in api.get_document(document_id)["body"]["content"]:
        text = "".join(
            r.get("textRun", {}).get("content", "")
            for r in el.get("paragraph", {}).get("elements", [])
        )
        if text.startswith(starts):
            span = {"startIndex": el["startIndex"], "endIndex": el["endIndex"] - 1}
            api.update_document(
                document_id,
                [
                    {
                        "updateTextStyle": {
                            "range": span,
                            "textStyle": {"strikethrough": True},
                            "fields": "strikethrough",
                        }
                    }
                ],
            )
            return
    raise AssertionError(f"no paragraph starts with {starts!r}")


def test_watch_shows_every_warning_once_per_change_and_counts_withdrawals(
    backend, session, cli
) -> None:
    api = backend.api()
    doc = session.document_id
    add_note(api, doc, "Q1", UNASSIGNED)
    add_note(api, doc, "Q3", TWICE)
    add_note(api, doc, "Q3", TWICE)
    add_note(api, doc, "Q4", WITHDRAWN)
    base = backend.data_dir / "m1"
    events: list[Round] = []
    between = iter(
        [
            lambda: None,  # nothing typed: the next round has no change and says nothing more
            lambda: strike(api, doc, WITHDRAWN),
            lambda: add_note(api, doc, "Q2", LATER_UNASSIGNED),
        ]
    )
    watch_session(
        api,
        doc,
        state=LocalState(base / "state"),
        journal=Journal(base / "journal"),
        options=SyncOptions(),
        interval=0,
        rounds=4,
        on_round=events.append,
        sleep=lambda _: next(between)(),
        clock=lambda: "t",
    )
    assert [e.state for e in events] == ["ok"] * 4
    first, quiet, struck, later = events
    assert first.status.startswith("[t] 4 contributions (+4 ~0 -0, 0 withdrawn, 1 unassigned)")
    unassigned = [w for w in first.warnings if w.startswith("unassigned")]
    assert len(unassigned) == 1 and unassigned[0].endswith(f"[Q1] {UNASSIGNED}")
    # The session's own first group is the example, as `sync` gives it.
    assert "e.g. 'Investors: ...'" in unassigned[0]
    duplicates = [w for w in first.warnings if "same contribution as another" in w]
    assert len(duplicates) == 1 and duplicates[0].endswith(TWICE)
    assert quiet.status == "[t] no change" and quiet.warnings == []
    assert struck.status.startswith("[t] 4 contributions (+0 ~0 -0, 1 withdrawn, 1 unassigned)")
    assert struck.warnings == []  # the Doc changed, but not what the warnings are about
    assert later.status.startswith("[t] 5 contributions (+1 ~0 -0, 0 withdrawn, 2 unassigned)")
    assert len(later.warnings) == 1 and later.warnings[0].endswith(f"[Q2] {LATER_UNASSIGNED}")
    # Every warning `sync` prints for this Doc was shown by watch, in sync's words.
    shown = {w for e in events for w in e.warnings}
    again = cli("sync", doc, "--force")
    assert again.exit_code == 0, again.stderr
    for line in again.stderr.splitlines():
        if line.startswith("warning: "):
            assert line in shown, line
    for text in (UNASSIGNED, LATER_UNASSIGNED):
        assert any(w.endswith(text) for w in shown)
        assert text in again.stdout


def test_watch_prints_the_rounds_and_their_warnings_as_lines(backend, session) -> None:
    api = backend.api()
    add_note(api, session.document_id, "Q1", UNASSIGNED)
    base = backend.data_dir / "m1"
    lines: list[str] = []
    watch_session(
        api,
        session.document_id,
        state=LocalState(base / "state"),
        journal=Journal(base / "journal"),
        options=SyncOptions(),
        interval=0,
        rounds=1,
        status=lines.append,
        clock=lambda: "t",
    )
    assert lines[0] == "[t] 1 contributions (+1 ~0 -0, 0 withdrawn, 1 unassigned)"
    assert lines[1] == (
        "  unassigned (start the line with a stakeholder group, e.g. 'Investors: ...'): "
        f"C0001 [Q1] {UNASSIGNED}"
    )
    assert len(lines) == 2


# -- conference Wi-Fi ------------------------------------------------------------------------------


class PausableLink:
    """A loopback TCP relay to the emulator that can go silent: while paused it accepts
    connections and reads requests but passes nothing on either way, as a dead conference link
    does; resumed, it delivers what it held and carries on."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.open = threading.Event()
        self.open.set()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._link, args=(client,), daemon=True).start()

    def _link(self, client: socket.socket) -> None:
        self.open.wait()
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        except OSError:
            client.close()
            return
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.open.wait()
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.open.set()
        self.listener.close()


def _sheet_ids_and_texts(clients, sheet: str) -> list[tuple[str, str]]:
    values = clients.sheets.open_by_key(sheet).worksheet("Contributions").get_all_values()
    header = values[0]
    return [(r[header.index("ID")], r[header.index("Contribution")]) for r in values[1:] if any(r)]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT")
def test_watch_shows_a_stalled_round_keeps_its_state_and_carries_on(tmp_path: Path) -> None:
    with serve(tmp_path / "emulator", tmp_path) as url:
        host = url.removeprefix("http://")
        clients = for_emulator_host(host)
        api = GoogleApi(clients, retry=RetryPolicy(sleep=lambda _: None))
        created = create_session(api, load_template("igf2025-ws354"), CreateOptions())
        doc, sheet = created.document_id, created.spreadsheet_id
        add_note(api, doc, "Q1", "Investors: Before the break (Ana Silva, civil society)")
        link = PausableLink(int(host.rsplit(":", 1)[1]))
        env = {
            **_env(tmp_path),
            "GDOC_SYNC_EMULATOR_HOST": f"127.0.0.1:{link.port}",
            "GDOC_SYNC_TIMEOUT": "8",
        }
        watch = subprocess.Popen(
            [sys.executable, "-m", "gdoc_sync", "watch", doc, "--interval", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        threading.Thread(
            target=lambda: lines.extend(iter(watch.stderr.readline, "")), daemon=True
        ).start()

        def wait_for(what: str, check) -> int:
            # The deadline only guards the test against a hang; nothing here times the product.
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                for n, line in enumerate(list(lines)):
                    if check(line):
                        return n
                assert watch.poll() is None, f"watch exited before {what}: {lines}"
                time.sleep(0.05)
            raise AssertionError(f"never saw {what}: {lines}")

        try:
            wait_for("the first round", lambda s: "] 1 contributions (+1" in s)
            link.open.clear()  # the Wi-Fi goes
            add_note(api, doc, "Q2", "Governments: After the break (Mei Lin, UN)")
            stalled = wait_for("a stalled round", lambda s: "] stalled: no answer" in s)
            failed = wait_for("the round given up on", lambda s: "] will retry:" in s)
            assert stalled < failed  # the stall is said before the round's requests give up
            assert "did not answer in time" in lines[failed]
            assert not any("contributions" in s for s in lines[stalled:failed])
            link.open.set()  # the Wi-Fi comes back: watch carries on by itself
            wait_for("the next good round", lambda s: "] 2 contributions (+1" in s)
            assert watch.poll() is None
        finally:
            watch.send_signal(signal.SIGINT)
            watch.wait(timeout=30)
            link.close()
        assert watch.returncode == 0, lines
        assert lines[-1].strip() in ("stopped", "watch stopped")
        assert _sheet_ids_and_texts(clients, sheet) == [
            ("C0001", "Before the break"),
            ("C0002", "After the break"),
        ]


def test_a_round_is_data_the_words_come_after(backend, session) -> None:
    """A round that will be retried carries the error itself (not a sentence holding it); an ok
    round carries its sync's result; the status line is made from them."""
    from gdoc_sync.emulator.faults import Fault

    api = backend.api(retry=RetryPolicy(attempts=1, sleep=lambda _: None))
    add_note(api, session.document_id, "Q1", "Investors: Publish engagement outcomes")
    backend.emulator.faults.add(
        Fault(action="error", status=503, path="/v1/documents/", method="GET", times=1)
    )
    events: list[Round] = []
    base = backend.data_dir / "m1"
    watch_session(
        api,
        session.document_id,
        state=LocalState(base / "state"),
        journal=Journal(base / "journal"),
        options=SyncOptions(),
        interval=0,
        rounds=2,
        on_round=events.append,
        sleep=lambda _: None,
        clock=lambda: "t",
    )
    failed, ok = events
    assert failed.state == "retrying" and failed.result is None
    assert failed.error.startswith("reading document") and "will retry" not in failed.error
    assert failed.status == f"[t] will retry: {failed.error}"
    assert ok.state == "ok" and ok.error == "" and ok.result is not None
    assert [c.text for c in ok.result.plan.added] == ["Investors: Publish engagement outcomes"]
    assert ok.status.startswith("[t] 1 contributions (+1 ~0 -0, 0 withdrawn, 0 unassigned)")


def test_watch_names_a_group_as_sync_does_in_the_sessions_language(backend) -> None:
    """A Spanish session: watch's unassigned warning gives sync's example, in Spanish (it gave
    an English one before the two shared their words)."""
    api = backend.api()
    created = create_session(
        api, load_template("igf-regional-bogota-es"), CreateOptions(notify=False)
    )
    add_note(api, created.document_id, "P2", "Una idea que no nombra a ningún grupo")
    base = backend.data_dir / "m1"
    lines: list[str] = []
    watch_session(
        api,
        created.document_id,
        state=LocalState(base / "state"),
        journal=Journal(base / "journal"),
        options=SyncOptions(),
        interval=0,
        rounds=1,
        status=lines.append,
        clock=lambda: "t",
    )
    assert lines[1] == (
        "  unassigned (start the line with a stakeholder group, p. ej. 'Gobiernos: ...'): "
        "C0001 [P2] Una idea que no nombra a ningún grupo"
    )
