"""Moved to ``comobi.ratelimit`` (shared with the forms); kept so older imports work."""
from comobi.ratelimit import RateLimiter

__all__ = ["RateLimiter"]
