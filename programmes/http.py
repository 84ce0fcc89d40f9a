# moved to core.http; kept while other branches still import it
from core.http import post_only  # noqa: F401
