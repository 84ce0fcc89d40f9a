"""Charts as PNG images, for documents that cannot hold SVG (the Word case study).

The same SVG the PDF shows is laid out by WeasyPrint on a page of its own size, and that
one-page PDF is rasterised by PDFium (pypdfium2, a wheel with no system libraries): no second
way of drawing charts to keep in step, and nothing that needs cairo or poppler on the worker."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pypdfium2
from weasyprint import HTML

from .pdf import LocalStaticFetcher, static_roots

CSS_PX_PER_INCH = 96
_VIEWBOX = re.compile(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')


@dataclass(frozen=True)
class ChartImage:
    png: bytes
    width_px: int  # the chart's own size in CSS pixels (its viewBox), not the raster's
    height_px: int


def chart_png(svg: str, *, dpi: int = 200) -> ChartImage:
    """The chart drawn at ``dpi`` (sharp in print at its own width). ``svg`` is an <svg>
    element with a viewBox, as evaluations.findings.charts draws them."""
    found = _VIEWBOX.search(svg)
    if found is None:
        raise ValueError("A chart needs a viewBox to be drawn as an image.")
    width, height = (max(1, round(float(n))) for n in found.groups())
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        f"@page {{ size: {width}px {height}px; margin: 0 }}"
        "html, body { margin: 0; background: #fff }"
        f"svg {{ display: block; width: {width}px; height: {height}px }}"
        f"</style></head><body>{svg}</body></html>"
    )
    pdf = HTML(string=page, url_fetcher=LocalStaticFetcher(static_roots())).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=dpi / 72, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True, dpi=(dpi, dpi))
    return ChartImage(out.getvalue(), width, height)
