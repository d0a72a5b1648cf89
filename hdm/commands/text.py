"""``hdm mask-text`` and ``hdm detect-phi``."""

import argparse
import json
import sys

from hdm.commands import CliError, add_key_file, add_mode, add_phi_engine, add_threshold, runtime, use_key_file
from hdm.commands import jsonl as jsonl_options
from steps.options import ENTITY_TYPES


def register(subparsers) -> None:
    mask = subparsers.add_parser("mask-text", help="mask PHI in a text and print the result")
    _add_text_source(mask, jsonl='write lines {"id", "maskedText"}')
    _add_engine_options(mask)
    add_mode(mask, "each entity")
    add_key_file(mask, "surrogates, hash tokens and date shifts")
    mask.add_argument("--patient", default=None, metavar="ID",
                      help="the patient the text is about: every date of one patient moves by one keyed shift "
                           '(with --jsonl, a "patientId" per line instead)')
    mask.add_argument("--json", action="store_true",
                      help='print {"maskedText", "entities" (offsets in the masked text), "operatorCounts"} '
                           '(and "surrogateScheme")')
    mask.set_defaults(func=_text_command("mask", _mask_one))

    detect = subparsers.add_parser("detect-phi", help="print the PHI entities found in a text as JSON")
    _add_text_source(detect, jsonl='write lines {"id", "Entities"}')
    _add_engine_options(detect)
    detect.set_defaults(func=_text_command("detect", _detect_one))


def _add_text_source(parser: argparse.ArgumentParser, jsonl: str) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the text itself, or - to read standard input")
    source.add_argument("-f", "--file", help="read the text from this UTF-8 file")
    source.add_argument("--jsonl", metavar="FILE",
                        help=f'read lines {{"id", "text"}} (and an optional "patientId"), {jsonl} in input order, '
                             'all in one workflow execution')
    jsonl_options.add_options(parser)


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    add_threshold(parser)
    add_phi_engine(parser)
    parser.add_argument("--entity-types", type=lambda v: v.split(","), default=None,
                        metavar="T1,T2", help=f"only these types, from {','.join(ENTITY_TYPES)}")


def _options(args: argparse.Namespace) -> dict:
    options = {"threshold": args.threshold, "engine": args.engine, "entityTypes": args.entity_types}
    if getattr(args, "mode", None):
        options["mode"] = args.mode
    return options


def _read_text(args: argparse.Namespace) -> str:
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as f:
                return f.read()
        if args.text == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        return args.text
    except UnicodeDecodeError:
        raise CliError("input is not valid UTF-8 text") from None
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None


def _text_command(operation: str, one_text):
    """A command over ``--jsonl`` (the bulk workflow) or over one text, ``one_text(runtime, args, text)``."""
    def command(args: argparse.Namespace) -> int:
        use_key_file(args)
        if args.jsonl:
            if getattr(args, "patient", None) is not None:
                raise CliError('--patient goes with one text; with --jsonl each line carries its "patientId"')
            return jsonl_options.run(args, operation, _options(args))
        if args.output is not None:
            raise CliError("-o/--output goes with --jsonl")
        text = _read_text(args)
        with runtime(args, one_job=True) as rt:
            one_text(rt, args, text)
        return 0

    return command


def _mask_one(rt, args: argparse.Namespace, text: str) -> None:
    from hdm.jobs.text import mask_text_entities

    result = mask_text_entities(rt, text, patient_id=args.patient, **_options(args))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        masked = result["maskedText"]
        sys.stdout.write(masked if masked.endswith("\n") else masked + "\n")


def _detect_one(rt, args: argparse.Namespace, text: str) -> None:
    from hdm.jobs.text import detect_phi

    print(json.dumps(detect_phi(rt, text, **_options(args)), ensure_ascii=False))
