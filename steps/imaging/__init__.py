"""Images: decoding PNG/JPEG/DICOM, OCR engines, mapping PHI spans to words, masking.

Nothing here logs or raises with pixel content or recognised text.
"""
