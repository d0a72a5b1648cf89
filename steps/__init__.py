"""Step Functions task handlers and the domain code they use.

Each ``steps/<name>.py`` module is one state of a workflow and exposes a plain
``handler(event, context)``. Handlers receive and return references and
non-sensitive metadata only: never raw text, pixels or detected values.
"""
