from dashboard.views.article import render

render()
