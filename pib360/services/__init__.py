"""Use cases: load with SQLAlchemy, call the domain, write, commit once, queue mail."""


class ServiceError(Exception):
    """A use case refused its input; `errors` maps a field (or None) to messages."""

    def __init__(self, errors: dict[str | None, list[str]] | str):
        if isinstance(errors, str):
            errors = {None: [errors]}
        self.errors = errors
        super().__init__("; ".join(str(m) for ms in errors.values() for m in ms))
