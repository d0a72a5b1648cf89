"""Jobs: one function per workflow use, shared by the CLI, the local API and batch.

A job stages its input in a private work area, runs the workflow through the local
runtime, reads the result back and removes the work area, so that document
content never enters the execution input or the persisted history.
"""
