"""Prefect flows and the CLI; the only package that reads configuration."""

import os

# Project defaults for Prefect, set before Prefect is imported: this machine class has no internet, so no
# telemetry, and no update checks. A user's own environment variables still win.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_CLI_PROMPT", "false")
