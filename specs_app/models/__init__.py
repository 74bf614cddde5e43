"""SpecPortal's data, one module per area; every model is importable from here."""

from specs_app.models.accounts import AccountSettings, EmailNotifications
from specs_app.models.git import RepositoryConnection, SpecUpstream, SyncJob
from specs_app.models.review import (
    AnchorState,
    Attention,
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
    SectionOwner,
    Spec,
    SpecSection,
    SpecStatus,
    SpecTemplate,
    TemplateSection,
    name_validator,
    validate_spec_name,
)
from specs_app.models.stamps import ChangeStamp
from specs_app.models.tokens import ApiToken

__all__ = [
    "NAME_PATTERN",
    "RESERVED_SPEC_NAMES",
    "AccountSettings",
    "AnchorState",
    "ApiToken",
    "Attention",
    "ChangeStamp",
    "Comment",
    "CommentAnchor",
    "CommentKind",
    "EmailNotifications",
    "Notification",
    "Project",
    "RepositoryConnection",
    "RepositoryFile",
    "Review",
    "Revision",
    "SectionOwner",
    "Spec",
    "SpecSection",
    "SpecStatus",
    "SpecTemplate",
    "SpecUpstream",
    "SyncJob",
    "TemplateSection",
    "ThreadState",
    "Vote",
    "name_validator",
    "validate_spec_name",
]
