"""What every screen family shares: the main and list screens, forms and their fields, the confirm,
conflict (merge), help and facet dialogs, the row table, the screen bar and the footer."""
