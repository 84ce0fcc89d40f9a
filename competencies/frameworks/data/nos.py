"""A selection of National Occupational Standards relevant to support roles: Skills for
Health (SFH + suite + number) and one social care standard (SCDHSC). The NOS code is the ID
number: it is the standard's own stable identifier."""

ID_NUMBER = "NOS-SUPPORT-ROLES"
SHORT_NAME = "National Occupational Standards for support roles (selection)"
FAMILY = "nos-support-roles"
VERSION = ""
TAXONOMIES = ("standard",)

DESCRIPTION = (
    "National occupational standards often used for healthcare support worker roles: clinical "
    "health skills (CHS), general healthcare (GEN), infection prevention and control (IPC), "
    "perioperative care support (PCS), psychological therapies (PT), and a social care "
    "standard (SCDHSC)."
)
SOURCE = (
    "Skills for Health national occupational standards; SCDHSC0218 from the social care "
    "standards (Skills for Care and Development); as listed on the UK NOS database"
)
LICENCE_NOTE = (
    "National occupational standards are published on the UK NOS database for free use in "
    "designing roles, training and assessment; they may be Crown copyright or belong to the "
    "standard-setting body. Check the current licence before reproducing a standard's full "
    "text (licence unverified)."
)
SOURCE_NOTE = (
    "A selection of 18 standards, codes and titles from Ladder's reference data. Titles and "
    "versions are unverified against the current NOS database: standards are revised, "
    "renumbered and sometimes retired."
)

STANDARDS = (
    ("SFHCHS19", "Undertake routine clinical measurements"),
    (
        "SFHCHS11",
        "Undertake personal hygiene for individuals who require additional support to care for themselves",  # noqa: E501
    ),
    ("SFHCHS7", "Obtain and test specimens from individuals"),
    ("SFHCHS132", "Obtain venous blood samples"),
    ("SFHCHS4", "Undertake tissue viability risk assessment for individuals"),
    ("SFHCHS6", "Move and position individuals"),
    ("SFHCHS10", "Undertake stoma care"),
    ("SFHCHS12", "Undertake treatments and dressings related to the care of lesions and wounds"),
    (
        "SFHCHS17",
        "Carry out extended feeding techniques to ensure individuals' nutritional and fluid intake",
    ),
    ("SFHCHS35", "Provide first aid to an individual needing emergency assistance"),
    ("SFHCHS78", "Administer oxygen safely and effectively"),
    ("SFHGEN97", "Communicate effectively in a healthcare environment"),
    ("SFHGEN62", "Collate and communicate health information to individuals"),
    ("SFHGEN20", "Enable carers to support individuals"),
    ("SFHIPC6", "Use personal protective equipment to prevent the spread of infection"),
    ("SFHPCS6", "Measure and record patients' body fluid output"),
    ("SCDHSC0218", "Support individuals with their personal care needs"),
    ("SFHPT05", "Foster and maintain a therapeutic alliance in cognitive and behavioural therapy"),
)
