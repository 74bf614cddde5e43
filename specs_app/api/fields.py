"""Serializer fields for spec-sized text."""

from __future__ import annotations

import re

from rest_framework import serializers
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
