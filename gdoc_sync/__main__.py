"""`python -m gdoc_sync` runs the CLI."""

from gdoc_sync.cli.main import main

main()
