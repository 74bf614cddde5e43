"""Serializer fields for spec-sized text, and for reading a page of objects fast."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from operator import attrgetter
from typing import Any
from urllib.parse import quote

from django.core.exceptions import FieldDoesNotExist
from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, SlugRelatedField
from rest_framework.validators import ProhibitSurrogateCharactersValidator

_SURROGATE = re.compile("[\ud800-\udfff]")


class SpecTextField(serializers.CharField):
    """A CharField for whole specs: no trimming, and a surrogate check at C speed.

    DRF's own surrogate check walks the text character by character in
    Python, which costs more than rendering a short spec.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitSurrogateCharactersValidator)
        ]
        self.validators.append(self._refuse_surrogates)

    @staticmethod
    def _refuse_surrogates(value: str) -> None:
        match = _SURROGATE.search(value)
        if match:
            raise serializers.ValidationError(
                f"The text contains an unpaired surrogate character U+{ord(match.group()):X}; "
                "it is not valid Unicode text."
            )


# Reading: URLs by formatting, and a serializer read path without DRF's per-field generality.

# What reverse() leaves unquoted in a URL's arguments (django.urls.resolvers._reverse_with_prefix).
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


@extend_schema_field(OpenApiTypes.STR)
class ObjectUrlField(serializers.Field):
    """The object's URL, as ``reverse(viewname, kwargs=...)`` gives it, for a page of objects.

    ``arguments`` maps each URL argument to the object's attribute (dotted for
    a related object's). reverse() resolves the pattern again for every call
    (a tenth of a millisecond, a third of serialising a spec in a list); this
    reverses once per process and script prefix, with stand-ins, and formats.
    """

    def __init__(self, viewname: str, *, arguments: dict[str, str], **kwargs: Any) -> None:
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)
        self.viewname = viewname
        self.arguments = {name: attrgetter(path) for name, path in arguments.items()}

    def to_representation(self, value: Any) -> str:
        template = _url_template(get_script_prefix(), self.viewname, tuple(self.arguments))
        return template.format_map(
            {name: quote(str(get(value)), safe=_URL_SAFE) for name, get in self.arguments.items()}
        )


@functools.cache
def _url_template(script_prefix: str, viewname: str, names: tuple[str, ...]) -> str:
    # Stand-ins every URL pattern here accepts (digits, for an id), found nowhere else in the URL.
    stand_ins = {name: f"{987654321 + index}" for index, name in enumerate(names)}
    url = reverse(viewname, kwargs=stand_ins).replace("{", "{{").replace("}", "}}")
    for name, stand_in in stand_ins.items():
        url = url.replace(stand_in, f"{{{name}}}")
    return url


class FastReadMixin:
    """A ModelSerializer's ``to_representation`` that reads plain fields directly; same output.

    DRF reads every field of every object through its generic path (dotted
    sources, callables, relations, skipping); for a page of specs that is most
    of the request. Fields whose reading is known (a model column, a
    foreign key's id or slug, a many-to-many's slugs, an ObjectUrlField) are
    read from the object; any other field (a method field, a nested
    serializer) goes through DRF as before.
    """

    def to_representation(self, instance: Any) -> dict[str, Any]:
        plan = self.__dict__.get("_read_plan")
        if plan is None:
            plan = self.__dict__["_read_plan"] = [_reader(field) for field in self._readable_fields]  # type: ignore[attr-defined]
        data: dict[str, Any] = {}
        for name, read, field in plan:
            if read is None:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                checked = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                data[name] = None if checked is None else field.to_representation(attribute)
            else:
                data[name] = read(instance)
        return data


Reader = Callable[[Any], Any]


def _reader(field: serializers.Field) -> tuple[str, Reader | None, serializers.Field]:
    """(name, a function reading the field's value from an object or None for DRF's way, the field)."""
    return field.field_name, _direct_reader(field), field  # type: ignore[return-value]


# DRF fields whose to_representation is cheap and plain: called as is on the column's value.
_CONVERTED = (
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.DateTimeField,
    serializers.ChoiceField,
)


def _direct_reader(field: serializers.Field) -> Reader | None:
    if isinstance(field, ObjectUrlField):
        return field.to_representation
    source, parent = field.source, field.parent
    if not source or source == "*" or "." in source or not isinstance(parent, serializers.ModelSerializer):
        return None
    try:
        model: Any = parent.Meta.model
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:  # an attribute set on the object (a search's snippet): DRF's way
        return None
    kind = type(field)
    if isinstance(field, serializers.ManyRelatedField) and type(field.child_relation) is SlugRelatedField:
        slug = field.child_relation.slug_field
        return lambda value: [getattr(item, slug) for item in getattr(value, source).all()]
    if (
        isinstance(field, PrimaryKeyRelatedField)
        and kind is PrimaryKeyRelatedField
        and model_field.many_to_one
    ):
        return attrgetter(model_field.attname)  # the id column: DRF's own shortcut (use_pk_only_optimization)
    if isinstance(field, SlugRelatedField) and kind is SlugRelatedField and model_field.many_to_one:
        slug = field.slug_field

        def related_slug(value: Any) -> Any:
            related = getattr(value, source)
            return None if related is None else getattr(related, slug)

        return related_slug
    if model_field.is_relation:
        return None
    if kind.to_representation is serializers.CharField.to_representation:
        return lambda value: None if (got := getattr(value, source)) is None else str(got)
    if kind in _CONVERTED:
        convert = field.to_representation
        return lambda value: None if (got := getattr(value, source)) is None else convert(got)
    return None
