"""Who may use the account pages, the dashboards and the health check."""


from ..access_table import OK, POST_ONLY_PUBLIC, PUBLIC, PUBLIC_REDIRECTS_MEMBERS, REDIRECT, SIGNED_IN, Entry

ENTRIES: dict[str, Entry] = {
    # Accounts
    "login": PUBLIC_REDIRECTS_MEMBERS,
    "logout": POST_ONLY_PUBLIC,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": Entry(
        anonymous=OK, members=OK, outsider=OK,
        kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"},
    ),
    "password_reset_complete": PUBLIC,
    "healthz": PUBLIC,
    "favicon": Entry(anonymous=REDIRECT, members=REDIRECT, outsider=REDIRECT),
    # Dashboards
    "dashboards:home": SIGNED_IN,
    "dashboards:due": SIGNED_IN,  # everyone sees only what is due for them
    "dashboards:switch": SIGNED_IN,
    "dashboards:session_keep_alive": SIGNED_IN,
    "dashboards:account": SIGNED_IN,
}
