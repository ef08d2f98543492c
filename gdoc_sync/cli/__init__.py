"""The command line: parse, call the library, render its results and events.

One place (`main.py`) maps errors to exit codes.
"""
