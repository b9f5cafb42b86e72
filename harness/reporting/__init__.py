"""Reporting: console (rich), Allure labels and attachments, verdict.json."""
