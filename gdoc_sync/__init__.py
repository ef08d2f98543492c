"""gdoc-sync: run a multistakeholder workshop session through Google Docs and Sheets."""

from gdoc_sync.google import deferred_imports

__version__ = "0.1.0"

deferred_imports.install()  # gspread without the OAuth flow it imports and gdoc-sync never uses
