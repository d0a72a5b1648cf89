"""API Gateway mapping templates (VTL): the seed API's bodies <-> the workflows' input and output.

Inside "input" the execution input is a JSON document carried as a string, so its
quotes are escaped (\\") and values are spliced in escaped: text with
$util.escapeJavaScript (Java's escaper also turns ' into \\', which is not JSON:
replaceAll puts it back), bucket and key URL-encoded as the s3:// refs of steps/storage.py
expect. Query strings are not schema-validated by API Gateway: nothing from them is
spliced in raw.
"""

from workflow_catalogue import errors

_UNESCAPE_QUOTE = """.replaceAll("\\\\'", "'")"""


def _threshold(raw: str) -> str:
    """A plain decimal becomes a JSON number (".5" -> 0.5, "1." -> 1.0); anything else the string
    "not a number", which the Fetch step rejects with a clear message (and nothing raw is spliced in)."""
    return f"""#set($threshold = "{raw}")
#if($threshold.matches("[0-9]*[.]?[0-9]*") && $threshold.matches(".*[0-9].*"))
#if($threshold.matches("[.].*"))#set($threshold = "0$threshold")#end
#if($threshold.matches(".*[.]"))#set($threshold = "${{threshold}}0")#end
#elseif($threshold != "")#set($threshold = '\\"not a number\\"')#end
"""


def _ref(bucket: str, key: str) -> str:
    return (f'\\"s3://$util.urlEncode("{bucket}").replace("+", "%20")/'
            f'$util.urlEncode("{key}").replace("+", "%20")\\"')


def option_pairs(options: dict[str, str]) -> str:
    """Fixed string options (the deployment's engines) as escaped JSON members."""
    return ", ".join(f'\\"{key}\\": \\"{value}\\"' for key, value in options.items())


BODY_THRESHOLD = "$!input.path('$.phiDetectionThreshold')"
QUERY_THRESHOLD = "$!input.params().querystring.get('phiDetectionThreshold')"
INLINE_TEXT = '\\"text\\": $util.escapeJavaScript($input.json(\'$.text\'))' + _UNESCAPE_QUOTE
QUERY_SOURCE = '\\"source\\": ' + _ref("$!input.params().querystring.get('s3Bucket')",
                                       "$!input.params().querystring.get('s3Key')")


def start_request(*, state_machine_arn: str, work_bucket: str, options: str, source: str,
                  operation: str = '\\"mask\\"', threshold: str = BODY_THRESHOLD) -> str:
    """StartSyncExecution body of a route whose result is its answer (no destination); ``options``,
    ``source`` and ``operation`` are escaped JSON fragments of the execution input."""
    execution_input = ('{' + source + ', \\"destination\\": null, '
                       f'\\"workPrefix\\": \\"s3://{work_bucket}/work/$context.requestId/\\", '
                       f'\\"operation\\": {operation}, \\"options\\": {{' + options
                       + '#if($threshold != ""), \\"threshold\\": $threshold#end}}')
    return (_threshold(threshold) + '{"stateMachineArn": "' + state_machine_arn
            + '", "name": "$context.requestId", "input": "' + execution_input + '"}')


def _failure_response() -> str:
    """A failed execution's answer, generated from workflow_catalogue.errors (the local API answers
    from the same table): its own error name (the ASL error, e.g. InvalidInput) picks the status,
    and the message is the failing step's (a Lambda cause is a JSON object: its errorMessage).
    Messages are PHI-free by design (steps.errors); nothing of the request is echoed."""
    override = "$context.responseOverride"
    lines = ["#else",
             "#set($status = \"$!input.path('$.status')\")",
             "#set($error = \"$!input.path('$.error')\")",
             "#if($error == \"\")#set($error = $status)#end",
             "#set($cause = \"$!input.path('$.cause')\")",
             "#set($message = $cause)",
             '#if($cause.startsWith("{"))#set($message = "$!util.parseJson($cause).errorMessage")#end']
    branches = [(f'$status == "{errors.TIMED_OUT}"', errors.TIMEOUT_STATUS)]
    branches += [(" || ".join(f'$error == "{name}"' for name in names), status)
                 for status, names in errors.statuses().items()]
    for index, (condition, status) in enumerate(branches):
        headers = "".join(f'#set({override}.header.{name} = "{value}")'
                          for name, value in errors.headers_for(status).items())
        lines.append(f"{'#if' if index == 0 else '#elseif'}({condition})#set({override}.status = {status}){headers}")
    lines.append(f"#else#set({override}.status = {errors.DEFAULT_STATUS})#end")
    lines.append('{"error": "$util.escapeJavaScript($error)", '
                 '"message": "$util.escapeJavaScript($message)' + _UNESCAPE_QUOTE + '"}')
    lines.append("#end")
    return "\n".join(lines)


_SYNC_FAILURE = _failure_response()

# The Store state's output as is: the masked text or the entities, with PHI-free counts.
SYNC_RESPONSE = """#if($input.path('$.status') == "SUCCEEDED")
$input.path('$.output')
""" + _SYNC_FAILURE

DESCRIBE_REQUEST = """{"executionArn": "$util.escapeJavaScript($util.urlDecode($input.params('id')))"}"""

# Output is a JSON document in a string; it is there only for a finished execution.
DESCRIBE_RESPONSE = """{"executionArn": "$input.path('$.executionArn')", "status": "$input.path('$.status')", \
"startDate": $input.json('$.startDate')\
#if("$!input.path('$.stopDate')" != ""), "stopDate": $input.json('$.stopDate')#end\
#if("$!input.path('$.error')" != ""), "error": $input.json('$.error'), "cause": $input.json('$.cause')#end\
#if("$!input.path('$.output')" != ""), "output": $input.path('$.output')#end}"""

ERROR_RESPONSE = """{"message": "$util.escapeJavaScript($!input.path('$.message'))""" + _UNESCAPE_QUOTE + '"}'
