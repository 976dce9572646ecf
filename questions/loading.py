"""Loading exam blueprints and the AWS service list from fixtures/ (idempotent)."""

import json
from pathlib import Path

from django.db import transaction

from questions.blueprint import weights_problem
from questions.models import Domain, Exam, Service, TaskStatement, Topic

EXAM_FIELDS = (
    "title", "question_count", "duration_minutes", "accommodation_minutes", "pass_share",
    "scaled_min", "scaled_pass", "scaled_max", "is_active", "notes", "retired_on",
)  # fmt: skip


@transaction.atomic
def blueprint_load(data: dict) -> Exam:
    """Create or update one exam with its domains, task statements and topics."""
    problem = weights_problem([int(domain["weight_percent"]) for domain in data["domains"]])
    if problem:
        raise ValueError(f"{data['code']}: {problem}")
    exam, _ = Exam.objects.update_or_create(
        code=data["code"],
        defaults={name: data[name] for name in EXAM_FIELDS if name in data},
    )
    for domain_data in data["domains"]:
        domain, _ = Domain.objects.update_or_create(
            exam=exam,
            number=domain_data["number"],
            defaults={
                "title": domain_data["title"],
                "weight_percent": domain_data["weight_percent"],
            },
        )
        for task in domain_data.get("task_statements", []):
            TaskStatement.objects.update_or_create(
                domain=domain, code=task["code"], defaults={"text": task["text"]}
            )
    for topic in data.get("topics", []):
        Topic.objects.update_or_create(
            exam=exam, code=topic["code"], defaults={"title": topic["title"]}
        )
    return exam


@transaction.atomic
def services_load(data: dict) -> int:
    for service in data["services"]:
        Service.objects.update_or_create(slug=service["slug"], defaults={"name": service["name"]})
    return len(data["services"])


def fixtures_load(directory: Path) -> list[str]:
    """Load services.json and every blueprints/*.json under `directory`."""
    loaded = []
    services_path = directory / "services.json"
    if services_path.exists():
        count = services_load(json.loads(services_path.read_text(encoding="utf-8")))
        loaded.append(f"{count} AWS services")
    for path in sorted((directory / "blueprints").glob("*.json")):
        exam = blueprint_load(json.loads(path.read_text(encoding="utf-8")))
        loaded.append(f"blueprint {exam.code} ({exam.domains.count()} domains)")
    return loaded
