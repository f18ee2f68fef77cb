"""Read-only questions asked of a plan: filtered actions, rows for views, summaries."""

from planner.queries.actions import ActionFilter, ActionRow, action_rows, filter_actions
from planner.queries.summary import (
    MilestoneRow,
    PlanCounts,
    PlanSummary,
    RagCount,
    milestone_rows,
    plan_counts,
    plan_summary,
    theme_rag_counts,
)

__all__ = [
    "ActionFilter",
    "ActionRow",
    "MilestoneRow",
    "PlanCounts",
    "PlanSummary",
    "RagCount",
    "action_rows",
    "filter_actions",
    "milestone_rows",
    "plan_counts",
    "plan_summary",
    "theme_rag_counts",
]
