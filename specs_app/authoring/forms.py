"""The browser's forms: a new spec, and a spec's editor built from its sections.

Forms only parse input; the services validate and write. A service's
ValidationError is put back on the form with :func:`add_service_errors`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from specs_app import paths
from specs_app.authoring.blueprints import EXAMPLE as BLUEPRINT_EXAMPLE
from specs_app.authoring.blueprints import blueprint_name
from specs_app.authoring.services import SectionEdit, edited_document
from specs_app.models import Project, Spec, SpecSection
from specs_app.preview import preview
from specs_app.rst import document as rst_document
from specs_app.rst.template import TemplateError, parse_template


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def text_digest(text: str) -> str:
    """A short fingerprint of a field's text, blind to newline style and edge blank lines."""
    normalised = rst_document.normalise_newlines(text).strip()
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_SECTION_FIELD = re.compile(r"section-\d+")


def _textarea_rows(text: str, *, least: int = 4, most: int = 24) -> int:
    return max(least, min(most, text.count("\n") + 3))


class SpecCreateForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Give the spec a title: the blueprint's title, in a few words."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "Volume multi-attach"}),
    )
    blueprint_url = forms.CharField(
        label="Blueprint URL",
        max_length=200,
        error_messages={"required": "Give the spec's blueprint URL; its last part names the spec's file."},
        help_text=f"For example {BLUEPRINT_EXAMPLE}: the spec's file becomes awesome-thing.rst.",
        widget=forms.URLInput(attrs={"autocomplete": "off", "placeholder": BLUEPRINT_EXAMPLE}),
    )
    release = forms.CharField(
        max_length=50,
        error_messages={"required": "Name the release the spec targets, such as 2026.1."},
        help_text="The release the spec targets.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "2026.1"}),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def file_path(self) -> str:
        """Where the new spec's file goes, with what is known so far filled in."""
        values = self.data if self.is_bound else self.initial
        release = str(values.get("release") or "").strip() or "<release>"
        try:
            name = blueprint_name(str(values.get("blueprint_url") or "").strip())
        except ValidationError:
            name = ""
        return paths.spec_path(self.project.spec_path_pattern, release=release, name=name or "<name>")


@dataclass
class SectionField:
    """One spec section in the editor: its field, its guidance, its subsections."""

    section: SpecSection
    form: SpecEditForm
    children: list[SectionField] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"section-{self.section.pk}"

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def level(self) -> int:
        return self.section.level

    @property
    def field(self) -> forms.BoundField:
        return self.form[self.name]

    @property
    def in_template(self) -> bool:
        return self.section.template_section_id is not None

    @property
    def guidance_html(self) -> str:
        template_section = self.section.template_section
        return preview.guidance_html(template_section.guidance) if template_section else ""

    @property
    def conflict(self):
        return self.form.conflicts.get(self.name)


class SpecEditForm(forms.Form):
    """A spec's title, release and introduction, and one field per section.

    Each text field has two hidden companions: the version it was loaded at
    (the services refuse a save based on a stale one) and a digest of the text
    it was loaded with, so only the fields the author changed are sent and a
    co-author's save to another section is not overwritten.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = forms.CharField(max_length=200, error_messages={"required": "A spec needs a title."})
    release = forms.CharField(
        max_length=50, error_messages={"required": "Name the release the spec targets."}
    )
    intro = forms.CharField(
        label="Introduction",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"class": "rst-input", "spellcheck": "true"}),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        spec: Spec,
        sections: list[SpecSection] | None = None,
        **kwargs: Any,
    ) -> None:
        self.spec = spec
        self.sections = list(spec.sections.all()) if sections is None else sections
        self.conflicts: dict[str, object] = {}
        intro = rst_document.body_text(spec.intro)
        initial: dict[str, Any] = {
            "version": spec.version,
            "title": spec.title,
            "release": spec.release,
            "intro": intro,
        }
        super().__init__(data, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        for name in ("title", "release", "intro"):
            self._add_digest(name, initial[name])
        self.fields["intro"].widget.attrs["rows"] = _textarea_rows(intro, least=6)
        for section in self.sections:
            name = f"section-{section.pk}"
            text = section.text
            self.fields[name] = forms.CharField(
                label=section.title,
                required=False,
                strip=False,
                widget=forms.Textarea(
                    attrs={"class": "rst-input", "rows": _textarea_rows(text), "spellcheck": "true"}
                ),
            )
            self.initial.setdefault(name, text)
            self.fields[f"{name}-version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
            self.initial.setdefault(f"{name}-version", section.version)
            self._add_digest(name, text)

    def clean(self):
        cleaned = super().clean()
        if any(self[name].is_hidden for name in self.errors if name in self.fields):
            self.add_error(
                None,
                "This page is missing what it needs to save safely. "
                "Copy your text, reload the page and paste it back.",
            )
        if self.orphaned_texts():
            self.add_error(
                None,
                "Some sections you edited are no longer in this spec (it was replaced since you opened it). "
                "Your text for them is shown below: copy what you need into the sections it has now, "
                "then save again.",
            )
        return cleaned

    def orphaned_texts(self) -> list[str]:
        """Text the author changed in sections the spec no longer has; never dropped silently."""
        if not self.is_bound:
            return []
        texts = []
        for name in self.data:
            if not _SECTION_FIELD.fullmatch(name) or name in self.fields:
                continue
            text = rst_document.normalise_newlines(self.data.get(name, ""))
            if text.strip() and text_digest(text) != self.data.get(f"{name}-digest"):
                texts.append(text)
        return texts

    def _add_digest(self, name: str, text: str) -> None:
        self.fields[f"{name}-digest"] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial.setdefault(f"{name}-digest", text_digest(text))

    def conflict_data(self, current: SpecEditForm) -> dict[str, str]:
        """The data to show after a stale save: the author's edits on the current versions.

        ``current`` is an unbound form of the spec as it is now. Fields the
        author changed keep the author's text; the others show the current
        text. Versions and digests are the current ones, so saving again means
        "I have merged".
        """
        data: dict[str, str] = {}
        for name in current.fields:
            value = current.initial.get(name, "")
            if name == "version" or name.endswith(("-version", "-digest")):
                data[name] = str(value)
            elif name in self.fields and self.changed_by_author(name):
                data[name] = self.cleaned_data.get(name) or ""
            else:
                data[name] = value
        return data

    # Structure for the template

    def section_tree(self) -> list[SectionField]:
        """The sections as nested fields: each section holds the deeper ones after it."""
        roots: list[SectionField] = []
        open_parents: list[SectionField] = []
        for section in self.sections:
            node = SectionField(section, self)
            while open_parents and open_parents[-1].level >= node.level:
                open_parents.pop()
            (open_parents[-1].children if open_parents else roots).append(node)
            open_parents.append(node)
        return roots

    def section_fields(self) -> Iterator[SectionField]:
        def walk(nodes):
            for node in nodes:
                yield node
                yield from walk(node.children)

        return walk(self.section_tree())

    def intro_guidance_html(self) -> str:
        try:
            guidance = parse_template(self.spec.template.source).intro_guidance
        except TemplateError:
            return ""
        return preview.guidance_html(guidance)

    # Reading the author's input

    def changed_by_author(self, name: str) -> bool:
        """Whether the author changed the field since the page was loaded."""
        digest = self.cleaned_data.get(f"{name}-digest")
        return not digest or text_digest(self.cleaned_data.get(name) or "") != digest

    def update_arguments(self) -> dict:
        """Keyword arguments for ``services.update_spec`` from the cleaned data.

        A field the author did not touch keeps the spec's current text, so a
        save never writes back stale text someone else has since replaced.
        """
        data = self.cleaned_data
        spec = self.spec
        current_intro = rst_document.body_text(spec.intro)
        sections = {}
        for section in self.sections:
            name = f"section-{section.pk}"
            if self.changed_by_author(name):
                sections[section.pk] = SectionEdit(
                    text=data.get(name) or "", base_version=data[f"{name}-version"]
                )
        return {
            "base_version": data["version"],
            "title": data["title"] if self.changed_by_author("title") else spec.title,
            "release": data["release"] if self.changed_by_author("release") else spec.release,
            "intro": (data.get("intro") or "") if self.changed_by_author("intro") else current_intro,
            "sections": sections,
        }

    # The previews: the author's unsaved input, assembled on the server as saving it would be

    def assembled_document(self) -> rst_document.Document:
        """The spec with every field's text as the author sees it, put together by the save's own code."""
        data = self.cleaned_data
        return edited_document(
            spec=self.spec,
            sections=self.sections,
            title=data.get("title") or self.spec.title,
            intro=data.get("intro") or "",
            texts={section.pk: data.get(f"section-{section.pk}") or "" for section in self.sections},
        )

    def assembled_text(self) -> str:
        """The spec's .rst text with the author's unsaved input, for the preview."""
        return rst_document.assemble(self.assembled_document())

    def field_lines(self, document: rst_document.Document) -> list[dict[str, object]]:
        """Where each field's text is in ``document``'s text, to take a line of it back to its field.

        Per field, as the editor's script reads them: ``start``, the line of the field's
        first line of text; ``heading``, a section's heading line; ``leading``, the blank
        lines the author left above the text, which the assembly drops.
        """
        data = self.cleaned_data

        def dropped(text: str) -> int:
            cleaned = rst_document.clean_edited_text(text)
            return len(cleaned) - len(cleaned.lstrip("\n"))

        def blank_lines_above(body: str) -> int:
            return len(body) - len(body.lstrip("\n"))

        title_line = 1 + document.prologue.count("\n")
        intro_line = title_line + document.title_heading.count("\n") + blank_lines_above(document.intro)
        fields: list[dict[str, object]] = [
            {"name": "title", "label": "Title", "start": title_line},
            {
                "name": "intro",
                "label": "Introduction",
                "start": intro_line,
                "leading": dropped(data.get("intro") or ""),
            },
        ]
        numbered = rst_document.with_line_numbers(document).sections
        for section, part in zip(self.sections, numbered, strict=True):
            name = f"section-{section.pk}"
            fields.append(
                {
                    "name": name,
                    "label": section.title,
                    "heading": part.first_line,
                    "start": part.body_first_line + blank_lines_above(part.body),
                    "leading": dropped(data.get(name) or ""),
                }
            )
        return fields


class ReproposeForm(forms.Form):
    """The release to re-propose a spec for (``authoring.reproposal.repropose_spec``)."""

    release = forms.CharField(
        max_length=50,
        error_messages={"required": "Name the release to re-propose the spec for, such as 2026.2."},
        help_text="The spec is copied into this release's template; its earlier release keeps its own.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "repropose-releases"}),
    )
