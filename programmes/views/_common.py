"""Small helpers shared by the programme views."""

PAGE_SIZE = 25
