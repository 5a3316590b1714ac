from dashboard.views.lage import render

render()
