"""What lives on this machine: settings and data directories, the journal and note ledger,
output files, the loopback guard of the local servers."""
