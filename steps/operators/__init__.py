"""Operators: what a detected PHI span becomes (its type label, a redaction, a surrogate...),
and the keyed patient identity and date shift that keep one patient consistent across notes,
DICOM headers, documents, runs and machines (``date_shift``)."""
