"""Loading exam blueprints and the AWS service list from fixtures/ (idempotent; what an
instructor changed in the admin is kept unless --force)."""

import json
from pathlib import Path

from django.db import transaction

from questions.blueprint import weights_problem
from questions.models import Domain, Exam, Service, TaskStatement, Topic

EXAM_FIELDS = (
    "title", "question_count", "duration_minutes", "accommodation_minutes", "pass_share",
    "scaled_min", "scaled_pass", "scaled_max", "is_active", "notes", "retired_on",
)  # fmt: skip


def _seed(model, force: bool, defaults: dict, **lookup):
    """Create the row if it is missing. An existing row keeps what an instructor made of it in
    the admin (a renamed domain, a changed duration) unless `force` takes the fixture's values."""
    if force:
        return model.objects.update_or_create(defaults=defaults, **lookup)[0]
    return model.objects.get_or_create(defaults=defaults, **lookup)[0]


@transaction.atomic
def blueprint_load(data: dict, *, force: bool = False) -> Exam:
    """Create one exam with its domains, task statements and topics, adding what is missing."""
    problem = weights_problem([int(domain["weight_percent"]) for domain in data["domains"]])
    if problem:
        raise ValueError(f"{data['code']}: {problem}")
    exam_values = {name: data[name] for name in EXAM_FIELDS if name in data}
    exam = _seed(Exam, force, exam_values, code=data["code"])
    for domain_data in data["domains"]:
        domain_values = {
            "title": domain_data["title"],
            "weight_percent": domain_data["weight_percent"],
        }
        domain = _seed(Domain, force, domain_values, exam=exam, number=domain_data["number"])
        for task in domain_data.get("task_statements", []):
            _seed(TaskStatement, force, {"text": task["text"]}, domain=domain, code=task["code"])
    for topic in data.get("topics", []):
        _seed(Topic, force, {"title": topic["title"]}, exam=exam, code=topic["code"])
    return exam


@transaction.atomic
def services_load(data: dict, *, force: bool = False) -> int:
    for service in data["services"]:
        _seed(Service, force, {"name": service["name"]}, slug=service["slug"])
    return len(data["services"])


def fixtures_load(directory: Path, *, force: bool = False) -> list[str]:
    """Load services.json and every blueprints/*.json under `directory`."""
    loaded = []
    services_path = directory / "services.json"
    if services_path.exists():
        count = services_load(json.loads(services_path.read_text(encoding="utf-8")), force=force)
        loaded.append(f"{count} AWS services")
    for path in sorted((directory / "blueprints").glob("*.json")):
        exam = blueprint_load(json.loads(path.read_text(encoding="utf-8")), force=force)
        loaded.append(f"blueprint {exam.code} ({exam.domains.count()} domains)")
    return loaded
