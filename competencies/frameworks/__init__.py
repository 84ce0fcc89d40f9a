"""Frameworks: the bundled national frameworks, Moodle CSV import and export, browsing."""
