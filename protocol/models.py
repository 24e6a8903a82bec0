"""The national stalking protocol checklist and CPS charging packs (the handover issue)."""
