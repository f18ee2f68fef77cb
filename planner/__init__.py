"""Strategy Planner: turn a local public-services strategy into a delivery plan."""

__version__ = "0.1.0"
APP_NAME = "Strategy Planner"
