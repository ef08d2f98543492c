"""The OAuth scopes gdoc-sync asks for: the least each command needs."""

SCOPES_DEFAULT = (
    "https://www.googleapis.com/auth/documents",
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.file",
)
SCOPE_DRIVE_FULL = "https://www.googleapis.com/auth/drive"
# Least privilege per command: what each one needs, never more.
SCOPES_SYNC = (
    "https://www.googleapis.com/auth/documents",
    "https://www.googleapis.com/auth/spreadsheets",
)
SCOPES_NOTE = ("https://www.googleapis.com/auth/documents",)
SCOPES_READ = (
    "https://www.googleapis.com/auth/documents.readonly",
    "https://www.googleapis.com/auth/spreadsheets.readonly",
)
