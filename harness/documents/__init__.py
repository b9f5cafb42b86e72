"""Typed output documents: every file the harness writes for someone else to read (verdict.json, the bundle
manifest, replay files, campaign.json, the certificate payload) is a pydantic model with a
``schema_version``; readers parse through these models, never with ``dict.get``. Their JSON Schemas are
exported to ``schemas/`` in the repository (``sandbox schema --documents``)."""
