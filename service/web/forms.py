"""Web forms (Flask-WTF): the login form carries the session's CSRF token; the search form is a GET form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST so that another site cannot sign a user out."""


STATUSES = [SelectChoice(value, label) for value, label in (("", "any status"), ("active", "active"),
            ("on_leave", "on leave"), ("expelled", "expelled"), ("graduated", "graduated"))]  # fmt: skip


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Name or IIN", validators=[Optional(), Length(max=100)])
    status = SelectField("Status", choices=STATUSES, validators=[Optional()])
