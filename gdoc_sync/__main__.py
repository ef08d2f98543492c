"""`python -m gdoc_sync` runs the CLI."""

from .cli import main

main()
