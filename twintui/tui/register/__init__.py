"""Screen 1, the Twinning Register: the list (screen), a record (record), its form with partners
(form), and the summary panel."""
