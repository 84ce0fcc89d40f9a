"""Fixtures the framework tests share with other folders: the API clients."""

from ..api.conftest import api_as  # noqa: F401 (a fixture, for the import API tests)
