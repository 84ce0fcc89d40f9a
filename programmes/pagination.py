# moved to core.pagination; kept while other branches still import it
from core.pagination import paginate  # noqa: F401
