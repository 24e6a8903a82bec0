"""Every write to a case goes through these functions (see docs/architecture.md)."""
