"""Crime records, classifications and their history (the recording issue)."""
