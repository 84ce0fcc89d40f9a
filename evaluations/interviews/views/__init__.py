"""Pages for instruments, evaluation stages and interviews."""

from .instruments import instrument_detail, instrument_edit, instrument_list
from .interviews import interview_detail, interview_record, my_interviews
from .stages import (
    cohort_stages,
    programme_plan,
    stage_close,
    stage_create,
    stage_detail,
    stage_edit,
    stage_open,
    stages_defaults,
)

__all__ = [
    "cohort_stages", "instrument_detail", "instrument_edit", "instrument_list",
    "interview_detail", "interview_record", "my_interviews", "programme_plan", "stage_close",
    "stage_create", "stage_detail", "stage_edit", "stage_open", "stages_defaults",
]
