"""Translate between console forms and seed-shaped mappings, both ways."""

from forum.planner.forms import ForumForm
from forum.services.forum_setup import german_date, parse_date, split_title
from forum.services.seed_schema import NEVER

BLANK_ROWS = {"agenda": 2, "room": 1, "group": 1}


def form_data(spec: dict) -> dict:
    """Turn a seed mapping of a forum into the console form's data, with blank rows to fill."""
    data = {key: value for key, value in spec.items() if key not in ("agenda", "date")}
    data["date"] = german_date(spec.get("date"))
    if spec.get("purge_after_days") == NEVER:
        data["purge_after_days"] = None  # shown as an empty field
    data["agenda"] = []
    for item in spec.get("agenda", []):
        data["agenda"].append(
            {"level": "item", "title": item["title"], "minutes": item.get("minutes")}
        )
        for phase in item.get("phases", []):
            data["agenda"].append({"level": "phase", **phase})
    for key, count in BLANK_ROWS.items():
        data.setdefault(key, [])
        data[key] = data[key] + [{}] * count
    return data


def forum_from_form(form: ForumForm) -> dict:
    """Build the seed mapping of a forum from the submitted console form; blank rows are dropped."""
    data = form.data
    spec = {
        key: data[key]
        for key in ("slug", "number", "kind", "title", "motto", "venue")
        if data[key] not in (None, "")
    }
    spec["dots_per_participant"] = data["dots_per_participant"]
    spec["max_dots_per_measure"] = data["max_dots_per_measure"]
    spec["purge_after_days"] = data["purge_after_days"]  # empty: never
    if data["date"]:
        spec["date"] = parse_date(data["date"])[0]
    spec["title"], spec["number"] = split_title(spec["title"], spec.get("number"))
    if spec["number"] is None:
        del spec["number"]
    spec["questions"] = {quadrant: text.strip() for quadrant, text in data["questions"].items()}
    spec["agenda"] = _agenda(data["agenda"])
    spec["room"] = [
        {"name": row["name"].strip(), "capacity": row["capacity"]}
        for row in data["room"]
        if row["name"].strip()
    ]
    spec["group"] = [
        {
            "name": row["name"].strip(),
            "colour": row["colour"],
            "room": row["room"].strip(),
            "moderator": row["new_login"] or row["moderator"] or None,
        }
        for row in data["group"]
        if row["name"].strip()
    ]
    return spec


def _agenda(rows: list[dict]) -> list[dict]:
    items: list[dict] = []
    for row in rows:
        if not row["title"].strip():
            continue
        if row["level"] == "phase" and items:
            items[-1]["phases"].append(
                {
                    "key": row["key"],
                    "title": row["title"].strip(),
                    "minutes": row["minutes"],
                    "method": row["method"].strip(),
                    "per_group": row["per_group"],
                }
            )
        else:
            items.append({"title": row["title"].strip(), "minutes": row["minutes"], "phases": []})
    return items
