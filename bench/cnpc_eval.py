"""CNPC protocol: train on enrolments before 2015 Q2, rank the courses starting
in 2015 Q2 or later (``--candidates upcoming``), report engine vs baselines.

    python bench/cnpc_eval.py [--data ../shared/data/cnpc/] [--out bench/out/cnpc] [--json bench/out/cnpc_eval.json]

Converts the zip with cnpc_to_csv.py (unless the CSVs are already there), then
runs ``python -m peerlearn.recommender.evaluate`` in-process.

Data: Canvas Network, "Canvas Network Person-Course (1/2014 - 9/2015)
De-Identified Open Dataset", Harvard Dataverse, doi:10.7910/DVN/1XORAL, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from cnpc_to_csv import ATTRIBUTION, DEFAULT_DATA, DEFAULT_OUT, convert

from peerlearn.recommender import evaluate

CUT = "2015-04-01"  # first day of 2015 Q2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--json", type=Path, default=HERE / "out" / "cnpc_eval.json")
    parser.add_argument("--reconvert", action="store_true")
    args = parser.parse_args(argv)
    if args.reconvert or not (args.out / "interactions.csv").exists():
        print(f"converting {args.data} -> {args.out}: {convert(args.data, args.out)}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    code = evaluate.main(
        [
            "--interactions",
            str(args.out / "interactions.csv"),
            "--items",
            str(args.out / "items.csv"),
            "--users",
            str(args.out / "users.csv"),
            "--cut",
            CUT,
            "--candidates",
            "upcoming",
            "--k",
            "10",
            "--json",
            str(args.json),
        ]
    )
    result = json.loads(args.json.read_text())
    result["data_attribution"] = ATTRIBUTION
    args.json.write_text(json.dumps(result, indent=2))
    print(f"figures written to {args.json}")
    print(ATTRIBUTION)
    return code


if __name__ == "__main__":
    sys.exit(main())
