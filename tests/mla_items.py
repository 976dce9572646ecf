"""Hand-written MLA-C01 items of the new kinds, in the bank file format (FORMAT.md)."""

CASE = {
    "key": "mla-cs-t1",
    "title": "Claims triage at an insurer",
    "scenario": "An insurer trains a **claims-triage** model on data in Amazon S3 and "
    "deploys it with SageMaker AI.",
}

REFS = [{"title": "SageMaker AI Developer Guide", "url": "https://docs.aws.amazon.com/sagemaker/"}]


def base(key, kind="single", **overrides):
    data = {
        "key": key,
        "domain": 3,
        "task_statement": "3.3",
        "services": ["Amazon SageMaker"],
        "topics": [],
        "kind": kind,
        "stem": f"Stem of {key}.",
        "explanation": f"Explanation of {key}: why the key is right.",
        "references": REFS,
        "status": "published",
    }
    data.update(overrides)
    return data


def ordering(key="mla-ord-1", **overrides):
    steps = [
        {"text": "Register the model version", "rationale": "First: a version to deploy."},
        {"text": "Approve it in the registry", "rationale": "Second: approval triggers."},
        {"text": "Deploy to a staging endpoint", "rationale": "Third: test before prod."},
        {"text": "Shift traffic to production", "rationale": "Last: after the tests."},
    ]
    return base(key, "ordering", choices=steps, **overrides)


def matching(key="mla-mat-1", **overrides):
    prompts = [
        {"text": "Detect data drift", "match": "SageMaker Model Monitor", "rationale": "R1."},
        {"text": "Explain predictions", "match": "SageMaker Clarify", "rationale": "R2."},
        {"text": "Profile training jobs", "match": "SageMaker Debugger", "rationale": "R3."},
    ]
    responses = [
        "SageMaker Clarify",
        "SageMaker Debugger",
        "SageMaker Model Monitor",
        "SageMaker Ground Truth",
    ]
    return base(key, "matching", choices=prompts, responses=responses, **overrides)


def single(key="mla-sgl-1", **overrides):
    choices = [
        {"text": "Use SageMaker Pipelines", "correct": True, "rationale": "Managed."},
        {"text": "Use cron on EC2", "correct": False, "rationale": "Ops.", "role": "rule_out"},
        {"text": "Use AWS Batch", "correct": False, "rationale": "No ML.", "role": "rule_out"},
        {"text": "Use Step Functions", "correct": False, "rationale": "More work.",
         "role": "close_call"},
    ]  # fmt: skip
    fields = {"kind": "single", "select_count": 1, "choices": choices, **overrides}
    return base(key, **fields)


def bank(*items, case_studies=(CASE,)):
    return {"exam": "MLA-C01", "case_studies": list(case_studies), "questions": list(items)}
