"""Render API Gateway mapping templates offline: airspeed-ext (Velocity) plus the $input, $util
and $context objects API Gateway documents, with Java's escaping rules."""

import json
from urllib.parse import quote_plus, unquote_plus

import airspeed


def escape_javascript(value) -> str:
    """commons-lang StringEscapeUtils.escapeJavaScript, which $util.escapeJavaScript uses."""
    if value is None:
        return None
    named = {"\b": "\\b", "\n": "\\n", "\t": "\\t", "\f": "\\f", "\r": "\\r",
             "'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/"}
    out = []
    for char in str(value):
        if char in named:
            out.append(named[char])
        elif ord(char) < 32 or ord(char) > 0x7F:
            units = char.encode("utf-16-be")  # Java strings are UTF-16: astral characters become two units
            out.extend(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04X}" for i in range(0, len(units), 2))
        else:
            out.append(char)
    return "".join(out)


def _lookup(document, path: str):
    """The JSONPath subset the templates use: $ and $.a.b."""
    value = document
    for part in [p for p in path.removeprefix("$").split(".") if p]:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


class Util:
    def escapeJavaScript(self, value):  # noqa: N802 - API Gateway's names
        return escape_javascript(value)

    def urlEncode(self, value):  # noqa: N802
        return quote_plus(value, safe="*")

    def urlDecode(self, value):  # noqa: N802
        return unquote_plus(value)

    def parseJson(self, value):  # noqa: N802
        return json.loads(value)


class Input:
    def __init__(self, body, path: dict, query: dict, header: dict):
        self._body = body
        self._params = {"path": path, "querystring": query, "header": header}

    def json(self, path: str) -> str:
        return json.dumps(_lookup(self._body, path))

    def path(self, path: str):
        return _lookup(self._body, path)

    def params(self, name: str | None = None):
        if name is None:
            return self._params
        for where in ("path", "querystring", "header"):
            if name in self._params[where]:
                return self._params[where][name]
        return None


def render_response(template: str, *, body=None, path=None, query=None, header=None, request_id="req-1"):
    """Returns (rendered text, status override or None, header overrides)."""
    context = {"requestId": request_id, "responseOverride": {"header": {}}}
    text = airspeed.Template(template).merge({
        "input": Input(body, path or {}, query or {}, header or {}), "util": Util(), "context": context})
    return text, context["responseOverride"].get("status"), context["responseOverride"]["header"]


def render(template: str, **request):
    """Returns (rendered text, status override or None)."""
    text, status, _headers = render_response(template, **request)
    return text, status
