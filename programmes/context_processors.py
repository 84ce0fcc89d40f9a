# moved to core.context_processors; kept while other branches still import it
from core.context_processors import membership  # noqa: F401
