"""The local HTTP API: the deployed routes and bodies, served on one machine.

``create_app`` builds the ASGI application (Starlette); ``hdm serve`` runs it with
uvicorn. Requests are validated against api/schemas/*.json, the same JSON Schemas
the CDK app gives API Gateway as request models.
"""
