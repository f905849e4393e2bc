"""Reading the PDFs the tests make: their text as pdftotext (poppler-utils) lays it out."""

import subprocess


def pdf_text(path, *, layout=True):
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout
