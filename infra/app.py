"""The CDK app: `npx cdk synth` (cdk.json runs this module) or `python -m infra.app`."""

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks

from infra.nag import acknowledge
from infra.settings import from_context
from infra.stack import HealthDataMaskingStack

STACK_NAME = "HealthDataMasking"


def build(app: cdk.App) -> HealthDataMaskingStack:
    """The stack with both cdk-nag packs as validation plugins: a finding not acknowledged fails the synth."""
    stack = HealthDataMaskingStack(app, STACK_NAME, settings=from_context(app.node),
                                   description="Health Data Masking: find and mask PHI in text and images")
    acknowledge(stack)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), HIPAASecurityChecks(app))
    return stack


def main() -> None:
    app = cdk.App()
    build(app)
    app.synth()


if __name__ == "__main__":
    main()
