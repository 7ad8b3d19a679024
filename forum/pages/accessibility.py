"""The accessibility statement (Erklärung zur Barrierefreiheit) German public bodies publish."""

import re
from datetime import date
from typing import NamedTuple

from flask import current_app, render_template, request

from forum.pages import bp

# The self-assessment behind the statement: update both dates whenever it is repeated.
PREPARED = date(2026, 11, 21)
REVIEWED = date(2026, 11, 21)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[\d\s()/-]{6,}$")


class ContactLine(NamedTuple):
    """One line of a postal or electronic address; href when it can be followed."""

    text: str
    href: str | None = None


def contact_lines(setting: str) -> list[ContactLine]:
    """Split a ";"-separated setting into lines, linking e-mail addresses, phones and web."""
    lines = []
    for part in (piece.strip() for piece in setting.split(";")):
        if not part:
            continue
        if EMAIL.match(part):
            lines.append(ContactLine(part, f"mailto:{part}"))
        elif part.startswith(("https://", "http://")):
            lines.append(ContactLine(part, part))
        elif PHONE.match(part) and sum(char.isdigit() for char in part) >= 6:
            lines.append(ContactLine(part, "tel:" + re.sub(r"[^\d+]", "", part)))
        else:
            lines.append(ContactLine(part))
    return lines


@bp.get("/barrierefreiheit")
def accessibility():
    """State how far the service meets WCAG 2.1 AA and how to give feedback."""
    config = current_app.config
    return render_template(
        "pages/accessibility.html",
        site=config.get("PUBLIC_URL") or request.host_url.rstrip("/"),
        operator=config.get("ORGANISER_NAME") or "",
        contact=contact_lines(config.get("ACCESSIBILITY_CONTACT", "")),
        enforcement=contact_lines(config.get("ACCESSIBILITY_ENFORCEMENT", "")),
        prepared=PREPARED,
        reviewed=REVIEWED,
    )
