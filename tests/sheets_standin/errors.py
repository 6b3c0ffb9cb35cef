"""Errors shaped like Google's: ``{"error": {"code", "message", "status"}}``."""

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

_DEFAULT_MESSAGES = {
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: (
        "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute"
        " per user' of service 'sheets.googleapis.com'."
    ),
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}


class ApiError(Exception):
    def __init__(self, code: int, message: str | None = None):
        self.code = code
        self.message = message or _DEFAULT_MESSAGES.get(code, "Error")
        super().__init__(f"{code} {self.message}")

    def body(self) -> dict:
        status = _STATUS_NAMES.get(self.code, "UNKNOWN")
        return {"error": {"code": self.code, "message": self.message, "status": status}}

    @classmethod
    def bad_range(cls, text: str) -> "ApiError":
        return cls(400, f"Unable to parse range: {text}")

    @classmethod
    def invalid(cls, message: str) -> "ApiError":
        return cls(400, message)
