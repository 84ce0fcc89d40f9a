"""The Care Certificate: 15 standards (2015) and 16 (the 2025 update)."""

FAMILY = "care-certificate"
SHORT_NAME = "Care Certificate"
TAXONOMIES = ("standard",)

STANDARDS_2015 = (
    "Understand your role",
    "Your personal development",
    "Duty of care",
    "Equality and diversity",
    "Work in a person-centred way",
    "Communication",
    "Privacy and dignity",
    "Fluids and nutrition",
    "Awareness of mental health, dementia and learning disabilities",
    "Safeguarding adults",
    "Safeguarding children",
    "Basic life support",
    "Health and safety",
    "Handling information",
    "Infection prevention and control",
)

# The 2025 update renames standards 4 and 9 and adds 16.
STANDARDS_2025 = (
    *STANDARDS_2015[:3],
    "Equality, diversity, inclusion and human rights",
    *STANDARDS_2015[4:8],
    "Awareness of mental health and dementia",
    *STANDARDS_2015[9:],
    "Awareness of learning disability and autism",
)

VERSIONS = {
    "2015": {
        "id_number": "CARE-CERTIFICATE-2015",
        "id_prefix": "CC2015-S",
        "standards": STANDARDS_2015,
        "description": (
            "The 15 standards that health and social care support workers new to care meet in "
            "their induction, developed by Skills for Care, Skills for Health and Health "
            "Education England."
        ),
        "source": "Skills for Care, Skills for Health and Health Education England: "
        "The Care Certificate (2015)",
        "source_note": (
            "Standard numbers and titles only, from Ladder's reference data. The standards' "
            "outcomes and assessment criteria are not included: add them from the published "
            "standards if you assess against them in Ladder."
        ),
    },
    "2025": {
        "id_number": "CARE-CERTIFICATE-2025",
        "id_prefix": "CC2025-S",
        "standards": STANDARDS_2025,
        "description": (
            "The 2025 update of the Care Certificate: 16 standards. Standard 4 becomes "
            "Equality, diversity, inclusion and human rights; standard 9 becomes Awareness of "
            "mental health and dementia; standard 16, Awareness of learning disability and "
            "autism, is new."
        ),
        "source": "Skills for Care and partners: Care Certificate standards, 2025 update "
        "(publisher unverified)",
        "source_note": (
            "Standard numbers and titles only, from Ladder's reference data; the exact titles "
            "and publisher of the 2025 update are unverified against the published standards. "
            "Outcomes and assessment criteria are not included."
        ),
    },
}

LICENCE_NOTE = (
    "The Care Certificate standards are published for use across health and social care "
    "(Skills for Care). Ladder holds only their numbers and titles. Check the publisher's "
    "current terms before reproducing the full standards (licence unverified)."
)
