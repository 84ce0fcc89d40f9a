"""Opening an image someone uploaded, safely: its size is read from the header before any
pixel is decoded (a few kilobytes of PNG can claim a billion pixels)."""

from __future__ import annotations

import warnings

from PIL import Image


class ImageTooLarge(ValueError):
    """Pillow's own guard fired: past 89 million pixels a warning, past twice that an error.
    Both mean too large, whatever the warnings filters say."""


def open_image(fileobj) -> Image.Image:
    """Image.open with Pillow's decompression-bomb guard as one exception (ImageTooLarge). Only
    the header is read: check ``size`` before ``load()``. Other unreadable files raise Pillow's
    own errors (UnidentifiedImageError, OSError)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(fileobj)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageTooLarge from None
