from django.apps import AppConfig


class PlainLanguageConfig(AppConfig):
    default = True
    name = "takatsu_portal.plain_language"
    label = "plain_language"
    verbose_name = "やさしい言葉（言い換え辞書・点検）"
