"""Protective orders, bail, conditions and breaches (the protection issue)."""
