"""The workshop's domain, free of I/O: templates, the Doc's layout and reading, contributions,
groups, the Sheet's layout, reconciliation, the action list, text normalisation."""
