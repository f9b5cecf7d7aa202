"""/api/admin/...: KPIs with their definitions, CSV export, churn predictions, marketing spend (admins only)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from peerlearn.api.deps import DB, Admin, route
from peerlearn.insights import churn, kpis

router = APIRouter(tags=["admin"])


class SpendIn(BaseModel):
    month: date
    amount_minor: int = Field(ge=0)
    currency: str = Field(min_length=3, max_length=3)


@route(router, "GET", "/api/admin/kpis/", response_model=kpis.KpiReport)
def kpi_report(admin: Admin, db: DB, start: datetime | None = None, end: datetime | None = None) -> kpis.KpiReport:
    return kpis.cached_kpi_report(start, end, db=db)


@route(router, "GET", "/api/admin/kpis/export/")
def kpi_export(admin: Admin, db: DB, start: datetime | None = None, end: datetime | None = None) -> Response:
    return Response(
        kpis.report_csv(kpis.cached_kpi_report(start, end, db=db)),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="peerlearn-kpis.csv"'},
    )


@route(router, "GET", "/api/admin/predictions/churn/")
def churn_predictions(admin: Admin, db: DB, limit: int = 20) -> dict:
    model, learners = churn.at_risk(db=db, limit=max(1, min(limit, 200)))
    return {
        "enough_data": model.enough_data,
        "message": model.message,
        "evaluation": model.figures,
        "at_risk": learners,
    }


@route(router, "POST", "/api/admin/marketing-spend/", status_code=201)
def marketing_spend(data: SpendIn, admin: Admin, db: DB) -> dict:
    row = kpis.record_marketing_spend(data.month, data.amount_minor, data.currency, db=db)
    return {"month": row.month.isoformat(), "amount_minor": row.amount_minor, "currency": row.currency}
