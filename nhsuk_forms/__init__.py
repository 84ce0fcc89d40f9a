"""NHS.UK frontend (v10) form rendering: a django-crispy-forms template pack ("nhsuk", in
templates/nhsuk/), a day/month/year date input, and error-summary template tags."""
