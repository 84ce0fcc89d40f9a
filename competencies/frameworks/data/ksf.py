"""The NHS Knowledge and Skills Framework (2004): 6 core and 24 specific dimensions, each with
levels 1 to 4. A level is a child competency of its dimension ("KSF-HWB4-L2"), so a role
profile can ask for a dimension at a level by naming that level."""

ID_NUMBER = "NHS-KSF-2004"
SHORT_NAME = "NHS Knowledge and Skills Framework"
FAMILY = "nhs-ksf"
VERSION = "2004"
TAXONOMIES = ("dimension", "level")
LEVELS = (1, 2, 3, 4)

DESCRIPTION = (
    "30 dimensions, each described at four levels. A post outline holds all six core "
    "dimensions and the specific dimensions the post needs, each at a level."
)
SOURCE = (
    "Department of Health (2004): The NHS Knowledge and Skills Framework (NHS KSF) and the "
    "Development Review Process"
)
LICENCE_NOTE = (
    "Crown copyright (Department of Health). Crown copyright material can generally be reused "
    "under the Open Government Licence, but check the current terms before reproducing the "
    "framework's text (licence unverified)."
)
SOURCE_NOTE = (
    "Dimension codes and names from Ladder's reference data. Level titles are included only "
    "where a source gave them (C1, C2, C6 and HWB4 level 2); the ending of C1 level 4 is "
    "unverified. Every other level is named 'Level N' and marked 'Level title unverified': "
    "edit them against the published KSF."
)

GROUPS = {
    "C": "Core dimension",
    "HWB": "Specific dimension: health and wellbeing",
    "EF": "Specific dimension: estates and facilities",
    "IK": "Specific dimension: information and knowledge",
    "G": "Specific dimension: general",
}

DIMENSIONS = (
    ("C1", "Communication"),
    ("C2", "Personal and people development"),
    ("C3", "Health, safety and security"),
    ("C4", "Service improvement"),
    ("C5", "Quality"),
    ("C6", "Equality and diversity"),
    (
        "HWB1",
        "Promotion of health and wellbeing and prevention of adverse effects to health and wellbeing",  # noqa: E501
    ),
    ("HWB2", "Assessment and care planning to meet people's health and wellbeing needs"),
    ("HWB3", "Protection of health and wellbeing"),
    ("HWB4", "Enablement to address health and wellbeing needs"),
    ("HWB5", "Provision of care to meet health and wellbeing needs"),
    ("HWB6", "Assessment and treatment planning"),
    ("HWB7", "Interventions and treatments"),
    ("HWB8", "Biomedical investigation and intervention"),
    ("HWB9", "Equipment and devices to meet health and wellbeing needs"),
    ("HWB10", "Products to meet health and wellbeing needs"),
    ("EF1", "Systems, vehicles and equipment"),
    ("EF2", "Environments and buildings"),
    ("EF3", "Transport and logistics"),
    ("IK1", "Information processing"),
    ("IK2", "Information collection and analysis"),
    ("IK3", "Knowledge and information resources"),
    ("G1", "Learning and development"),
    ("G2", "Development and innovation"),
    ("G3", "Procurement and commissioning"),
    ("G4", "Financial management"),
    ("G5", "Services and project management"),
    ("G6", "People management"),
    ("G7", "Capacity and capability"),
    ("G8", "Public relations and marketing"),
)

# (dimension, level) -> title, where a source gave one.
LEVEL_TITLES = {
    ("C1", 1): "Communicate with a limited range of people on day-to-day matters",
    ("C1", 2): "Communicate with a range of people on a range of matters",
    ("C1", 3): "Develop and maintain communication with people about difficult matters and/or "
    "in difficult situations",
    ("C1", 4): "Develop and maintain communication with people on complex matters, issues and "
    "ideas and/or in complex situations",
    ("C2", 1): "Contribute to own personal development",
    ("C2", 2): "Develop own skills and knowledge and provide information to others to help "
    "their development",
    ("C2", 3): "Develop oneself and contribute to the development of others",
    ("C2", 4): "Develop oneself and others in areas of practice",
    ("C6", 1): "Act in ways that support equality and value diversity",
    ("C6", 2): "Support equality and value diversity",
    ("C6", 3): "Promote equality and value diversity",
    ("C6", 4): "Develop a culture that promotes equality and values diversity",
    ("HWB4", 2): "Enable people to meet ongoing health and wellbeing needs",
}

# Titles given, but not fully confirmed.
UNVERIFIED_TITLES = {
    ("C1", 4): "Level title's ending unverified against the published KSF",
}
UNVERIFIED_NOTE = "Level title unverified"
