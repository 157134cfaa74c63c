"""/api/v1: assembles each app's router, authentication and JSON errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from regionlink import __version__
from regionlink.core.api import ApiError, SignedInSessionAuth
from regionlink.core.paging import InvalidCursor
from regionlink.organisations.tokens import BearerTokenAuth


class OptionalAuth:
    """Anonymous callers are let through as visitors; handlers filter to published content."""

    def __call__(self, request):
        return request.user if request.user.is_authenticated else True


api = NinjaAPI(
    title="RegionLink API",
    version=__version__,
    description=(
        "API mở của Nền tảng Liên kết vùng. Xác thực bằng phiên đăng nhập hoặc mã truy cập cá "
        "nhân (Authorization: Bearer …). Lỗi trả về JSON {code, message}."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # A session is asked for its CSRF token only when it signs someone in, as on the routes
    # that require a person (``organisations.tokens.SIGNED_IN``); tokens come first.
    auth=[BearerTokenAuth(), SignedInSessionAuth(), OptionalAuth()],
)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return api.create_response(request, exc.payload(), status=exc.status)


@api.exception_handler(InvalidCursor)
def _invalid_cursor(request, exc):
    error = ApiError(
        "invalid_cursor",
        _("Con trỏ trang (after) không hợp lệ; dùng nguyên giá trị “next” của trang trước."),
        field="after",
    )
    return _api_error(request, error)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    message = str(exc) or _("Bạn không có quyền thực hiện thao tác này.")
    return api.create_response(request, {"code": "forbidden", "message": message}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    message = str(exc) or _("Không tìm thấy.")
    return api.create_response(request, {"code": "not_found", "message": message}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    body = {"code": "unauthenticated", "message": _("Cần đăng nhập hoặc mã truy cập API hợp lệ.")}
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if "CSRF" in str(exc):
        body = {
            "code": "csrf_failed",
            "message": _(
                "Thiếu hoặc sai mã CSRF: gửi tiêu đề X-CSRFToken khi dùng phiên đăng nhập, "
                "hoặc dùng mã truy cập API (Authorization: Bearer …)."
            ),
        }
    else:
        body = {"code": "http_error", "message": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


# Vietnamese wording for pydantic's common error types; others keep pydantic's text.
_VALIDATION_MESSAGES = {
    "missing": gettext_lazy("thiếu giá trị bắt buộc"),
    "string_type": gettext_lazy("phải là chuỗi ký tự"),
    "int_parsing": gettext_lazy("phải là số nguyên"),
    "int_type": gettext_lazy("phải là số nguyên"),
    "float_parsing": gettext_lazy("phải là số"),
    "bool_parsing": gettext_lazy("phải là true hoặc false"),
    "date_parsing": gettext_lazy("phải là ngày dạng YYYY-MM-DD, ví dụ 2026-01-01"),
    "date_from_datetime_parsing": gettext_lazy("phải là ngày dạng YYYY-MM-DD, ví dụ 2026-01-01"),
    "greater_than_equal": gettext_lazy("quá nhỏ"),
    "less_than_equal": gettext_lazy("quá lớn"),
    "string_too_long": gettext_lazy("quá dài"),
    "json_invalid": gettext_lazy("nội dung JSON không hợp lệ"),
    "model_attributes_type": gettext_lazy("phải là một đối tượng JSON"),
    "extra_forbidden": gettext_lazy("không được phép"),
}


def _validation_text(error: dict) -> str:
    text = _VALIDATION_MESSAGES.get(error.get("type", ""))
    if error.get("type") == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        text = _("phải là một trong: %(expected)s") % {"expected": expected}
    return str(text or error.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    field = ".".join(str(p) for p in first.get("loc", [])[1:]) or None
    body = {
        "code": "invalid_request",
        "message": _("Tham số không hợp lệ: %(field)s — %(problem)s")
        % {"field": field or "", "problem": _validation_text(first)},
        "field": field,
        "errors": exc.errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(ValidationError)
def _domain_invalid(request, exc: ValidationError):
    body = {"code": "invalid", "message": " ".join(exc.messages)}
    return api.create_response(request, body, status=400)


def _mount() -> None:
    from regionlink.audit.api import router as audit_router
    from regionlink.geography.api import router as geography_router
    from regionlink.geography.api_boundaries import router as boundaries_router
    from regionlink.indicators.api import router as indicators_router
    from regionlink.indicators.sharing_api import router as datasets_router
    from regionlink.organisations.api import router as organisations_router
    from regionlink.plans.api import router as plans_router

    api.add_router("", geography_router)
    api.add_router("", boundaries_router)
    api.add_router("", indicators_router)
    api.add_router("", datasets_router)
    api.add_router("", organisations_router)
    api.add_router("", audit_router)
    api.add_router("", plans_router)


_mount()
