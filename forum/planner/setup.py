"""Set up processes and forums in the console, through the same write path as seed files."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from pydantic import ValidationError

from forum.extensions import db
from forum.models import Process, User
from forum.planner import bp
from forum.planner.forms import ForumForm, ProcessForm, choices
from forum.planner.forum_delete import forum_name
from forum.planner.forums import forum_or_404
from forum.planner.printables import forum_label
from forum.planner.setup_checks import ROW_LISTS, labelled_problems, refuse_clashes, row_label
from forum.planner.specs import form_data, forum_from_form
from forum.services import seed_export
from forum.services.forum_setup import free_slug, next_number, template_spec
from forum.services.new_moderators import create_moderator
from forum.services.seed_schema import ForumSpec, ProcessSpec
from forum.services.seeding import SeedError, save_forum, save_process


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
            problems = labelled_problems(error, form)
        else:
            flash(_("Gespeichert."))
            return redirect(url_for(".index"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "planner/process_form.html", form=form, process=process, problems=problems
    ), status


@bp.route("/processes/<slug>/forums/new", methods=["GET", "POST"])
def new_forum(slug):
    """Create a forum in a process, blank or like an earlier one of it (?like=its slug)."""
    process = process_or_404(slug)
    like = request.args.get("like")
    template = next((f for f in process.forums if f.slug == like), None) if like else None
    if like and template is None:
        abort(404)
    return _forum_form(process, None, template)


@bp.route("/forums/<slug>/edit", methods=["GET", "POST"])
def edit_forum(slug):
    """Edit a forum: basics, guiding questions, agenda, rooms and groups."""
    forum = forum_or_404(slug)
    return _forum_form(forum.process, forum)


def _forum_form(process, forum, template=None):
    form = (
        ForumForm() if _submitted() else ForumForm(data=form_data(_spec(process, forum, template)))
    )
    more = request.form.get("more") if _submitted() else None
    if more in ROW_LISTS:
        # "Weitere Zeile" without JavaScript: the same form, as typed, with one more blank row.
        form[more].append_entry()
    _moderator_choices(form)
    problems = []
    saving = _submitted() and more not in ROW_LISTS
    # Both checks run, so that every problem is shown at once.
    if saving and all([form.validate_on_submit(), not refuse_clashes(form, process, forum)]):
        data = forum_from_form(form)
        data.setdefault("slug", free_slug(data["title"], data.get("number"), forum))
        try:
            spec = ForumSpec.model_validate(data)
            accounts = [
                (create_moderator(row.new_login.data, row.new_name.data), row.form)
                for row in form.group
                if row.form.name.data and row.form.new_login.data
            ]
            forum = save_forum(forum, process, spec)
        except (ValidationError, SeedError) as error:
            db.session.rollback()
            problems = labelled_problems(error, form)
        else:
            flash(_("Gespeichert."))
            if accounts:
                return _credentials(forum, accounts)
            return redirect(url_for(".forum", slug=forum.slug))
    status = 422 if saving else 200
    return render_template(
        "planner/forum_form.html",
        form=form,
        forum=forum,
        process=process,
        template=template,
        template_name=forum_name(template) if template else "",
        row_label=row_label,
        problems=problems,
    ), status


def _spec(process, forum, template) -> dict:
    if forum is not None:
        return seed_export.forum_spec(forum)
    if template is not None:
        return template_spec(template)
    return {
        "kind": "forum",
        "number": next_number(process),
        "questions": ForumSpec.model_fields["questions"].default.model_dump(),
    }


def _credentials(forum, accounts):
    """Show each new moderator's password once, on a sheet to print; it is stored only hashed."""
    sheets = []
    for (user, password), row in accounts:
        group = next(g for g in forum.groups if g.name == row.name.data)
        sheets.append({"user": user, "password": password, "group": group})
    return render_template(
        "planner/print/moderator_sheets.html",
        forum=forum,
        label=forum_label(forum),
        sheets=sheets,
        base=current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/"),
    )


def _submitted() -> bool:
    return request.method == "POST"


def _moderator_choices(form: ForumForm) -> None:
    users = db.session.execute(db.select(User).order_by(User.display_name)).scalars()
    options = choices(
        [("", "–")] + [(u.username, f"{u.display_name} ({u.username})") for u in users]
    )
    for row in form.group:
        row.form.moderator.choices = options
