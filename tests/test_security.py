"""No token, key or Authorization header in any output, log or error, tracebacks included."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime, timedelta

import pytest
from google.oauth2.credentials import Credentials

from gdoc_sync.emulator.faults import Fault
from gdoc_sync.emulator.server import EmulatorServer
from gdoc_sync.errors import GdocSyncError
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_google
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.google.transport import GOOGLE_HOSTS, RedirectingAdapter

TOKEN = "ya29.THIS-IS-A-SECRET-ACCESS-TOKEN"
REFRESH = "1//THIS-IS-A-SECRET-REFRESH-TOKEN"
CLIENT_SECRET = "GOCSPX-THIS-IS-A-SECRET"


@pytest.mark.parametrize("status", [403, 500])
def test_failed_google_calls_never_show_the_token(tmp_path, capsys, status: int) -> None:
    """The Google backend's own transport (an authorised session carrying the token), pointed at
    the emulator: the error message, its traceback and the emulator's log stay clean."""
    creds = Credentials(
        token=TOKEN,
        refresh_token=REFRESH,
        client_id="id",
        client_secret=CLIENT_SECRET,
        token_uri="https://oauth2.googleapis.com/token",
        expiry=datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1),
    )
    with EmulatorServer(tmp_path) as server:
        clients = for_google(creds, account="someone@example.org")
        # Route Google's hosts to the emulator; the Authorization header still goes along.
        for session in (clients.docs._http.session, clients.sheets.http_client.session):
            for host in GOOGLE_HOSTS:
                session.mount(host, RedirectingAdapter(server.url))
        server.emulator.faults.add(Fault(status=status, times=-1))
        api = GoogleApi(clients, retry=RetryPolicy(attempts=2, sleep=lambda _: None))
        with pytest.raises(GdocSyncError) as caught:
            api.get_document("1AbCdEfGhIjKlMnOpQrStUvWxYz012345")
        with pytest.raises(GdocSyncError) as caught_sheet:
            api.get_values("1AbCdEfGhIjKlMnOpQrStUvWxYz012345", ["A1"])
        log = repr(server.emulator.log_json())
    assert len(server.emulator.log) == 4  # the calls reached the emulator, token and all
    for exc in (caught.value, caught_sheet.value):
        shown = str(exc) + "".join(traceback.format_exception(exc))
        for secret in (TOKEN, REFRESH, CLIENT_SECRET, "Bearer"):
            assert secret not in shown
    out = capsys.readouterr()
    for secret in (TOKEN, REFRESH, CLIENT_SECRET):
        assert secret not in log and secret not in out.out and secret not in out.err
