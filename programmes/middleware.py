# moved to core.middleware; kept while other branches still import it
from core.middleware import ActiveMembershipMiddleware, NoStoreForSignedInMiddleware  # noqa: F401
