"""``hdm mask-image``, ``hdm image-text`` and ``hdm image-phi``."""

import argparse
import json
import os

from hdm.commands import CliError, add_phi_engine, add_threshold, runtime
from steps.options import IMAGE_MASK_POLICIES, OCR_ENGINES
from steps.pseudonym_key import KEY_FILE_VARIABLE
from steps.storage import file_ref, refuse_same


def register(subparsers) -> None:
    mask = subparsers.add_parser("mask-image", help="mask burned-in PHI in a PNG, JPEG or DICOM image")
    _add_source(mask)
    mask.add_argument("-o", "--output", required=True, help="where the masked image goes (same format)")
    mask.add_argument("--key-file", default=None,
                      help="the pseudonym key (a file of at least 16 bytes) that new DICOM UIDs are keyed with; "
                           f"default ${KEY_FILE_VARIABLE}, else a random key per job")
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
    names = {"ocr_engine": "ocrEngine", "threshold": "threshold", "engine": "engine", "policy": "imageMaskPolicy"}
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
    if args.key_file is not None:
        if not os.path.isfile(args.key_file):
            raise CliError(f"no such key file: {args.key_file}")
        # The steps run in this process: they find the key by its path, never the key in the environment.
        os.environ[KEY_FILE_VARIABLE] = os.path.abspath(args.key_file)
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
