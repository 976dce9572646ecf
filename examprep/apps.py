from django.apps import AppConfig


class ExamprepConfig(AppConfig):
    name = "examprep"

    def ready(self):
        from examprep import checks  # noqa: F401  (registers the checks)
