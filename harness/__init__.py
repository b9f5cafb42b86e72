"""Fintech regulatory-sandbox certification harness.

Layering (each layer imports only the ones above it)::

    profiles, manifests        data: YAML → validated models (+ digests)
    contracts                  one OpenAPI document + thin client per capability
    strategies                 Hypothesis strategies for the data products receive
    checks                     @check functions: contract + profile parameters, nothing about runners
    runners                    in-process / docker: give an HTTP transport; nothing about finance
    session, verdict           run requirements, decide CERTIFIED / WITH FINDINGS / NOT CERTIFIED
    reporting, evidence        console, verdict.json, JUnit, Allure; bundle, certificate
    pytest_plugin, cli         entry points

Checks never import runners; runners never import checks; the verdict knows levels, not HTTP.
"""

__version__ = "0.1.0"
