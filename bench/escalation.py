"""The escalation detector over 10,000 incidents: median wall time of `risk.escalation.detect`.

    .venv/bin/python bench/escalation.py

Pure Python, no database and no Django settings: `casework.choices` only needs `django.db.models`.
Goal: at most 50 ms for 10,000 incidents (the escalation issue). Median of 50 runs after 5 warm-ups.
"""

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from risk.escalation import (  # noqa: E402
    AssessmentFacts,
    BreachFacts,
    IncidentFacts,
    TimelineFacts,
    detect,
)

GOAL_MS = 50
INCIDENTS = 10_000
RUNS = 50
WARM_UPS = 5
CHANNELS = ("text", "phone_call", "email", "social_media", "in_person", "loitering", "gift", "third_party", "tracking")
PLACES = ("", "online", "public", "victim_home", "victim_work", "school")
BEHAVIOURS = ("contacting", "following", "watching", "monitoring", "loitering")
THREATS = ("violence", "kill", "sexual", "suicide", "children_pets")
IMPACTS = ("changed_route", "extra_security", "health_harm")


def build(seed: int = 1) -> TimelineFacts:
    rng = random.Random(seed)
    now = datetime(2025, 6, 1, 12, tzinfo=UTC)
    start = now - timedelta(days=3 * 365)
    span = int((now - start).total_seconds())
    incidents = tuple(
        IncidentFacts(
            id=n,
            occurred_at=start + timedelta(seconds=rng.randrange(span)),
            channel=rng.choice(CHANNELS),
            place=rng.choice(PLACES),
            behaviours=frozenset(rng.sample(BEHAVIOURS, rng.randint(0, 2))),
            threats=frozenset(rng.sample(THREATS, 1)) if rng.random() < 0.02 else frozenset(),
            weapon=rng.random() < 0.001,
            injury=rng.random() < 0.002,
            count=rng.randint(1, 20),
            victim_feared_violence=rng.random() < 0.05,
            impacts=frozenset(rng.sample(IMPACTS, 1)) if rng.random() < 0.03 else frozenset(),
            via_new_identity=rng.random() < 0.01,
        )
        for n in range(1, INCIDENTS + 1)
    )
    breaches = tuple(
        BreachFacts(id=n, occurred_at=start + timedelta(seconds=rng.randrange(span)), order_kind="restraining_order")
        for n in range(1, 21)
    )
    warnings = tuple(start + timedelta(seconds=rng.randrange(span)) for _ in range(3))
    assessments = tuple(
        AssessmentFacts(completed_at=start + timedelta(days=90 * k), yes_count=5 + k, grade="medium", fear_answers=k)
        for k in range(12)
    )
    return TimelineFacts(incidents, breaches, warnings, assessments, now=now)


def main() -> None:
    facts = build()
    for _ in range(WARM_UPS):
        detect(facts)
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        result = detect(facts)
        timings.append((time.perf_counter() - began) * 1000)
    median = statistics.median(timings)
    verdict = "OK" if median <= GOAL_MS else "TOO SLOW"
    print(
        f"escalation detector over {INCIDENTS:,} incidents: {median:.1f} ms (goal ≤ {GOAL_MS} ms) {verdict}"
        f"  [level {result.level}, score {result.score}, {len(result.signals)} signals]"
    )


if __name__ == "__main__":
    main()
