"""twintui: the Twinning Register and its tools in a terminal."""

__version__ = "0.1.0"
