"""Screen 3, memoranda of understanding: the list of arrangements (``picker``) and the editor of one
MoU pushed over it (``editor``), with its panes, tables, forms, dialogs, review panel and Gantt chart."""
