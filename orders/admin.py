"""Admin for this app's models, registered as they arrive."""
