"""One module per workflow (create, note, sync, watch, finalize, export, demo, batch, doctor).

A workflow takes its dependencies as parameters (the Google seam, local state) and returns
results or yields typed events; it never prints and never imports click.
"""
