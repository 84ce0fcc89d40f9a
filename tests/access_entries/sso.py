"""Who may use the single sign-on pages. With single sign-on not configured (as here, and by
default) both answer 404 to everyone; tests/sso/ covers them with a provider running."""

from ..access_table import NOT_FOUND, Entry

OFF = Entry(anonymous=NOT_FOUND, members=NOT_FOUND, outsider=NOT_FOUND)

ENTRIES: dict[str, Entry] = {
    "people:sso_start": OFF,
    "people:sso_callback": OFF,
}
