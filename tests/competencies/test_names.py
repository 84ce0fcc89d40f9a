"""KSF items carry their dimension's name wherever a competency is named."""

from __future__ import annotations

from competencies.models import Competency, Framework


def test_a_ksf_level_is_named_with_its_dimension():
    level = Competency(framework=Framework(), id_number="KSF-C3-L2", short_name="Level 2")
    assert level.name == "Health, safety and security: Level 2"
    assert str(level) == "KSF-C3-L2 Health, safety and security: Level 2"


def test_other_competencies_keep_their_name():
    assert Competency(id_number="CC5", short_name="Work in a person-centred way").name == "Work in a person-centred way"
    dimension = Competency(id_number="KSF-C3", short_name="Health, safety and security")
    assert dimension.name == "Health, safety and security"
