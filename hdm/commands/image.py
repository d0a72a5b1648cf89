"""``hdm mask-image``, ``hdm image-text`` and ``hdm image-phi``."""

import argparse
import json
import os

from hdm.commands import CliError, add_key_file, add_mode, add_phi_engine, add_threshold, runtime, use_key_file
from steps.options import IMAGE_MASK_POLICIES, OCR_ENGINES
from steps.storage import file_ref, refuse_same


def register(subparsers) -> None:
    mask = subparsers.add_parser("mask-image", help="mask burned-in PHI in a PNG, JPEG or DICOM image")
    _add_source(mask)
    mask.add_argument("-o", "--output", required=True, help="where the masked image goes (same format)")
    add_mode(mask, "each DICOM header value (burned-in text is always masked, as --policy says)")
    add_key_file(mask, "surrogates, hash tokens, shifted dates, the PatientID pseudonym and new DICOM UIDs")
    _add_options(mask, phi=True)
    mask.set_defaults(func=_mask_image)

    text = subparsers.add_parser("image-text", help="print the words read in an image, with boxes, as JSON")
    _add_source(text)
    _add_options(text, phi=False)
    text.set_defaults(func=_image_text)

    phi = subparsers.add_parser("image-phi", help="print the PHI found in an image, with boxes, as JSON")
    _add_source(phi)
    _add_options(phi, phi=True)
    phi.set_defaults(func=_image_phi)


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", help="a PNG, JPEG or DICOM file (a path, file:// or s3:// reference)")


def _add_options(parser: argparse.ArgumentParser, phi: bool) -> None:
    parser.add_argument("--ocr-engine", choices=OCR_ENGINES, default=None, help="OCR engine (default rapidocr)")
    if not phi:
        return
    add_threshold(parser)
    add_phi_engine(parser)
    parser.add_argument("--policy", choices=IMAGE_MASK_POLICIES, default=None,
                        help="all-text (default): mask every word except annotation vocabulary and technical "
                             "annotations (settings, probes, sequences, markers, measurements); balanced: also keep "
                             "unknown words among technical annotations; phi-only: mask unknown words only where "
                             "they sit beside PHI. PHI, header values and labelled values are masked under all three")


def _options(args: argparse.Namespace) -> dict:
    names = {"ocr_engine": "ocrEngine", "threshold": "threshold", "engine": "engine", "policy": "imageMaskPolicy",
             "mode": "mode"}
    return {option: getattr(args, attr) for attr, option in names.items() if getattr(args, attr, None) is not None}


def _ref(value: str, must_exist: bool) -> str:
    if value.startswith(("s3://", "file://")):
        return value
    if must_exist and not os.path.isfile(value):
        raise CliError(f"no such file: {value}")
    return file_ref(value)


def _print(value: dict) -> None:
    print(json.dumps(value, ensure_ascii=False))


def _mask_image(args: argparse.Namespace) -> None:
    from hdm.jobs.image import mask_image

    source, destination = _ref(args.image, True), _ref(args.output, False)
    refuse_same(source, destination)
    use_key_file(args)
    with runtime(args) as rt:
        _print(mask_image(rt, source, destination, **_options(args)))


def _image_text(args: argparse.Namespace) -> None:
    from hdm.jobs.image import image_text

    source = _ref(args.image, True)
    with runtime(args) as rt:
        _print(image_text(rt, source, **_options(args)))


def _image_phi(args: argparse.Namespace) -> None:
    from hdm.jobs.image import image_phi

    source = _ref(args.image, True)
    with runtime(args) as rt:
        _print(image_phi(rt, source, **_options(args)))
