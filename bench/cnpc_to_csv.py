"""Convert the Canvas Network Person-Course data to the recommender's generic CSVs.

Data: Canvas Network, "Canvas Network Person-Course (1/2014 - 9/2015)
De-Identified Open Dataset", Harvard Dataverse, doi:10.7910/DVN/1XORAL,
licensed CC BY 4.0. Keep this attribution wherever derived results are shown.

The zip is read in place (never unzipped into the repository). Output:

- ``items.csv``: ``item_id,tags,start_at,title,description,mentor_id``
  (a course; tags are its discipline and a course-length band; start is the
  first day of its start quarter).
- ``interactions.csv``: ``user_id,item_id,timestamp,viewed,explored,grade``
  (one registration, dated by its registration quarter ``start_time_DI``, or
  by the course's start quarter when that is missing: the data offers no finer
  time. A few learners registered a quarter ahead, so an upcoming course can
  carry early bookings before the cut, as an upcoming session does).
- ``users.csv``: ``user_id,tags,as_of`` from the learner's self-reported
  attributes (education, age band, primary reason, expected hours), when any
  is given; ``as_of`` is the earliest registration that carried them. The
  entry survey ran in some courses only, so attributes first seen in a
  test-period course would leak that course: the evaluation drops
  profiles with ``as_of`` at or after its cut.

Usage: ``python bench/cnpc_to_csv.py [--data DIR_OR_ZIP] [--out DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "cnpc"
DEFAULT_OUT = REPO_ROOT / "bench" / "out" / "cnpc"
ATTRIBUTION = (
    "Data: Canvas Network Person-Course (1/2014-9/2015) De-Identified Open Dataset, "
    "Harvard Dataverse, doi:10.7910/DVN/1XORAL, CC BY 4.0."
)

_QUARTER_MONTH = {"Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10}
_MISSING = {"", "{}", "*", "missing", "Missing"}


def quarter_to_date(text: str) -> str | None:
    """'2015 Q2' -> '2015-04-01' (None when the field is empty)."""
    parts = text.strip().split()
    if len(parts) != 2 or parts[1] not in _QUARTER_MONTH:
        return None
    return f"{int(parts[0]):04d}-{_QUARTER_MONTH[parts[1]]:02d}-01"


def length_band(days_text: str) -> str:
    """Course length in days -> a coarse band usable as a tag."""
    try:
        days = int(float(days_text))
    except ValueError:
        return "length unknown"
    if days <= 28:
        return "up to 4 weeks"
    if days <= 42:
        return "5-6 weeks"
    if days <= 63:
        return "7-9 weeks"
    if days <= 112:
        return "10-16 weeks"
    return "over 16 weeks"


def learner_tags(row: dict[str, str]) -> list[str]:
    """Self-reported learner attributes as profile tags (namespaced, so they never
    collide with course tags)."""
    tags = []
    for column, prefix in (
        ("LoE_DI", "education"),
        ("age_DI", "age"),
        ("primary_reason", "reason"),
        ("expected_hours_week", "hours"),
    ):
        value = row.get(column, "").strip().strip("{}")
        if value and value not in _MISSING:
            tags.append(f"{prefix}: {value}")
    return tags


def find_zip(data: Path) -> Path:
    if data.is_file():
        return data
    zips = sorted(data.glob("CNPC*.zip"))
    if not zips:
        raise SystemExit(f"no CNPC*.zip found in {data}")
    return zips[0]


def iter_rows(zip_path: Path):
    with zipfile.ZipFile(zip_path) as archive:
        names = [n for n in archive.namelist() if n.endswith(".csv") and not n.startswith("__MACOSX")]
        with archive.open(names[0]) as raw:
            yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def convert(data: Path, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    items: dict[str, dict[str, str]] = {}
    users: dict[str, tuple[str, list[str]]] = {}
    seen: set[tuple[str, str]] = set()
    with open(out / "interactions.csv", "w", newline="", encoding="utf-8") as inter_file:
        writer = csv.writer(inter_file)
        writer.writerow(["user_id", "item_id", "timestamp", "viewed", "explored", "grade"])
        for row in iter_rows(find_zip(data)):
            course, user = row["course_id_DI"], row["userid_DI"]
            start = quarter_to_date(row["course_start"])
            if start is None:
                continue
            if course not in items:
                discipline = row["discipline"].strip() or "Unknown discipline"
                band = length_band(row["course_length"])
                items[course] = {
                    "item_id": course,
                    "tags": f"{discipline}|{band}",
                    "start_at": start,
                    "title": f"{discipline} course ({band})",
                    "description": "",
                    "mentor_id": "",
                }
            registered = quarter_to_date(row.get("start_time_DI", "")) or start
            tags = learner_tags(row)
            if tags and (user not in users or registered < users[user][0]):
                users[user] = (registered, tags)
            if (user, course) in seen:
                continue
            seen.add((user, course))
            writer.writerow([user, course, registered, row["viewed"], row["explored"], row["grade"]])
    with open(out / "items.csv", "w", newline="", encoding="utf-8") as item_file:
        writer = csv.DictWriter(item_file, fieldnames=list(next(iter(items.values())).keys()))
        writer.writeheader()
        writer.writerows(items.values())
    with open(out / "users.csv", "w", newline="", encoding="utf-8") as user_file:
        writer = csv.writer(user_file)
        writer.writerow(["user_id", "tags", "as_of"])
        for user, (as_of, tags) in users.items():
            writer.writerow([user, "|".join(tags), as_of])
    return {"interactions": len(seen), "items": len(items), "users_with_tags": len(users)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the CNPC zip, or the zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder for the CSVs")
    args = parser.parse_args(argv)
    counts = convert(args.data, args.out)
    print(f"wrote {args.out}: {counts}")
    print(ATTRIBUTION)
    return 0


if __name__ == "__main__":
    sys.exit(main())
