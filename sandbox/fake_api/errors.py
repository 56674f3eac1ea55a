"""Bot API error answers, shaped exactly as Telegram sends them."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer: raised anywhere in a method handler, rendered as `{"ok": false, ...}`."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    """400, the answer to anything malformed; never worth retrying."""
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    """403, e.g. the user blocked the bot."""
    return ApiError(403, f"Forbidden: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    """429 carrying `parameters.retry_after`, which aiogram turns into TelegramRetryAfter."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


UNAUTHORIZED = ApiError(401, "Unauthorized")
METHOD_NOT_FOUND = ApiError(404, "Not Found: method not found")
CHAT_NOT_FOUND_REASON = "chat not found"
BLOCKED_REASON = "bot was blocked by the user"
NOT_MODIFIED_REASON = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
STALE_QUERY_REASON = "query is too old and response timeout expired or query ID is invalid"
POLLING_CONFLICT = ApiError(
    409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
