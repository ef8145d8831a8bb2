"""Validation failures of service functions, answer by answer, for forms and the API."""


class FieldErrors(ValueError):
    """``fields`` maps each offending answer to what is wrong with it."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields
