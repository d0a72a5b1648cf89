"""Recognise an image's container from its first bytes, never from its name."""

from steps.errors import InvalidInput

PNG, JPEG, DICOM = "png", "jpeg", "dicom"
FORMATS = (PNG, JPEG, DICOM)
MEDIA_TYPES = {PNG: "image/png", JPEG: "image/jpeg", DICOM: "application/dicom"}
EXTENSIONS = {PNG: "png", JPEG: "jpg", DICOM: "dcm"}
DICOM_MAGIC_END = 132  # "DICM" after the 128-byte preamble: the most sniff() needs


def sniff(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[128:DICOM_MAGIC_END] == b"DICM":
        return DICOM
    raise InvalidInput("the source is not a PNG, JPEG or DICOM (Part 10) file")
