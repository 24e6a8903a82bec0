"""Admin for this app's models."""
