# moved to competencies.frameworks.moodle_csv; kept while other branches still import it
import sys

from competencies.frameworks import moodle_csv as _moved

sys.modules[__name__] = _moved
