"""Ladder's settings with the benchmark's URLconf (the baseline views), for the gunicorn of the
load test. The environment decides everything else, as for the app."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
