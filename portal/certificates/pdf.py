"""Is this really a PDF? Judged from the bytes and by opening it, never from its name."""

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

# pypdf reports every oddity of a damaged file at WARNING; a refused upload is not news.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def is_pdf(data: bytes) -> bool:
    # The header must come first: browsers sniff HTML inside "PDFs" that only contain it.
    if not data.startswith(b"%PDF-"):
        return False
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) >= 1
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError):
        return False
