from dashboard.views.actors import render

render()
