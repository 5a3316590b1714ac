from dashboard.views.themes import render

render()
