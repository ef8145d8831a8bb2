"""Forms shared by every area."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A form with no fields: a bare POST button still carries CSRF."""
