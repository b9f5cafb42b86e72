"""Reporting: console (rich), verdict.json (outputs), Allure labels, categories and the report's verdict header
(allure), Allure results rewritten for a reader and citations (allure_results), the one-page summary and its
signature block (summary), the campaign summary (campaign_summary), inline SVG charts (charts), and the tools
reports need, set up on demand (tools; browser.mjs opens a report from disk in headless chromium)."""
