"""The plain-language glossary: 役所言葉 and 専門用語 with the plain words to use instead.

A term is matched in a text on its tokens' normalized dictionary forms (so that 講じる, 講じた
and 講ずる are one entry) and on its plain spelling; its variants are other spellings matched
the same way. Every change is kept in the term's history (who, when, old → new).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from takatsu_portal.core.versioning import Versioned

# "～" in a term or an alternative stands for the words before it ("～を行う" → "～する"): it is
# not matched and not written when a replacement is applied.
PLACEHOLDER = "～"


class Category(models.TextChoices):
    JARGON = "jargon", "役所言葉"
    LEGAL = "legal", "法令用語"
    KATAKANA = "katakana", "カタカナ語"
    ABBREVIATION = "abbreviation", "略語"
    ROUNDABOUT = "roundabout", "二重否定・回りくどい表現"


class TermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, query):
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(
            models.Q(term__icontains=query)
            | models.Q(reading__icontains=query)
            | models.Q(alternatives__icontains=query)
            | models.Q(variants__icontains=query)
        )


class Term(Versioned):
    term = models.CharField("用語", max_length=100, unique=True)
    reading = models.CharField("読み", max_length=100, blank=True)
    category = models.CharField("分類", max_length=20, choices=Category.choices)
    alternatives = models.TextField(
        "言い換え", help_text="平易な言い換えを1行に1つ。最初の行が置き換えに使われます。"
    )
    explanation = models.TextField("説明", blank=True)
    example = models.TextField("例文", blank=True, help_text="言い換えの例（前 → 後）")
    variants = models.TextField(
        "別の書き方", blank=True, help_text="同じ意味の別の表記を1行に1つ（例：ご査収・査収）"
    )
    auto_replace = models.BooleanField(
        "置き換えボタンを出す",
        default=True,
        help_text="最初の言い換えが、そのまま文の同じ位置に入る場合だけ。",
    )
    is_active = models.BooleanField("点検に使う", default=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = "言い換え用語"
        verbose_name_plural = "言い換え用語"
        ordering = ["reading", "term"]
        permissions = [("edit_glossary", "言い換え辞書を編集できる")]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("plain_language:term_detail", args=[self.pk])

    @property
    def alternative_list(self):
        return [line.strip() for line in self.alternatives.splitlines() if line.strip()]

    @property
    def variant_list(self):
        return [line.strip() for line in self.variants.splitlines() if line.strip()]

    @property
    def spellings(self):
        """The term and its variants without the ～ placeholder: what is looked for."""
        found = []
        for text in [self.term, *self.variant_list]:
            text = text.replace(PLACEHOLDER, "").strip()
            if text and text not in found:
                found.append(text)
        return found

    @property
    def replacement(self):
        """The first alternative without the placeholder: what a one-click replacement writes."""
        alternatives = self.alternative_list
        return alternatives[0].replace(PLACEHOLDER, "").strip() if alternatives else ""
