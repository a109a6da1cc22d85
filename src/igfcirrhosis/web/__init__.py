"""The local web application (FastAPI + Jinja2): pages and the REST API under ``/api/v1``.

Build it with :func:`igfcirrhosis.web.app.create_app`; ``igfc serve`` runs it under uvicorn.
"""
