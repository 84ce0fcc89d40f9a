"""The PDF documents Ladder produces, one module each: what a document shows is gathered in
its module (a fixed number of queries, whatever the size) and laid out by its template under
templates/reports/. ``render.py`` turns any of them into PDF bytes, for the Celery task and the
render_report command alike."""
