"""Screen 5, the quarterly returns: the tracker (screen, tracker), the export and import forms, and
the import preview."""
