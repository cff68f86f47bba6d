"""Training the statistical components from the shared gold corpora."""
