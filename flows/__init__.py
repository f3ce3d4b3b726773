"""Prefect flows and the `clippings` command line: they call into spiders and warehouse."""
