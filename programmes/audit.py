# moved to core.audit; kept while other branches still import it
from core.audit import NOT_AUDITED, audit_register, history_for  # noqa: F401
