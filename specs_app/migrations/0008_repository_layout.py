"""Specs at their repository paths: a spec's name (its lineage) and path, re-proposals,
template variants and paths, the repository's other files, and the implemented status."""

import django.core.validators
import django.db.models.deletion
import specs_app.models.specs
from django.conf import settings
from django.db import migrations, models


def name_and_path_from_slug(apps, schema_editor):
    # Until now a spec's file was specs/<release>/<slug>.rst and its slug was its name.
    Spec = apps.get_model("specs_app", "Spec")
    for spec in Spec.objects.only("pk", "slug", "release").iterator():
        Spec.objects.filter(pk=spec.pk).update(name=spec.slug, path=f"specs/{spec.release}/{spec.slug}.rst")


class Migration(migrations.Migration):

    dependencies = [
        ('specs_app', '0007_project_gate_preset'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RepositoryFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('path', models.CharField(max_length=300)),
                ('kind', models.CharField(choices=[('link', 'Symbolic link'), ('stand_in', 'Stand-in for another file'), ('index', 'Index page'), ('redirects', 'Redirects'), ('unimported', 'Spec that could not be imported'), ('other', 'Other file')], default='other', max_length=20)),
                ('content', models.BinaryField()),
                ('executable', models.BooleanField(default=False)),
                ('note', models.TextField(blank=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['project', 'path'],
            },
        ),
        migrations.AlterModelOptions(
            name='spectemplate',
            options={'ordering': ['project', 'release', 'variant']},
        ),
        migrations.RemoveConstraint(
            model_name='spectemplate',
            name='one_template_per_project_release',
        ),
        migrations.AddField(
            model_name='project',
            name='spec_path_pattern',
            field=models.CharField(default='specs/{release}/{name}.rst', help_text="Where a new spec's file goes in the repository; {release} and {name} are filled in.", max_length=200, validators=[specs_app.models.specs.validate_path_pattern]),
        ),
        migrations.AddField(
            model_name='spec',
            name='name',
            field=models.CharField(default='', help_text="The spec's file name without .rst, usually its Launchpad blueprint's name.", max_length=100, validators=[django.core.validators.RegexValidator('\\A[A-Za-z0-9][A-Za-z0-9._+-]*\\Z', 'Use letters, digits, dots, dashes, underscores or plus signs, starting with a letter or digit.'), specs_app.models.specs.validate_spec_name]),
        ),
        migrations.AddField(
            model_name='spec',
            name='path',
            field=models.CharField(default='', max_length=300),
        ),
        migrations.AddField(
            model_name='spec',
            name='proposed_from',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reproposals', to='specs_app.spec'),
        ),
        migrations.AddField(
            model_name='spectemplate',
            name='path',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='spectemplate',
            name='variant',
            field=models.CharField(blank=True, help_text='Empty for the standard template; a name such as “spec-lite” for another kind of spec.', max_length=50, validators=[django.core.validators.RegexValidator('\\A[A-Za-z0-9][A-Za-z0-9._+-]*\\Z', 'Use letters, digits, dots, dashes, underscores or plus signs, starting with a letter or digit.')]),
        ),
        migrations.RunPython(name_and_path_from_slug, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='spec',
            name='name',
            field=models.CharField(help_text="The spec's file name without .rst, usually its Launchpad blueprint's name.", max_length=100, validators=[django.core.validators.RegexValidator('\\A[A-Za-z0-9][A-Za-z0-9._+-]*\\Z', 'Use letters, digits, dots, dashes, underscores or plus signs, starting with a letter or digit.'), specs_app.models.specs.validate_spec_name]),
        ),
        migrations.AlterField(
            model_name='spec',
            name='path',
            field=models.CharField(max_length=300),
        ),
        migrations.AlterField(
            model_name='spec',
            name='slug',
            field=models.CharField(help_text="The spec's address in SpecPortal, unique in its project.", max_length=100, validators=[django.core.validators.RegexValidator('\\A[A-Za-z0-9][A-Za-z0-9._+-]*\\Z', 'Use letters, digits, dots, dashes, underscores or plus signs, starting with a letter or digit.'), specs_app.models.specs.validate_spec_name]),
        ),
        migrations.AlterField(
            model_name='spec',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('approved', 'Approved'), ('merged', 'Merged'), ('implemented', 'Implemented'), ('abandoned', 'Abandoned')], default='draft', max_length=20),
        ),
        migrations.AddIndex(
            model_name='spec',
            index=models.Index(fields=['project', 'name'], name='spec_lineage'),
        ),
        migrations.AddConstraint(
            model_name='spec',
            constraint=models.UniqueConstraint(fields=('project', 'path'), name='one_spec_per_project_path'),
        ),
        migrations.AddConstraint(
            model_name='spectemplate',
            constraint=models.UniqueConstraint(fields=('project', 'release', 'variant'), name='one_template_per_project_release_variant'),
        ),
        migrations.AddField(
            model_name='repositoryfile',
            name='project',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='repository_files', to='specs_app.project'),
        ),
        migrations.AddConstraint(
            model_name='repositoryfile',
            constraint=models.UniqueConstraint(fields=('project', 'path'), name='one_repository_file_per_project_path'),
        ),
    ]
