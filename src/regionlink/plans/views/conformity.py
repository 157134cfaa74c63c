"""Conformity links: add a link to a higher plan (typed or suggested), remove one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from regionlink.geography.queries import today
from regionlink.plans import conformity, law
from regionlink.plans.errors import PlanError
from regionlink.plans.forms import LinkForm
from regionlink.plans.law import Rule
from regionlink.plans.permissions import visible_plans
from regionlink.plans.views.common import (
    add_service_error,
    editor_view,
    form_page,
    plan_url,
    success,
)


@editor_view(page=True)
def link_add(request, plan):
    """Record that the plan must conform to a higher plan (conformity.add_link)."""
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        higher = visible_plans(request.user).filter(code=data["higher"]).first()
        if higher is None:
            form.add_error(
                "higher",
                _("Không có quy hoạch mã “%(code)s” mà bạn được xem: kiểm tra lại mã.")
                % {"code": data["higher"]},
            )
        else:
            try:
                conformity.add_link(
                    actor=request.user,
                    lower=plan,
                    higher=higher,
                    suggested=data["suggested"],
                    note=data["note"],
                )
            except (PlanError, ValidationError) as error:
                add_service_error(form, error)
            else:
                message = _("Đã liên kết với “%(name)s”.") % {"name": higher.name}
                return success(request, plan_url(plan, "thong-nhat"), message)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Thêm liên kết với quy hoạch cấp trên"),
        submit=_("Thêm liên kết"),
        intro=_("Quy hoạch phải phù hợp với quy hoạch cấp trên (%(basis)s).")
        % {"basis": law.cite(Rule.CONFORMITY, on=today())},
    )


@editor_view
def link_remove(request, plan, pk: int):
    """Remove a conformity link recorded by mistake."""
    link = plan.links_up.select_related("higher").filter(pk=pk).first()
    if link is None:
        raise Http404
    link.lower = plan
    conformity.remove_link(actor=request.user, link=link)
    return success(
        request,
        plan_url(plan, "thong-nhat"),
        _("Đã bỏ liên kết với “%(name)s”.") % {"name": link.higher.name},
    )
