"""What the two runtimes share: the functions, the workflows, their names, the error contract.

``hdm/`` (the local runtime, on moto) and ``infra/`` (the CDK app) both import this
package; it imports neither of them, nor anything outside the standard library, so
that synthesizing the CDK app loads no part of the local runtime
(docs/architecture.md). It is not called ``catalogue``: spaCy, which the dev set
installs, owns a package of that name.
"""
