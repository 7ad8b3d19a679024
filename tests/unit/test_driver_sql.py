"""Statements sent straight to the driver: SQLAlchemy's SQL and values, or a clear refusal."""

import pytest
from sqlalchemy import bindparam, select

from forum.driver_sql import DriverStatement
from forum.extensions import db
from forum.models import Card, Group


def test_the_statements_own_values_and_the_callers_both_arrive(app, make_forum):
    group = make_forum().groups[0]
    statement = DriverStatement(
        select(Group.__table__.c.position + 41).where(Group.__table__.c.id == bindparam("group"))
    )
    with db.engine.connect() as connection:
        [(answer,)] = statement.execute(connection, {"group": group.id}).fetchall()
    assert answer == group.position + 41


def test_an_expanding_in_is_left_to_sqlalchemy(app):
    keys = bindparam("keys", expanding=True)
    statement = DriverStatement(select(Card.__table__.c.id).where(Card.client_key.in_(keys)))
    with db.engine.connect() as connection, pytest.raises(ValueError, match="expanding"):
        statement.execute(connection, {"keys": ["a", "b"]})
