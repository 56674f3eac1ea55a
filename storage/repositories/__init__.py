"""Repositories: queries over one aggregate each. They never commit; the unit of work does."""

from storage.repositories.articles import ArticleRepository, NewArticle
from storage.repositories.deliveries import DeliveryRepository
from storage.repositories.sources import SourceRepository
from storage.repositories.subscriptions import SubscriptionRepository
from storage.repositories.users import UserRepository

__all__ = [
    "ArticleRepository",
    "DeliveryRepository",
    "NewArticle",
    "SourceRepository",
    "SubscriptionRepository",
    "UserRepository",
]
