"""What a DISTRIBUTED Map and child executions need locally (documented in docs/batch.md).

- Item reader and result writer. On AWS the Map reads PlanBatch's batches with S3
  GetObject and writes its results with S3 PutObject. A file work area has an empty
  bucket; for an empty bucket the item reader reads the local file and the result
  writer writes nothing (each object's outcome is already in the batch journal).
  Buckets keep moto's own behaviour. moto evaluates the result writer's
  ``Bucket.$``/``Prefix.$`` against the Map's results; AWS evaluates them against the
  state input, as here.
- Child executions. moto passes ``states:startExecution`` parameters and responses
  through without the casing conversion AWS applies (``StateMachineArn`` ->
  ``stateMachineArn``, ``output`` -> ``Output``), so the call fails; the conversion is
  restored from botocore's service model. moto also checks a ``startExecution.sync:2``
  child every 0.5 s, which would idle a worker per object; locally every 50 ms.
- Memory. moto keeps the events of every item of a DISTRIBUTED Map in a history nobody
  reads (on AWS they belong to the item's own child execution); they are dropped.
"""

import functools
from pathlib import Path

import botocore.session
from botocore import xform_name
from moto.stepfunctions.parser.asl.component.state.exec.state_map.item_reader.eval import (
    resource_eval_s3 as item_reader_s3,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration import (
    distributed_iteration_component as distributed_map,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval import (
    resource_eval_s3 as result_writer_s3,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.result_writer_decl import (
    ResultWriter,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_callback as sync_tasks,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
    StateTaskServiceSfn,
)
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager

from hdm.moto_hooks.patching import Patch

CHILD_POLL_SECONDS = 0.05


class _ItemRunEvents(EventManager):
    """The event manager of a DISTRIBUTED Map's items: numbers events, keeps none."""

    def _publish_history_event(self, *args, **kwargs) -> None:
        pass


def _unless_bucket(local):
    """moto's S3 handler for a Map, except for an empty bucket (a local folder): ``local`` serves it."""
    def make(original):
        def handler(env, resource_runtime_part, state_credentials):
            if env.stack[-1].get("Bucket"):
                return original(env, resource_runtime_part, state_credentials)
            local(env, env.stack.pop())

        return staticmethod(handler)

    return make


def _read_file(env, parameters: dict) -> None:
    env.stack.append(Path(parameters["Key"]).read_text(encoding="utf-8"))


def _write_no_results(env, parameters: dict) -> None:
    env.stack.pop()  # the state input the parameters were read from; the journal holds the results
    env.stack.append({"ResultWriterDetails": {"Bucket": "", "Key": parameters["Prefix"]}})


def _write_results(original):
    def eval_body(self, env) -> None:
        """ResultWriter with its parameters read from the Map's input, as on AWS."""
        env.stack.pop()  # the Map's results; the S3 writer does not write them either
        env.stack.append(env.states.get_input())
        self.parargs.eval(env=env)
        self.resource_eval.eval_resource(env=env)

    return eval_body


@functools.cache
def _sfn_operations() -> dict:
    """snake_case action -> botocore operation model of Step Functions."""
    model = botocore.session.get_session().get_service_model("stepfunctions")
    return {xform_name(name): model.operation_model(name) for name in model.operation_names}


def _normalise_parameters(original):
    def normalise_parameters(self, parameters, boto_service_name=None, service_action_name=None):
        original(self, parameters, boto_service_name, service_action_name)
        operation = _sfn_operations()[self._get_boto_service_action(service_action_name)]
        self._to_boto_request(parameters, operation.input_shape)

    return normalise_parameters


def _normalise_response(original):
    def normalise_response(self, response, boto_service_name=None, service_action_name=None):
        operation = _sfn_operations()[self._get_boto_service_action(service_action_name)]
        self._from_boto_response(response, operation.output_shape)

    return normalise_response


def patches() -> list[Patch]:
    return [
        Patch(item_reader_s3.ResourceEvalS3, "_handle_get_object", _unless_bucket(_read_file)),
        Patch(result_writer_s3.ResourceEvalS3, "_handle_put_object", _unless_bucket(_write_no_results)),
        Patch(sync_tasks, "_DELAY_SECONDS_SYNC_CONDITION_CHECK", lambda original: CHILD_POLL_SECONDS),
        Patch(StateTaskServiceSfn, "_normalise_parameters", _normalise_parameters),
        Patch(StateTaskServiceSfn, "_normalise_response", _normalise_response),
        Patch(ResultWriter, "_eval_body", _write_results),
        Patch(distributed_map, "EventManager", lambda original: _ItemRunEvents),
    ]
