"""Seeded defect for NAT-CREDIT-012: Normalises text fields before validating: a null field crashes with a 500."""

from typing import Any

from rural_microloan.api import CreditApp


class App(CreditApp):
    def validate(self, body: Any) -> dict[str, Any]:
        if isinstance(body, dict) and isinstance(body.get("applicant"), dict):
            applicant = body["applicant"]
            for key in ("gender", "ethnicity", "marital_status", "occupation", "region_code"):
                if key in applicant:
                    # Defect: normalises before validating; None.strip() raises → the server answers 500.
                    applicant[key] = applicant[key].strip().lower()
        return super().validate(body)


def create_app() -> object:
    return App()
