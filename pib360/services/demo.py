"""Demo data, so a person trying pib360 locally has something to look at."""

from pib360.extensions import db
from pib360.models import Role, User
from pib360.services import accounts

DEMO_PASSWORD = "demo-password-360"
DEMO_USERS = (
    (Role.ADVISOR, "advisor@example.com", "Anna de Adviseur"),
    (Role.COACH, "coach@example.com", "Carel de Coach"),
    (Role.ADMIN, "admin@example.com", "Ada Admin"),
)


def create_demo() -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet; return (role, e-mail, password)."""
    for role, email, name in DEMO_USERS:
        if accounts.find_user(email) is None:
            user = User(email=email, name=name, role=role, language="nl")
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
    db.session.commit()
    return [(role.value, email, DEMO_PASSWORD) for role, email, _ in DEMO_USERS]
