from dashboard.views.review import render

render()
