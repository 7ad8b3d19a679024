"""Read forms out of served HTML the way a browser would submit them."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}})
        elif self.forms and tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")
        elif self.forms and tag == "select":
            self._select = attrs.get("name")
        elif self.forms and tag == "option" and self._select:
            fields = self.forms[-1]["fields"]
            # A browser sends the selected option, or the first one when none is selected.
            if "selected" in attrs or self._select not in fields:
                fields[self._select] = attrs.get("value", "")
        elif self.forms and tag == "textarea":
            self._textarea = attrs.get("name")
            self.forms[-1]["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms(html: str) -> list[dict]:
    """Return every form with its action and the values it would submit as is."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form(html: str, action_contains: str = "", **overrides) -> tuple[str, dict]:
    """Return (action, fields) of the first form whose action contains the text, with overrides.

    With no text, the first form without an action: the page's own form, not the sign-out button.
    """
    for found in forms(html):
        if action_contains in found["action"] and (action_contains or not found["action"]):
            return found["action"], {**found["fields"], **overrides}
    raise AssertionError(f"no form with action containing {action_contains!r}")
