"""SpecPortal's data, one module per area; every model is importable from here."""

from specs_app.models.review import (
    AnchorState,
    Comment,
    CommentAnchor,
    CommentKind,
    Notification,
    Review,
    Revision,
    ThreadState,
    Vote,
)
from specs_app.models.specs import (
    NAME_PATTERN,
    RESERVED_SPEC_NAMES,
    Project,
    RepositoryFile,
    Spec,
    SpecSection,
    SpecStatus,
    SpecTemplate,
    TemplateSection,
    name_validator,
    validate_spec_name,
)
from specs_app.models.tokens import ApiToken

__all__ = [
    "NAME_PATTERN",
    "RESERVED_SPEC_NAMES",
    "AnchorState",
    "ApiToken",
    "Comment",
    "CommentAnchor",
    "CommentKind",
    "Notification",
    "Project",
    "RepositoryFile",
    "Review",
    "Revision",
    "Spec",
    "SpecSection",
    "SpecStatus",
    "SpecTemplate",
    "TemplateSection",
    "ThreadState",
    "Vote",
    "name_validator",
    "validate_spec_name",
]
