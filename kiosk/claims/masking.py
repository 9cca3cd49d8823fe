"""Masking personal data for display to anyone but staff (张*明, 4405**********1234)."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keep the first and last character: 张明 -> 张*, 张三明 -> 张*明, 欧阳小明 -> 欧**明."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(id_number: str) -> str:
    """Keep the first four (province and city) and the last four characters."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678: keep the network prefix and the last four digits."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_bank_account(account: str) -> str:
    """Only the last four digits: 尾号 1234 is what banks themselves show."""
    digits = "".join(ch for ch in account if ch.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return "**** " + digits[-4:]
