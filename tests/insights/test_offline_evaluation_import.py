"""An offline evaluation's JSON can be recorded and is what the dashboards show."""

import json

from peerlearn.cli import main
from peerlearn.insights.kpis import kpi_report
from peerlearn.ui.format.insights import offline_rows

FIGURES = {
    "k": 10,
    "users": 3,
    "cold_users": 1,
    "engine": {
        "precision@10": 0.1,
        "recall@10": 0.5,
        "ndcg@10": 0.31,
        "hit_rate@10": 0.66,
        "coverage": 0.4,
        "diversity": 0.5,
    },
    "engine_cold": {"ndcg@10": 0.2, "recall@10": 0.3, "hit_rate@10": 0.25, "coverage": 0.1},
    "baselines": {"popular": {"ndcg@10": 0.12, "recall@10": 0.2, "hit_rate@10": 0.33, "coverage": 0.05}},
}


def test_import_evaluation_feeds_the_dashboard(db, tmp_path):
    path = tmp_path / "eval.json"
    path.write_text(json.dumps(FIGURES))
    assert main(["import-evaluation", str(path)]) == 0
    shown = kpi_report(None, None, db=db).recommender["offline_evaluation"]
    assert shown["engine"]["ndcg@10"] == 0.31
    rows = [row.cells for row in offline_rows(shown)]
    assert [cells[0] for cells in rows] == ["engine", "engine (new learners)", "popular"]
    assert rows[0][1] == "0.310" and rows[2][3] == "0.330"
