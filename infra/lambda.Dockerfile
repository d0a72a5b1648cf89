# One image for every step function when the built-in engines run inside Lambda
# (cdk context engines=builtin), or for steps that need packages beyond boto3.
# The function's CMD names its handler (steps.<module>.handler). Built by `cdk deploy`.
FROM public.ecr.aws/lambda/python:3.13
COPY pyproject.toml README.md LICENSE /tmp/src/
COPY steps /tmp/src/steps
# The project with its pinned runtime set (pyproject.toml), so the image matches the tested versions.
RUN pip install --no-cache-dir /tmp/src && rm -rf /tmp/src
