"""Work-based evidence, assessors' sign-off, attainment, the cohort progress matrix and
delegation readiness."""
