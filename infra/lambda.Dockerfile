# One image for every step function when the built-in engines run inside Lambda
# (cdk context engines=builtin), and for the steps that need packages beyond boto3.
# The function's CMD names its handler (steps.<module>.handler). Built by `cdk deploy`.
FROM public.ecr.aws/lambda/python:3.13
# The steps' set only (requirements/steps.txt, the versions the tests ran with): the local
# runtime's set (moto, the server) is not needed in Lambda.
COPY requirements/steps.txt /tmp/steps.txt
RUN pip install --no-cache-dir -r /tmp/steps.txt && rm /tmp/steps.txt
# steps/ as it is in the tree, data files (word lists, OCR settings) included, first on sys.path.
COPY steps ${LAMBDA_TASK_ROOT}/steps
