from dashboard.views.sql import render

render()
