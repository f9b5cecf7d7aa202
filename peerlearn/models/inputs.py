"""Field types shared by the Create/Update input models, so every form and API body cleans text the same way.

- ``Title``, ``PersonName`` and the other trimmed texts: whitespace is stripped before the length check,
  so a title of only spaces is refused (422) instead of being stored empty.
- ``Currency``: upper-cased ISO code from the set money.SUPPORTED_CURRENCIES; "XYZ" is refused.
- ``RowId``: a database id in the range of the id columns, INTEGER (1..2**31-1) on PostgreSQL and
  SQLite alike; a larger number cannot name a row, and PostgreSQL would refuse to compare it (a 500).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from peerlearn.money import supported_currency

MAX_ROW_ID = 2**31 - 1  # primary keys are sa.Integer (alembic 0001): 32-bit on PostgreSQL


def _trimmed(min_length: int, max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


# Trimmed text of a given length range, one name per kind of field.
Title = Annotated[str, _trimmed(3, 200)]
LongText = Annotated[str, _trimmed(0, 10_000)]
SkillName = Annotated[str, _trimmed(1, 80)]
CategoryName = Annotated[str, _trimmed(0, 80)]
LanguageName = Annotated[str, _trimmed(2, 32)]
PersonName = Annotated[str, _trimmed(1, 120)]
Bio = Annotated[str, _trimmed(0, 4000)]
Headline = Annotated[str, _trimmed(0, 200)]
ChatText = Annotated[str, _trimmed(1, 2000)]
ReviewText = Annotated[str, _trimmed(0, 4000)]


Currency = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, min_length=3, max_length=3),
    AfterValidator(supported_currency),
]
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
