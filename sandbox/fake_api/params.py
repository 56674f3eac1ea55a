"""Method parameters as Telegram reads them: query string, form, multipart or JSON body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.fake_api.errors import bad_request


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    file_name: str | None
    content_type: str | None
    content: bytes


class Params:
    """Typed access to one call's parameters; malformed values become 400 answers."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    @classmethod
    async def from_request(cls, request: web.Request) -> Params:
        """Collect parameters the way the Bot API accepts them."""
        values: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.content_type == "application/json":
            body = await request.json() if request.can_read_body else {}
            if not isinstance(body, dict):
                raise bad_request("parameters must be a JSON object")
            values.update(body)
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    uploads[key] = Upload(value.filename, value.content_type, value.file.read())
                else:
                    values[key] = value
        return cls(values, uploads)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return default if value is None else str(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be a valid Number') from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        return value is True or str(value).lower() in {"true", "1"}

    def structured(self, name: str) -> Any:
        """A JSON-serialized field (reply_markup, allowed_updates, commands...); parsed if it came as text."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            if name == "reply_markup":
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            raise bad_request(f'can\'t parse "{name}" JSON object') from None

    def chat_id(self) -> int | str:
        """`chat_id` as an int, or an "@username" string."""
        value = self.values.get("chat_id")
        if value in (None, ""):
            raise bad_request("chat_id is empty")
        text = str(value)
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise bad_request("chat not found") from None

    def input_file(self, name: str) -> Upload | str | None:
        """A file parameter: an upload (via attach://), or a file_id / URL string."""
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = self.uploads.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"wrong file identifier/HTTP URL specified ({value})")
            return upload
        if name in self.uploads:
            return self.uploads[name]
        return None if value in (None, "") else str(value)

    def echo(self) -> dict[str, Any]:
        """Every plain parameter, for records (uploads left out)."""
        return {key: value for key, value in self.values.items() if not str(value).startswith("attach://")}
