"""A finished execution as the local runtime reports it (no moto import: the CLI starts fast)."""

from dataclasses import dataclass

from workflow_catalogue import errors


class WorkflowError(Exception):
    """An execution did not succeed; carries its ASL error name and PHI-free cause."""

    def __init__(self, execution: "Execution"):
        self.execution = execution
        super().__init__(f"{execution.error or execution.status}: {execution.cause or 'no cause given'}")


@dataclass
class Execution:
    name: str
    arn: str
    workflow: str
    status: str
    output: dict | None = None
    error: str | None = None
    cause: str | None = None

    @property
    def cause_message(self) -> str:
        """A Lambda failure's cause is a JSON object whose errorMessage is written without PHI."""
        return errors.message_of(self.cause) or "no cause given"

    def result(self) -> dict:
        if self.status != "SUCCEEDED":
            raise WorkflowError(self)
        return self.output
