# moved to core.access; kept while other branches still import it
from core.access import (  # noqa: F401
    SESSION_KEY,
    choose_membership,
    get_scoped_or_404,
    membership_required,
    memberships_for,
    scoped,
    switch_membership,
)
