"""DASH, stalking questions, S-DASH, risk plans and reviews (the risk issue)."""
