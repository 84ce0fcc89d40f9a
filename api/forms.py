from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example, 'ESR cohort feed'. Only you see this.",
    )
    membership = forms.TypedChoiceField(
        label="Act as",
        coerce=int,
        help_text="The token sees and does only what you may in this role.",
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.get_role_display()}, {m.organisation.name}") for m in memberships
        ]
