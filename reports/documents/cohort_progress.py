"""The cohort progress report: the progress matrix (trainees x role-profile competencies, the
level reached against the target in every cell, as text so it reads in greyscale), then each
trainee's attainment, protected study time planned against taken, and progress reviews.

Shows what the person it is produced for may see of the cohort (a manager: the trainees they
manage). A fixed number of queries whatever the size: the matrix's (competencies.evidence.
selectors.progress_matrix), the enrolments with their study figures, the reviews.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from competencies.evidence.selectors import COUNTED_STATUSES, Matrix, progress_matrix
from programmes.models import Cohort, Membership
from trainees.models import Enrolment, ProgressReview
from trainees.selectors import StudyTime, cohort_enrolments, study_time_of

# Competency columns per matrix table: what fits a landscape A4 page with the trainee's name
# and a level name in every cell at a readable size. Wider profiles continue in another table.
COLUMNS_PER_TABLE = 8


@dataclass
class MatrixPart:
    first: int  # 1-based number of its first competency, for "competencies 9 to 16"
    last: int
    columns: list
    rows: list[tuple[object, list]]  # (matrix row, its cells in this part)


@dataclass
class TraineeProgress:
    enrolment: Enrolment
    met: int
    study: StudyTime
    reviews: list[ProgressReview]


def present_at(review: ProgressReview) -> str:
    who = [name for name, here in (("trainee", review.trainee_present), ("manager", review.manager_present),
                                   ("tutor", review.tutor_present)) if here]
    return ", ".join(who).capitalize() or "Not recorded"


@dataclass
class CohortProgress:
    cohort: Cohort
    generated_on: date
    matrix: Matrix
    parts: list[MatrixPart]
    trainees: list[TraineeProgress]

    @property
    def competency_count(self) -> int:
        return self.matrix.competency_count


def split_columns(matrix: Matrix, most: int = COLUMNS_PER_TABLE) -> list[MatrixPart]:
    """Tables of at most ``most`` columns, balanced (26 competencies: 7, 7, 7, 5 rather than
    8, 8, 8, 2), so no table is a couple of stretched columns."""
    tables = max(1, -(-len(matrix.columns) // most))
    size = max(1, -(-len(matrix.columns) // tables))
    parts = []
    for start in range(0, len(matrix.columns), size):
        end = min(start + size, len(matrix.columns))
        parts.append(MatrixPart(
            first=start + 1, last=end, columns=matrix.columns[start:end],
            rows=[(row, row.cells[start:end]) for row in matrix.rows],
        ))
    return parts


def gather(cohort: Cohort, *, membership: Membership, today: date | None = None) -> CohortProgress:
    """``cohort`` with its programme and organisation loaded; the caller has checked the person
    may see it."""
    today = today or timezone.localdate()
    matrix = progress_matrix(cohort=cohort, membership=membership)
    enrolments = list(
        cohort_enrolments(membership=membership, cohort=cohort)
        .filter(status__in=COUNTED_STATUSES)
        .order_by("trainee__last_name", "trainee__first_name", "pk")
    )
    reviews: dict[int, list[ProgressReview]] = defaultdict(list)
    for review in ProgressReview.objects.filter(enrolment__in=[e.pk for e in enrolments]).order_by("held_on", "pk"):
        review.present = present_at(review)
        reviews[review.enrolment_id].append(review)
    met = {row.enrolment.pk: row.met_count for row in matrix.rows}
    return CohortProgress(
        cohort=cohort, generated_on=today, matrix=matrix, parts=split_columns(matrix),
        trainees=[
            TraineeProgress(enrolment=e, met=met.get(e.pk, 0), study=study_time_of(e, today), reviews=reviews[e.pk])
            for e in enrolments
        ],
    )
