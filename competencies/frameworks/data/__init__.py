"""The national frameworks Ladder ships, as plain tables (one module each). ``bundled.py``
turns them into parsed Moodle frameworks and loads them through the importer.

ID numbers here are stable: mappings, role profiles and evidence refer to them. Never renumber;
add new ones instead. Facts come from shared/domain/REFERENCE-DATA.md; what it marks
unverified is marked so here too (``source_note``).
"""
