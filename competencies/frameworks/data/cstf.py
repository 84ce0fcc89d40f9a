"""The Core Skills Training Framework: the 11 statutory and mandatory training subjects."""

ID_NUMBER = "CSTF"
SHORT_NAME = "Core Skills Training Framework"
FAMILY = "cstf"
VERSION = ""
TAXONOMIES = ("subject",)

DESCRIPTION = (
    "The statutory and mandatory training subjects that health and care organisations align "
    "their training to, so that it is recognised when staff move between them."
)
SOURCE = "Skills for Health: Core Skills Training Framework (statutory and mandatory training)"
LICENCE_NOTE = (
    "Published by Skills for Health. Ladder holds only the subject names. Check Skills for "
    "Health's current terms before reproducing the framework's learning outcomes (licence "
    "unverified)."
)
SOURCE_NOTE = (
    "The 11 subject names from Ladder's reference data. The framework's version, each "
    "subject's learning outcomes and refresher periods are not recorded (unverified): set a "
    "reassessment period on a subject once you have checked it."
)

SUBJECTS = (
    ("CSTF-CONFLICT-RESOLUTION", "Conflict resolution"),
    ("CSTF-EQUALITY-DIVERSITY-HUMAN-RIGHTS", "Equality, diversity and human rights"),
    ("CSTF-FIRE-SAFETY", "Fire safety"),
    ("CSTF-HEALTH-SAFETY-WELFARE", "Health, safety and welfare"),
    ("CSTF-INFECTION-PREVENTION-CONTROL", "Infection prevention and control"),
    ("CSTF-INFORMATION-GOVERNANCE", "Information governance and data security"),
    ("CSTF-MOVING-HANDLING", "Moving and handling"),
    ("CSTF-PREVENTING-RADICALISATION", "Preventing radicalisation"),
    ("CSTF-RESUSCITATION", "Resuscitation"),
    ("CSTF-SAFEGUARDING-ADULTS", "Safeguarding adults"),
    ("CSTF-SAFEGUARDING-CHILDREN", "Safeguarding children"),
)
