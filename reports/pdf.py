"""HTML to PDF with WeasyPrint, offline: a URL fetcher that only reads Ladder's own static
files (and data: URIs), so a report can never reach the network or read other files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalStaticFetcher(URLFetcher):
    """Fetches file: URLs under the static roots and data: URIs; refuses everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(timeout=2, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Reports may only use Ladder's static files, not {path}")
        return super().fetch(url, headers)


def static_roots() -> list[Path]:
    return [Path(p) for p in settings.STATICFILES_DIRS]


def render_pdf(html: str, *, tagged: bool = False) -> tuple[bytes, int]:
    """The PDF bytes and its page count. Relative URLs resolve against our static folder.
    ``tagged``: WeasyPrint's PDF/UA-1 variant, a tagged PDF (structure tree, the document's
    language and title from <html lang> and <title>, Alt text on figures) for documents that
    are published."""
    base_url = (Path(settings.BASE_DIR) / "static").as_uri() + "/"
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    document = HTML(string=html, base_url=base_url, url_fetcher=LocalStaticFetcher(static_roots())).render(**options)
    return document.write_pdf(**options), len(document.pages)
