"""State changes of the handover: preparation.py (the officer's file and sending it), cps.py (the
prosecutor's action plan and decision)."""
