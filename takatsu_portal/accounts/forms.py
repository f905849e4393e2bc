from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="ユーザー名",
        max_length=150,
        # No autofocus: the first Tab reaches the skip link, and a screen reader starts at the
        # heading and any notice above the form (such as the timeout message).
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="パスワード",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "ユーザー名またはパスワードが正しくありません。"
        "大文字と小文字は区別されます。",
        "inactive": "このアカウントは利用できません。管理者にお問い合わせください。",
    }
