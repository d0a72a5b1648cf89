"""``hdm executions list|show``: the local counterpart of the Step Functions console."""

import json
import sys

from hdm import history
from hdm.commands import CliError
from hdm.paths import state_dir


def register(subparsers) -> None:
    executions = subparsers.add_parser("executions", help="inspect past workflow executions")
    actions = executions.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="recent executions, newest first")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_list)
    show = actions.add_parser("show", help="one execution: status, each state's runs, retries, errors")
    show.add_argument("name", help="execution name (from 'hdm executions list')")
    show.add_argument("--json", action="store_true", help="the whole persisted history, events included")
    show.set_defaults(func=_show)


def _home(args):
    return args.state_dir or state_dir()


def _list(args) -> None:
    summaries, unreadable = history.summaries(_home(args), args.limit)
    for name in unreadable:
        print(f"hdm: warning: skipped execution {name}: its history is unreadable", file=sys.stderr)
    if args.json:
        print(json.dumps(summaries, indent=1))
        return
    if not summaries:
        print("no executions yet")
        return
    print(f"{'NAME':56} {'STATUS':10} {'SECONDS':>8}  ERROR")
    for s in summaries:
        seconds = "" if s["durationSeconds"] is None else f"{s['durationSeconds']:.3f}"
        print(f"{s['name']:56} {s['status']:10} {seconds:>8}  {s['error'] or ''}")


def _show(args) -> None:
    try:
        record = history.load(_home(args), args.name)
    except KeyError:
        raise CliError(f"no execution named {args.name!r}; see 'hdm executions list'") from None
    except history.UnreadableHistory as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(record, indent=1))
        return
    s = history.summary(record)
    print(f"execution  {s['name']}\nworkflow   {s['workflow']}\nstatus     {s['status']}")
    print(f"started    {s['startDate']}\nstopped    {s['stopDate']}\nseconds    {s['durationSeconds']}")
    if s["error"]:
        print(f"error      {s['error']}\ncause      {s['cause']}")
    print(f"\n{'STATE':22} {'TYPE':8} {'RUNS':>5} {'OK':>5} {'FAILED':>6} {'RETRIES':>7} {'MAX S':>8}  ERRORS")
    for row in history.state_table(record):
        print(f"{row['state']:22} {row['type']:8} {row['runs']:>5} {row['succeeded']:>5} {row['failed']:>6} "
              f"{row['retries']:>7} {row['maxSeconds']:>8.3f}  {','.join(row['errors'])}")
