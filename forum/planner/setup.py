"""Set up processes and forums in the console, through the same write path as seed files."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from pydantic import ValidationError

from forum.extensions import db
from forum.models import Process, User
from forum.planner import bp
from forum.planner.forms import ForumForm, ProcessForm, choices
from forum.planner.forums import forum_or_404
from forum.planner.specs import form_data, forum_from_form
from forum.services import seed_export
from forum.services.seed_schema import ForumSpec, ProcessSpec
from forum.services.seeding import SeedError, describe_errors, save_forum, save_process


def process_or_404(slug: str) -> Process:
    """Return the process with this slug or answer 404."""
    return db.one_or_404(db.select(Process).filter_by(slug=slug))


@bp.route("/processes/new", methods=["GET", "POST"])
@bp.route("/processes/<slug>/edit", methods=["GET", "POST"])
def edit_process(slug=None):
    """Create or edit a process and its Leitziele."""
    process = process_or_404(slug) if slug else None
    form = ProcessForm()
    if not form.is_submitted():
        spec = seed_export.process_spec(process)["process"] if process else {"guiding_goals": []}
        form = ProcessForm(data={**spec, "guiding_goals": spec["guiding_goals"] + [""]})
    problems = []
    if form.validate_on_submit():
        data = {
            **form.data,
            "guiding_goals": [g.strip() for g in form.guiding_goals.data if g.strip()],
            "horizons": {key: value or "" for key, value in form.horizons.data.items()},
        }
        data.pop("csrf_token", None)
        try:
            process = save_process(process, ProcessSpec.model_validate(data))
        except (ValidationError, SeedError) as error:
            problems = _problems(error, data)
        else:
            flash(_("Gespeichert."))
            return redirect(url_for(".index"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "planner/process_form.html", form=form, process=process, problems=problems
    ), status


@bp.route("/processes/<slug>/forums/new", methods=["GET", "POST"])
def new_forum(slug):
    """Create a forum in a process."""
    return _forum_form(process_or_404(slug), None)


@bp.route("/forums/<slug>/edit", methods=["GET", "POST"])
def edit_forum(slug):
    """Edit a forum: basics, guiding questions, agenda, rooms and groups."""
    forum = forum_or_404(slug)
    return _forum_form(forum.process, forum)


def _forum_form(process, forum):
    if forum is not None:
        spec = seed_export.forum_spec(forum)
    else:
        spec = {
            "kind": "forum",
            "questions": ForumSpec.model_fields["questions"].default.model_dump(),
        }
    form = ForumForm() if _submitted() else ForumForm(data=form_data(spec))
    _moderator_choices(form)
    problems = []
    if form.validate_on_submit():
        data = forum_from_form(form)
        try:
            forum = save_forum(forum, process, ForumSpec.model_validate(data))
        except (ValidationError, SeedError) as error:
            problems = _problems(error, data)
        else:
            flash(_("Gespeichert."))
            return redirect(url_for(".forum", slug=forum.slug))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "planner/forum_form.html", form=form, forum=forum, process=process, problems=problems
    ), status


def _submitted() -> bool:
    return request.method == "POST"


def _moderator_choices(form: ForumForm) -> None:
    users = db.session.execute(db.select(User).order_by(User.display_name)).scalars()
    options = choices(
        [("", "–")] + [(u.username, f"{u.display_name} ({u.username})") for u in users]
    )
    for row in form.group:
        row.form.moderator.choices = options


def _problems(error: Exception, data: dict) -> list[str]:
    if isinstance(error, SeedError):
        return error.problems
    return describe_errors(error, data)
