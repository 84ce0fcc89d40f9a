"""The pages of mappings, courses, role profiles and gap analysis, one module per thing."""

from .courses import course_create, course_edit, course_list
from .gaps import gap_analysis
from .mappings import mapping_import, mapping_remove, mappings
from .role_profiles import (
    role_profile,
    role_profile_add,
    role_profile_item_edit,
    role_profile_item_remove,
)

__all__ = [
    "course_create",
    "course_edit",
    "course_list",
    "gap_analysis",
    "mapping_import",
    "mapping_remove",
    "mappings",
    "role_profile",
    "role_profile_add",
    "role_profile_item_edit",
    "role_profile_item_remove",
]
