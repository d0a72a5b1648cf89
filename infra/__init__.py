"""The AWS side: a CDK v2 app that deploys statemachine/ and steps/ (see docs/deploy.md)."""
