from django.urls import path

from attempts import drill_views, review_views, views

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
    path("exams/<slug:code>/drills/", drill_views.drills_home, name="drills"),
    path("exams/<slug:code>/drills/start/", drill_views.drill_start, name="drill_start"),
    path("attempts/<int:pk>/answers/", review_views.answers, name="answers"),
    path(
        "attempts/<int:pk>/answers/<int:position>/",
        review_views.answer_detail,
        name="answer_detail",
    ),
    path(
        "attempts/<int:pk>/answers/<int:position>/why/<int:choice>/",
        review_views.why_not,
        name="why_not",
    ),
    path(
        "attempts/<int:pk>/answers/<int:position>/report/",
        review_views.report_problem,
        name="report",
    ),
]
