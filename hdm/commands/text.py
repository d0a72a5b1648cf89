"""``hdm mask-text`` and ``hdm detect-phi``."""

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor

from hdm.commands import CliError, add_phi_engine, add_threshold, runtime
from steps.options import ENTITY_TYPES, MASK_MODES


def register(subparsers) -> None:
    mask = subparsers.add_parser("mask-text", help="mask PHI in a text and print the result")
    _add_text_source(mask)
    _add_engine_options(mask)
    mask.add_argument("--mode", choices=MASK_MODES, default="type",
                      help="replace each entity by its type (default) or by a fixed run of '*'")
    mask.add_argument("--json", action="store_true", help='print {"maskedText": ...}')
    mask.set_defaults(func=_mask_text)

    detect = subparsers.add_parser("detect-phi", help="print the PHI entities found in a text as JSON")
    _add_text_source(detect, jsonl=True)
    _add_engine_options(detect)
    detect.set_defaults(func=_detect_phi)


def _add_text_source(parser: argparse.ArgumentParser, jsonl: bool = False) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the text itself, or - to read standard input")
    source.add_argument("-f", "--file", help="read the text from this UTF-8 file")
    if jsonl:
        source.add_argument("--jsonl", metavar="FILE",
                            help='read lines {"id", "text"}; write lines {"id", "Entities"}')


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


def _mask_text(args: argparse.Namespace) -> None:
    from hdm.jobs.text import mask_text

    text = _read_text(args)
    with runtime(args, one_job=True) as rt:
        masked = mask_text(rt, text, **_options(args))
    if args.json:
        print(json.dumps({"maskedText": masked}, ensure_ascii=False))
    else:
        sys.stdout.write(masked if masked.endswith("\n") else masked + "\n")


def _read_jsonl(path: str) -> list[dict]:
    """Every document of the file, checked before any is processed."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except UnicodeDecodeError:
        raise CliError(f"{path} is not valid UTF-8") from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None
    documents = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            document = json.loads(line)
        except ValueError:
            raise CliError(f"{path}:{number}: not a JSON object") from None
        if not isinstance(document, dict) or "id" not in document or not isinstance(document.get("text"), str):
            raise CliError(f'{path}:{number}: expected {{"id": ..., "text": "..."}}')
        documents.append(document)
    return documents


def _detect_phi(args: argparse.Namespace) -> None:
    from hdm.jobs.text import detect_phi

    options = _options(args)
    if not args.jsonl:
        text = _read_text(args)
        with runtime(args, one_job=True) as rt:
            print(json.dumps(detect_phi(rt, text, **options), ensure_ascii=False))
        return
    documents = _read_jsonl(args.jsonl)
    with runtime(args) as rt, ThreadPoolExecutor(max_workers=4) as pool:
        # A blank document has no PHI; the workflow itself rejects empty input.
        results = pool.map(lambda d: detect_phi(rt, d["text"], **options) if d["text"].strip()
                           else {"Entities": []}, documents)
        for document, result in zip(documents, results, strict=True):
            print(json.dumps({"id": document["id"], **result}, ensure_ascii=False), flush=True)
