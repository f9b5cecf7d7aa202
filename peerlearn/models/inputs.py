"""Field types shared by the Create/Update input models, so every form and API body cleans text the same way.

- ``Text(min, max)``: surrounding whitespace is stripped before the length check, so a title of only
  spaces is refused (422) instead of being stored empty.
- ``Currency``: upper-cased ISO code from the set money.SUPPORTED_CURRENCIES; "XYZ" is refused.
- ``RowId``: a database id in the range of the id columns, INTEGER (1..2**31-1) on PostgreSQL and
  SQLite alike; a larger number cannot name a row, and PostgreSQL would refuse to compare it (a 500).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from peerlearn.money import supported_currency

MAX_ROW_ID = 2**31 - 1  # primary keys are sa.Integer (alembic 0001): 32-bit on PostgreSQL


def Text(min_length: int = 0, max_length: int | None = None) -> type[str]:
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)]


Currency = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, min_length=3, max_length=3),
    AfterValidator(supported_currency),
]
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
