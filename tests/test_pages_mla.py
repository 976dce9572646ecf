"""The exams a candidate chooses from: MLS-C01 says it was retired; MLA-C01 is listed beside it
once active."""

import pytest
from django.urls import reverse

from questions.models import Exam

pytestmark = pytest.mark.django_db

RETIRED = "AWS retired the real MLS-C01 exam on 2026-03-31"


def test_mls_c01_home_card_and_exam_page_say_it_was_retired(candidate_client, mls_blueprint):
    assert str(mls_blueprint.retired_on) == "2026-03-31"
    assert RETIRED in candidate_client.get("/").content.decode()
    page = candidate_client.get(reverse("attempts:exam", args=["MLS-C01"])).content.decode()
    assert RETIRED in page


def test_mla_c01_is_listed_beside_mls_c01_once_active(candidate_client, mls_blueprint):
    Exam.objects.filter(code="MLA-C01").update(is_active=False)
    assert "MLA-C01</span>" not in candidate_client.get("/").content.decode()
    Exam.objects.filter(code="MLA-C01").update(is_active=True)
    home = candidate_client.get("/").content.decode()
    assert 'tag">MLS-C01</span>' in home and 'tag">MLA-C01</span>' in home
    page = candidate_client.get(reverse("attempts:exam", args=["MLA-C01"])).content.decode()
    assert "AWS retired" not in page and "18" in page  # domain 1's share of 65
