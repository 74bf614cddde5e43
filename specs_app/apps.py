from django.apps import AppConfig


class SpecsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "specs_app"
    verbose_name = "Specs"

    def ready(self) -> None:
        from specs_app.preview import workers

        workers.follow_render_workers_setting()
