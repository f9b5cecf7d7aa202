"""/api/admin/...: KPIs with their definitions, CSV export, churn predictions, marketing spend (admins only)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from peerlearn.api.deps import DB, Admin, route
from peerlearn.api.errors import AUTHENTICATED
from peerlearn.insights import churn, kpis
from peerlearn.models.inputs import Currency

router = APIRouter(tags=["admin"])


class SpendIn(BaseModel):
    month: date
    amount_minor: int = Field(ge=0, le=2**31 - 1)  # an INTEGER column
    currency: Currency


@route(router, "GET", "/api/admin/kpis/", response_model=kpis.KpiReport, responses=AUTHENTICATED)
def kpi_report(admin: Admin, db: DB, start: datetime | None = None, end: datetime | None = None) -> kpis.KpiReport:
    return kpis.cached_kpi_report(start, end, db=db)


@route(router, "GET", "/api/admin/kpis/export/", responses=AUTHENTICATED)
def kpi_export(admin: Admin, db: DB, start: datetime | None = None, end: datetime | None = None) -> Response:
    return Response(
        kpis.report_csv(kpis.cached_kpi_report(start, end, db=db)),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="peerlearn-kpis.csv"'},
    )


@route(router, "GET", "/api/admin/predictions/churn/", responses=AUTHENTICATED)
def churn_predictions(admin: Admin, db: DB, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict:
    model, learners = churn.at_risk(db=db, limit=limit)
    return {
        "enough_data": model.enough_data,
        "message": model.message,
        "evaluation": model.figures,
        "at_risk": learners,
    }


@route(router, "POST", "/api/admin/marketing-spend/", status_code=201, responses=AUTHENTICATED)
def marketing_spend(data: SpendIn, admin: Admin, db: DB) -> dict:
    row = kpis.record_marketing_spend(data.month, data.amount_minor, data.currency, db=db)
    return {"month": row.month.isoformat(), "amount_minor": row.amount_minor, "currency": row.currency}
