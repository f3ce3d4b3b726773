"""Prefect flows and the `clippings` command line: they call into spiders and warehouse."""
import os

# Before Prefect is imported, wherever these flows run (CLI, `python -m flows.crawl_flow`, a
# worker's run): no telemetry, which on a machine with no route out only logs errors.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
