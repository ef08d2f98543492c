"""The one seam to Google's APIs: transports (in-process emulator, loopback emulator, Google),
the real clients, the typed API, its errors, retry and rate limiting, credentials."""
