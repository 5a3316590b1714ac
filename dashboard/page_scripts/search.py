from dashboard.views.search import render

render()
