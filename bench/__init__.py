"""make bench: seeds synthetic data at two sizes and measures Ladder's key pages, the case-study
PDF, the CSV enrolment import and the dashboard under load. Run with ``python -m bench``."""
