# One image for every step function when the built-in engines run inside Lambda
# (cdk context engines=builtin), and for the steps that need packages beyond boto3.
# The function's CMD names its handler (steps.<module>.handler). Built by `cdk deploy`.
FROM public.ecr.aws/lambda/python:3.13
# The runtime set pinned in pyproject.toml (the versions the tests ran with), without the project itself.
COPY pyproject.toml README.md LICENSE /tmp/src/
RUN pip install --no-cache-dir /tmp/src && pip uninstall --yes health-data-masking && rm -rf /tmp/src
# steps/ as it is in the tree, data files (word lists, OCR settings) included, first on sys.path.
COPY steps ${LAMBDA_TASK_ROOT}/steps
