"""Command groups of the command line, one module each (see twintui.cli.COMMAND_MODULES)."""
