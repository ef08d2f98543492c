"""gdoc-sync: run a multistakeholder workshop session through Google Docs and Sheets."""

__version__ = "0.1.0"
