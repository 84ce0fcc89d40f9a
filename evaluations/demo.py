"""Demo evaluation data (being written)."""


def seed_evaluations() -> None:
    return None
