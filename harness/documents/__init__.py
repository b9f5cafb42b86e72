"""Typed output documents: every file the harness writes for someone else to read (verdict.json, the bundle
manifest, replay files, campaign.json, the certificate payload) is a pydantic model with a
``schema_version``; readers parse through these models, never with ``dict.get``. Their JSON Schemas are
exported to ``schemas/`` in the repository (``sandbox schema --documents``).

    base          Document (extra="forbid"), DocumentError, parse_document / read_document / write_document
    verdict       verdict.json (VerdictDocument)
    bundle        bundle.json (BundleManifest), environment.json (EnvironmentDocument)
    replay        replay/<REQ-ID>.json (ReplayDocument)
    campaign      campaign.json (CampaignDocument)
    certificate   the in-toto Statement's predicate of a certificate (CertificatePredicate)
    export        their JSON Schemas (export_schemas)
"""
