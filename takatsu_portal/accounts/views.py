from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from takatsu_portal.core.history import history_page

from .forms import LoginForm
from .permissions import writes_nothing_of_a_ward


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "パスワードを変更しました。")
        return super().form_valid(form)


def profile(request):
    """The signed-in user's own account: section, roles, and the history of their record."""
    user = request.user
    page = history_page(user, request.GET.get("page"))
    return render(request, "accounts/profile.html", {"profile_user": user, "history": page})


@writes_nothing_of_a_ward
@require_POST
def keepalive(request):
    """'Stay signed in' from the idle warning: saving the session restarts its idle time."""
    request.session.modified = True
    return HttpResponse(status=204)
