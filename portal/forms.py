"""What every area's forms share: the bare CSRF button and one shape for field errors."""

from flask_wtf import FlaskForm

from portal.input_limits import BoundedForm


class EmptyForm(BoundedForm):
    """A form with no fields: a bare POST button still carries CSRF."""


class FieldErrors(ValueError):
    """A service refused its arguments; ``fields`` maps each offending answer to what is
    wrong with it, for forms and the API alike."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def field_errors(form: FlaskForm) -> dict[str, list[str]]:
    """A validated form's errors as plain JSON-ready lists, field by field."""
    return {name: list(errors) for name, errors in form.errors.items()}


def add_field_errors(form: FlaskForm, exc: FieldErrors) -> None:
    """Show a service's refusal next to the fields it names, as sentences."""
    for name, message in exc.fields.items():
        form[name].errors = [*form[name].errors, message[:1].upper() + message[1:] + "."]
