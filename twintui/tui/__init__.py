"""The terminal UI (Textual). It calls the core; the core never imports it."""
