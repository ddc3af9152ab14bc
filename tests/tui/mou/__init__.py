"""Pilot tests of screen 3, mirroring twintui/tui/mou/."""
