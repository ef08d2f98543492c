"""A local emulator of the Google Docs v1, Sheets v4 and Drive v3 REST APIs."""
