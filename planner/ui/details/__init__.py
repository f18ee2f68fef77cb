"""The details panel: the selected action in full, one part per tab."""

from planner.ui.details.panel import DetailsPanel

__all__ = ["DetailsPanel"]
