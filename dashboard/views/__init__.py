"""Page bodies; the files in dashboard/page_scripts only call their `render`."""
