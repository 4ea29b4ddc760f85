"""User accounts: advisors, coaches and admins."""

import enum
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from pib360.extensions import db
from pib360.models.types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a user may do: advisors run rounds, coaches read shared reports."""

    ADVISOR = "advisor"
    COACH = "coach"
    ADMIN = "admin"


def normalize_email(address: str) -> str:
    """The form in which an address is stored and compared: trimmed, lower case."""
    return address.strip().lower()


def password_hash_method() -> str:
    """How new passwords are hashed (werkzeug's method string), from PASSWORD_HASH_METHOD."""
    return current_app.config["PASSWORD_HASH_METHOD"]


class User(UserMixin, db.Model):
    """A person who logs in."""

    __tablename__ = "user"
    # Ids appear in URLs and cookies: SQLite must never hand out a deleted row's id again.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored normalised, so the unique index makes addresses unique case-insensitively.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.ADVISOR,
    )
    language: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie; raising it ends every session and remember cookie.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot log in and their sessions stop working."""
        return self.active

    def get_id(self) -> str:
        """The session identity: id and session version."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password` and end every existing session."""
        self.password_hash = generate_password_hash(password, password_hash_method())
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        """Whether `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Invalidate every session and remember cookie issued so far."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def is_coach(self) -> bool:
        return self.role is Role.COACH
