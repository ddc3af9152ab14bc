"""Screen 4, the risk register: the list with its form (screen) and the heat map."""
