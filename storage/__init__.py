"""Storage: models, migrations, repositories, full-text search. Never decides who gets what."""

from storage.errors import DatabaseSetupError
from storage.uow import Database, UnitOfWork

__all__ = ["Database", "DatabaseSetupError", "UnitOfWork"]
