"""A project's git repository, what SpecPortal last saw of each spec there, and sync jobs."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('specs_app', '0010_approval_rule'),
    ]

    operations = [
        migrations.CreateModel(
            name='RepositoryConnection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.CharField(help_text='What git clones: an https:// or ssh:// URL, or a path on the server.', max_length=500)),
                ('branch', models.CharField(default='master', max_length=100)),
                ('push_target', models.CharField(choices=[('review', 'For review: refs/for/<branch> (Gerrit)'), ('branch', 'The branch itself')], default='review', max_length=10)),
                ('synced_commit', models.CharField(blank=True, max_length=40)),
                ('synced_at', models.DateTimeField(blank=True, null=True)),
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='repository', to='specs_app.project')),
            ],
        ),
        migrations.CreateModel(
            name='SpecUpstream',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('change_id', models.CharField(blank=True, max_length=41)),
                ('commit', models.CharField(blank=True, max_length=40)),
                ('blob', models.CharField(blank=True, max_length=40)),
                ('matched_version', models.PositiveIntegerField(blank=True, null=True)),
                ('conflict_text', models.TextField(blank=True)),
                ('conflict_commit', models.CharField(blank=True, max_length=40)),
                ('pushed_commit', models.CharField(blank=True, max_length=40)),
                ('pushed_ref', models.CharField(blank=True, max_length=200)),
                ('push_message', models.TextField(blank=True)),
                ('spec', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='upstream', to='specs_app.spec')),
            ],
        ),
        migrations.CreateModel(
            name='SyncJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10)),
                ('done', models.PositiveIntegerField(default=0)),
                ('total', models.PositiveIntegerField(default=0)),
                ('current_path', models.CharField(blank=True, max_length=300)),
                ('message', models.TextField(blank=True)),
                ('report', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sync_jobs', to='specs_app.project')),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
    ]
