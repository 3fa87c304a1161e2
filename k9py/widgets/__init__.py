"""k9py's widgets: the virtual resource table, header, crumbs, flash and prompt."""
