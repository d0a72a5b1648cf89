"""JPEG Extended (Process 2 and 4) with 12-bit samples, decoded by GDCM.

pydicom's own GDCM plugin refuses 12-bit JPEG Extended (GDCM builds once lacked it); the
python-gdcm wheel of the runtime set decodes it with its 12-bit libjpeg, so this plugin
asks GDCM for that one case. Other JPEG processes go through pydicom's GDCM plugin.
"""

from pydicom.pixels.decoders import JPEGExtended12BitDecoder

PLUGIN = "gdcm-12bit"


def register() -> None:
    if PLUGIN not in JPEGExtended12BitDecoder.available_plugins:
        JPEGExtended12BitDecoder.add_plugin(PLUGIN, (__name__, "decode_frame"))


def is_available(uid: str) -> bool:
    """pydicom's plugin protocol: whether this plugin can decode ``uid`` here."""
    try:
        import gdcm  # noqa: F401
    except ImportError:
        return False
    return uid == JPEGExtended12BitDecoder.UID


def decode_frame(src: bytes, runner) -> bytes:
    import gdcm

    fragment = gdcm.Fragment()
    fragment.SetByteStringValue(src)
    fragments = gdcm.SequenceOfFragments.New()
    fragments.AddFragment(fragment)
    element = gdcm.DataElement(gdcm.Tag(0x7FE0, 0x0010))
    element.SetValue(fragments.__ref__())
    image = gdcm.Image()
    image.SetNumberOfDimensions(2)
    image.SetDimensions((runner.columns, runner.rows, 1))
    image.SetDataElement(element)
    photometric = gdcm.PhotometricInterpretation.GetPIType(str(runner.photometric_interpretation))
    image.SetPhotometricInterpretation(gdcm.PhotometricInterpretation(photometric))
    if runner.samples_per_pixel > 1:
        image.SetPlanarConfiguration(runner.planar_configuration)
    image.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.GetTSType(str(runner.transfer_syntax))))
    bits = runner.bits_stored
    image.SetPixelFormat(gdcm.PixelFormat(runner.samples_per_pixel, runner.bits_allocated, bits, bits - 1,
                                          runner.pixel_representation))
    decoded = image.GetBuffer().encode("utf-8", "surrogateescape")  # GDCM hands back char* as str
    if not decoded:
        raise ValueError("GDCM could not decode the 12-bit JPEG frame")
    return decoded
