"""The plan's vocabulary: plain Python, no database and no Qt."""

from planner.domain.vocab import (
    DEFAULT_RAG_DEFINITIONS,
    PartnerRole,
    ProposalState,
    RaciRole,
    RagDefinition,
    ReturnRule,
    Sector,
    Status,
)

__all__ = [
    "DEFAULT_RAG_DEFINITIONS",
    "PartnerRole",
    "ProposalState",
    "RaciRole",
    "RagDefinition",
    "ReturnRule",
    "Sector",
    "Status",
]
