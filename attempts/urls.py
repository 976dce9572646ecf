from django.urls import path

from attempts import views

app_name = "attempts"

urlpatterns = [
    path("exams/<slug:code>/", views.exam_detail, name="exam"),
    path("exams/<slug:code>/start/", views.exam_start, name="start"),
    path("attempts/<int:pk>/q/<int:position>/", views.question, name="question"),
    path("attempts/<int:pk>/q/<int:position>/answer/", views.answer, name="answer"),
    path("attempts/<int:pk>/clock/", views.clock, name="clock"),
    path("attempts/<int:pk>/review/", views.review, name="review"),
    path("attempts/<int:pk>/finish/", views.finish, name="finish"),
    path("attempts/<int:pk>/results/", views.results, name="results"),
]
