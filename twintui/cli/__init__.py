"""The ``twintui`` command line: ``main`` parses and runs; one module per command group."""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
