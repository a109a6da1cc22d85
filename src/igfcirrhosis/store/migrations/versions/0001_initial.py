"""Initial tables: patients, assessments, cohorts, jobs.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(80), nullable=False, unique=True),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("taken_at", _TS, nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
    )
    op.create_index("ix_assessments_patient_id", "assessments", ["patient_id"])
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("stored_name", sa.String(200), nullable=False),
        sa.Column("n_rows", sa.Integer, nullable=False),
        sa.Column("n_issues", sa.Integer, nullable=False),
        sa.Column("validation", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("cohort_id", sa.Integer, sa.ForeignKey("cohorts.id"), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("out_name", sa.String(200), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("finished_at", _TS, nullable=True),
    )
    op.create_index("ix_jobs_kind", "jobs", ["kind"])


def downgrade() -> None:
    op.drop_index("ix_jobs_kind", "jobs")
    op.drop_table("jobs")
    op.drop_table("cohorts")
    op.drop_index("ix_assessments_patient_id", "assessments")
    op.drop_table("assessments")
    op.drop_table("patients")
