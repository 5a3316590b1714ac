"""Page bodies; the files in dashboard/pages only call their `render`."""
