"""ISO 20022 pacs.008.001.08 (FI to FI customer credit transfer) built with the XML standard library.

Data minimisation (JR/T 0171-2020): the message carries what settlement and the travel rule need (names,
accounts, agents, address, one identifier, date and place of birth) and nothing else: no phone, no card.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

VERSION = "pacs.008.001.08"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _agent(parent: ET.Element, tag: str, bic: str) -> None:
    _sub(_sub(_sub(parent, tag), "FinInstnId"), "BICFI", bic)


def _account(parent: ET.Element, tag: str, account: str) -> None:
    _sub(_sub(_sub(_sub(parent, tag), "Id"), "Othr"), "Id", account[:34])


def _party(parent: ET.Element, tag: str, party: dict[str, Any], *, identify: bool) -> None:
    element = _sub(parent, tag)
    _sub(element, "Nm", party["name"][:140])
    address = party.get("address", "").strip()
    if address or party.get("country"):
        postal = _sub(element, "PstlAdr")
        if party.get("country"):
            _sub(postal, "Ctry", party["country"])
        for start in range(0, min(len(address), 490), 70):
            _sub(postal, "AdrLine", address[start:start + 70])
    if identify:
        _identification(element, party)


def _identification(element: ET.Element, party: dict[str, Any]) -> None:
    birth = party.get("birth_date") and party.get("birth_place")
    others = [(party[k], code) for k, code in (("national_id", "NIDN"), ("person_id", "CUST")) if party.get(k)]
    if not birth and not others:
        return
    private = _sub(_sub(element, "Id"), "PrvtId")
    if birth:
        born = _sub(private, "DtAndPlcOfBirth")
        _sub(born, "BirthDt", party["birth_date"])
        _sub(born, "CityOfBirth", party["birth_place"][:35])
        _sub(born, "CtryOfBirth", party.get("country", "CN"))
    for value, code in others:
        other = _sub(private, "Othr")
        _sub(other, "Id", value[:35])
        _sub(_sub(other, "SchmeNm"), "Cd", code)


def pacs008(payment: dict[str, Any], amount: str, *, message_id: str, created: datetime, debtor_agent: str) -> str:
    """The pacs.008 document for one executed payment (amount already in the currency's minor units)."""
    ET.register_namespace("", f"urn:iso:std:iso:20022:tech:xsd:{VERSION}")
    ns = f"{{urn:iso:std:iso:20022:tech:xsd:{VERSION}}}"
    doc = ET.Element("Document")
    transfer = _sub(doc, "FIToFICstmrCdtTrf")
    header = _sub(transfer, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created.isoformat(timespec="seconds"))
    _sub(header, "NbOfTxs", "1")
    _sub(_sub(header, "SttlmInf"), "SttlmMtd", "INDA")
    tx = _sub(transfer, "CdtTrfTxInf")
    ids = _sub(tx, "PmtId")
    _sub(ids, "InstrId", payment["payment_id"])
    _sub(ids, "EndToEndId", payment["payment_id"])
    _sub(tx, "IntrBkSttlmAmt", amount, Ccy=payment["currency"])
    _sub(tx, "IntrBkSttlmDt", created.date().isoformat())
    _sub(tx, "ChrgBr", "SHAR")
    originator, beneficiary = payment["originator"], payment["beneficiary"]
    _party(tx, "Dbtr", originator, identify=True)
    _account(tx, "DbtrAcct", originator["account"])
    _agent(tx, "DbtrAgt", originator.get("agent_bic", debtor_agent))
    _agent(tx, "CdtrAgt", beneficiary["agent_bic"])
    _party(tx, "Cdtr", beneficiary, identify=False)
    _account(tx, "CdtrAcct", beneficiary["account"])
    if payment.get("purpose"):
        _sub(_sub(tx, "RmtInf"), "Ustrd", payment["purpose"][:140])
    _qualify(doc, ns)
    return ET.tostring(doc, encoding="unicode", xml_declaration=False)


def _qualify(doc: ET.Element, ns: str) -> None:
    """Put every element (built with bare tags) in the pacs.008 namespace."""
    for element in doc.iter():
        if not element.tag.startswith("{"):
            element.tag = ns + element.tag
