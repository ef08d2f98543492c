"""A client as any user writes one: only Google's libraries, pointed at a running emulator."""

from __future__ import annotations

import json
import sys
from typing import Any

import gspread
import httplib2
import requests
import requests.adapters
from googleapiclient.discovery import build

GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
DOC_TITLE = "Notes 👩🏽‍💻 שלום"
EMOJI = "👩🏽‍💻"  # woman, skin tone, zero-width joiner, laptop: 7 UTF-16 units
FLAG = "🇳🇴"  # two regional indicators: 4 UTF-16 units
ARABIC = "محمد الأحمد"
HEBREW = "שלום"
LINE1 = f"Coder {EMOJI} and {FLAG} bold\n"
LINE2 = f"{ARABIC} {HEBREW}\n"
SHEET_TITLE = "Cells ✓ مرحبا"
CELLS = [["👩🏽‍💻", "🇳🇴", "Zoë"], [ARABIC, HEBREW, "Ünïcödé ✓"], ["line\nbreak", "", "end"]]
RTL_TAB = "עלה 🍃"


def units(text: str) -> int:
    """The length of text in UTF-16 code units, the unit of every Docs index."""
    return len(text.encode("utf-16-le")) // 2


class ToEmulator(requests.adapters.HTTPAdapter):
    """Sends what gspread addresses to Google's hosts to the emulator instead."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base.rstrip("/")

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        for host in GOOGLE_HOSTS:
            if (request.url or "").startswith(host):
                request.url = self.base + (request.url or "")[len(host) :]
        return super().send(request, **kwargs)


def clients(base: str) -> tuple[Any, Any, gspread.Client]:
    docs = build(
        "docs",
        "v1",
        http=httplib2.Http(),
        static_discovery=True,
        client_options={"api_endpoint": f"{base}/"},
    )
    drive = build(
        "drive",
        "v3",
        http=httplib2.Http(),
        static_discovery=True,
        client_options={"api_endpoint": f"{base}/drive/v3/"},
    )
    session = requests.Session()
    session.trust_env = False
    adapter = ToEmulator(base)
    for host in GOOGLE_HOSTS:
        session.mount(host, adapter)
    return docs, drive, gspread.Client(auth=None, session=session)  # type: ignore[arg-type]


def write_document(docs: Any) -> str:
    documents = docs.documents()
    doc_id = documents.create(body={"title": DOC_TITLE}).execute()["documentId"]
    inserted = documents.batchUpdate(
        documentId=doc_id,
        body={
            "requests": [
                {"insertText": {"location": {"index": 1}, "text": LINE1 + LINE2}},
            ]
        },
    ).execute()
    # Every index counts UTF-16 units: the emoji before the bold range take 7 + 4 of them.
    bold_start = 1 + units(f"Coder {EMOJI} and ")
    bold_end = 1 + units(LINE1) - 1
    line2 = 1 + units(LINE1)
    rtl_start = line2 + units(ARABIC.split(" ")[0] + " ")
    documents.batchUpdate(
        documentId=doc_id,
        body={
            "requests": [
                {
                    "updateTextStyle": {
                        "range": {"startIndex": bold_start, "endIndex": bold_end},
                        "textStyle": {"bold": True},
                        "fields": "bold",
                    }
                },
                {
                    "createNamedRange": {
                        "name": "arabic-surname",
                        "range": {
                            "startIndex": rtl_start,
                            "endIndex": rtl_start + units(ARABIC.split(" ")[1]),
                        },
                    }
                },
                {
                    "updateParagraphStyle": {
                        "range": {"startIndex": line2, "endIndex": line2 + 1},
                        "paragraphStyle": {"direction": "RIGHT_TO_LEFT"},
                        "fields": "direction",
                    }
                },
            ],
            "writeControl": {"requiredRevisionId": inserted["writeControl"]["requiredRevisionId"]},
        },
    ).execute()
    return doc_id


def read_document(docs: Any, doc_id: str) -> dict[str, Any]:
    doc = docs.documents().get(documentId=doc_id).execute()
    paragraphs = []
    text16 = b""  # the body's text as UTF-16, so document indices slice it directly
    for element in doc["body"]["content"]:
        paragraph = element.get("paragraph")
        if paragraph is None:
            continue
        runs = []
        for run in paragraph["elements"]:
            content = run["textRun"]["content"]
            assert len(text16) // 2 == run["startIndex"] - 1, "the runs leave no gap"
            text16 += content.encode("utf-16-le")
            runs.append(
                {
                    "start": run["startIndex"],
                    "end": run["endIndex"],
                    "text": content,
                    "bold": bool(run["textRun"].get("textStyle", {}).get("bold")),
                    "units": units(content),
                }
            )
        paragraphs.append(
            {
                "start": element["startIndex"],
                "end": element["endIndex"],
                "direction": paragraph["paragraphStyle"].get("direction"),
                "runs": runs,
            }
        )

    def text(start: int, end: int) -> str:
        return text16[(start - 1) * 2 : (end - 1) * 2].decode("utf-16-le")

    named = {}
    for name, group in (doc.get("namedRanges") or {}).items():
        ranges = [
            (r["startIndex"], r["endIndex"]) for nr in group["namedRanges"] for r in nr["ranges"]
        ]
        named[name] = [{"start": a, "end": b, "text": text(a, b)} for a, b in ranges]
    bold = [text(r["start"], r["end"]) for p in paragraphs for r in p["runs"] if r["bold"]]
    return {
        "title": doc["title"],
        "paragraphs": paragraphs,
        "namedRanges": named,
        "checks": {
            "runLengthsAreUtf16": all(
                r["end"] - r["start"] == r["units"] for p in paragraphs for r in p["runs"]
            ),
            "boldIsFlagAndWord": bold == [f"{FLAG} bold"],
            "namedRangeIsArabicSurname": [r["text"] for r in named.get("arabic-surname", [])]
            == [ARABIC.split(" ")[1]],
        },
    }


def write_spreadsheet(gc: gspread.Client) -> str:
    sh = gc.create(SHEET_TITLE)
    sh.sheet1.update(values=CELLS, range_name="A1")
    tab = sh.add_worksheet(RTL_TAB, rows=5, cols=3)
    tab.update(values=[[FLAG, HEBREW]], range_name="B2")
    return sh.id


def read_spreadsheet(gc: gspread.Client, spreadsheet_id: str) -> dict[str, Any]:
    sh = gc.open_by_key(spreadsheet_id)
    return {
        "title": sh.title,
        "worksheets": [ws.title for ws in sh.worksheets()],
        "values": {ws.title: ws.get_all_values() for ws in sh.worksheets()},
        "B2": sh.worksheet(RTL_TAB).acell("B2").value,
    }


def main(argv: list[str]) -> dict[str, Any]:
    base = argv[0].rstrip("/")
    docs, drive, gc = clients(base)
    if len(argv) == 3:  # read DOC_ID SPREADSHEET_ID back, e.g. after a restart
        doc_id, spreadsheet_id = argv[1], argv[2]
    else:
        doc_id, spreadsheet_id = write_document(docs), write_spreadsheet(gc)
    file = drive.files().get(fileId=doc_id, fields="id,name,mimeType").execute()
    return {
        "documentId": doc_id,
        "spreadsheetId": spreadsheet_id,
        "document": read_document(docs, doc_id),
        "driveFile": {"name": file["name"], "mimeType": file["mimeType"]},
        "spreadsheet": read_spreadsheet(gc, spreadsheet_id),
        "gdocSyncModules": sorted(m for m in sys.modules if m.split(".")[0] == "gdoc_sync"),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=1))
