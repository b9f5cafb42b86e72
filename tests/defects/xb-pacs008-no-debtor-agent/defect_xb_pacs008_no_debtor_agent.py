"""Seeded defect for GZ-XB-008: Builds pacs.008 without the debtor agent (DbtrAgt)."""

import xml.etree.ElementTree as ET

from xborder_payments import iso20022

_agent = iso20022._agent


def agent_except_debtor(parent: ET.Element, tag: str, bic: str) -> None:
    # Defect: "our own BIC is implied" - the mandatory DbtrAgt is never written.
    if tag != "DbtrAgt":
        _agent(parent, tag, bic)


iso20022._agent = agent_except_debtor


def create_app() -> object:
    from xborder_payments.api import XBorderApp

    return XBorderApp()
