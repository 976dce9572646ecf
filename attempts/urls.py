from django.urls import path

from attempts.views import drills, exam_room, progress, quick_mock, reports, results

app_name = "attempts"

urlpatterns = [
    path("exams/<slug:code>/", exam_room.exam_detail, name="exam"),
    path("exams/<slug:code>/start/", exam_room.exam_start, name="start"),
    path("exams/<slug:code>/quick/", quick_mock.quick_mock_start, name="quick_start"),
    path("attempts/<int:pk>/q/<int:position>/", exam_room.question, name="question"),
    path("attempts/<int:pk>/q/<int:position>/answer/", exam_room.answer, name="answer"),
    path("attempts/<int:pk>/clock/", exam_room.clock, name="clock"),
    path("attempts/<int:pk>/review/", exam_room.review, name="review"),
    path("attempts/<int:pk>/finish/", exam_room.finish, name="finish"),
    path("attempts/<int:pk>/results/", results.results, name="results"),
    path("reports/", reports.my_reports, name="my_reports"),
    path("exams/<slug:code>/drills/", drills.drills_home, name="drills"),
    path("exams/<slug:code>/progress/", progress.progress, name="progress"),
    path("exams/<slug:code>/drills/start/", drills.drill_start, name="drill_start"),
    path("attempts/<int:pk>/answers/", results.answers, name="answers"),
    path(
        "attempts/<int:pk>/answers/<int:position>/",
        results.answer_detail,
        name="answer_detail",
    ),
    path(
        "attempts/<int:pk>/answers/<int:position>/why/<int:choice>/",
        results.why_not,
        name="why_not",
    ),
    path(
        "attempts/<int:pk>/answers/<int:position>/note/",
        results.question_note,
        name="note",
    ),
    path(
        "attempts/<int:pk>/answers/<int:position>/report/",
        results.report_problem,
        name="report",
    ),
]
