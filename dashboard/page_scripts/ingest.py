from dashboard.views.ingest import render

render()
