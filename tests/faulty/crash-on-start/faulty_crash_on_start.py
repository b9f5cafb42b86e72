"""Fails while starting (a missing configuration value)."""


def create_app() -> object:
    raise RuntimeError("CREDIT_ENGINE_LICENSE_KEY is not set")
