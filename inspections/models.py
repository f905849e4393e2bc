"""Barrier-free inspections (心・情報・物のバリアフリー点検), the fifth basic policy as records.

- Places: a building of an office, its floors, and the points on a floor (entrance, counter,
  toilet, lift ...), with the service window and the section that looks after them.
- Checklists: a template has numbered versions; a version's items are frozen once an
  inspection uses it (a change makes the next version, see services.item_revise).
- Inspections: a date, places, the version in force when it was planned, a team; an answer per
  (place, item); each 要改善 answer is a finding.
- Findings: severity, responsible section, due date, photos; corrected directly or turned into
  a project proposal of the plan; closed only by a confirming re-check (or a later inspection).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from takatsu_portal.core.fiscal import today
from takatsu_portal.core.scoping import OfficeScopedQuerySet
from takatsu_portal.core.versioning import Versioned


class Barrier(models.TextChoices):
    """The three barriers of the fifth basic policy, in the guideline's order."""

    HEART = "heart", "心のバリア"
    INFORMATION = "information", "情報のバリア"
    THING = "thing", "物のバリア"


class PlaceType(models.TextChoices):
    ENTRANCE = "entrance", "出入口"
    COUNTER = "counter", "窓口カウンター"
    TOILET = "toilet", "トイレ"
    LIFT = "lift", "エレベーター"
    CORRIDOR = "corridor", "廊下・通路"
    RAMP = "ramp", "スロープ・階段"
    WAITING = "waiting", "待合スペース"
    BABY = "baby", "授乳・おむつ替え室"
    PARKING = "parking", "駐車場"


# ---------------------------------------------------------------------------------------------
# Places


class Retirable(models.Model):
    """A place that can be retired (廃止): kept, with what inspections recorded there, but no
    longer offered to new inspections. Deleting is only for a row nothing refers to."""

    retired_on = models.DateField("廃止日", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_retired(self):
        return self.retired_on is not None


class BuildingQuerySet(OfficeScopedQuerySet):
    office_path = "office"


class Building(Versioned, Retirable):
    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("建物名", max_length=100)
    address = models.CharField("所在地", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)
    history = HistoricalRecords()

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = "建物"
        verbose_name_plural = "建物"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="building_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:place_list") + f"#building-{self.pk}"

    def is_in_use(self):
        return self.floors.exists()


class FloorQuerySet(OfficeScopedQuerySet):
    office_path = "building__office"


class Floor(Versioned, Retirable):
    building = models.ForeignKey(
        Building, verbose_name="建物", on_delete=models.PROTECT, related_name="floors"
    )
    name = models.CharField("階", max_length=30, help_text="例：1階、地下1階、屋外")
    level = models.SmallIntegerField(
        "階の番号（並び順）", default=1, help_text="地下は負の数、屋外は0などにします。"
    )
    history = HistoricalRecords()

    objects = FloorQuerySet.as_manager()

    class Meta:
        verbose_name = "階"
        verbose_name_plural = "階"
        ordering = ["building__sort_order", "building_id", "level", "id"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="floor_unique_name")
        ]

    def __str__(self):
        return f"{self.building.name} {self.name}"

    def get_absolute_url(self):
        return reverse("inspections:place_list") + f"#floor-{self.pk}"

    def is_in_use(self):
        return self.places.exists()

    @property
    def is_out_of_use(self):
        """Retired, or in a retired building."""
        return self.is_retired or self.building.is_retired


class PlaceQuerySet(OfficeScopedQuerySet):
    office_path = "floor__building__office"

    def with_location(self):
        return self.select_related("floor", "floor__building", "section", "window")

    def in_use(self):
        """Places offered to new inspections: neither they, their floor nor their building is
        retired."""
        return self.filter(
            retired_on__isnull=True,
            floor__retired_on__isnull=True,
            floor__building__retired_on__isnull=True,
        )


class Place(Versioned, Retirable):
    """A point of a floor that an inspection walks to (an entrance, a counter, a toilet...)."""

    floor = models.ForeignKey(
        Floor, verbose_name="階", on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField("場所の名前", max_length=100)
    place_type = models.CharField("場所の種類", max_length=20, choices=PlaceType.choices)
    window = models.ForeignKey(
        "feedback.ServiceWindow",
        verbose_name="窓口",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name="管理する課",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="指摘事項の担当課の初期値になります。",
    )
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)
    history = HistoricalRecords()

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "点検場所"
        verbose_name_plural = "点検場所"
        ordering = ["floor__building__sort_order", "floor__level", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["floor", "name"], name="place_unique_name")]

    def __str__(self):
        return f"{self.floor.name} {self.name}"

    def get_absolute_url(self):
        return reverse("inspections:place_list") + f"#place-{self.pk}"

    @property
    def full_name(self):
        return f"{self.floor.building.name} {self.floor.name} {self.name}"

    def is_in_use(self):
        """Whether an inspection refers to the place (then it is retired, never deleted)."""
        return self.inspections.exists() or self.answers.exists() or self.findings.exists()

    @property
    def is_out_of_use(self):
        return self.is_retired or self.floor.is_out_of_use


# ---------------------------------------------------------------------------------------------
# Checklists


class ChecklistTemplate(Versioned):
    """A checklist; its items live in numbered versions (ChecklistVersion)."""

    name = models.CharField("チェックリスト名", max_length=100, unique=True)
    description = models.TextField("説明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "チェックリスト"
        verbose_name_plural = "チェックリスト"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:template_detail", args=[self.pk])

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class ChecklistVersion(models.Model):
    """One numbered version of a template. Once an inspection uses it, its items never change:
    the inspection's answers and findings keep meaning what they meant on the day."""

    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name="チェックリスト",
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField("版")
    note = models.CharField("改訂の内容", max_length=200, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作成者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "チェックリストの版"
        verbose_name_plural = "チェックリストの版"
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="version_unique_number")
        ]

    def __str__(self):
        return f"{self.template.name} 第{self.number}版"

    def is_in_use(self):
        return self.inspections.exists()


class Rule(models.TextChoices):
    AT_LEAST = "at_least", "以上"
    AT_MOST = "at_most", "以下"
    BETWEEN = "between", "範囲内"


class ChecklistItem(models.Model):
    class AnswerKind(models.TextChoices):
        RATING = "rating", "適合／要改善／該当なし"
        MEASURE = "measure", "計測値"

    version = models.ForeignKey(
        ChecklistVersion, verbose_name="版", on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField("項目番号", max_length=20)
    barrier = models.CharField("バリアの種類", max_length=20, choices=Barrier.choices)
    place_type = models.CharField(
        "場所の種類",
        max_length=20,
        choices=PlaceType.choices,
        blank=True,
        help_text="空欄はすべての場所で確認する項目です。",
    )
    order = models.PositiveSmallIntegerField("順序", default=0)
    text = models.CharField("確認すること", max_length=200)
    guidance = models.TextField("確認の仕方・基準", blank=True)
    answer_kind = models.CharField(
        "回答の種類", max_length=20, choices=AnswerKind.choices, default=AnswerKind.RATING
    )
    unit = models.CharField("単位", max_length=20, blank=True, help_text="例：cm、勾配")
    rule = models.CharField("基準", max_length=20, choices=Rule.choices, blank=True)
    low = models.DecimalField("下限", max_digits=12, decimal_places=6, null=True, blank=True)
    high = models.DecimalField("上限", max_digits=12, decimal_places=6, null=True, blank=True)
    is_ratio = models.BooleanField(
        "勾配（1/N）で入力する",
        default=False,
        help_text="スロープの勾配など。値は「1/15」のように入力します。",
    )
    photo_expected = models.BooleanField("写真を撮る", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "チェック項目"
        verbose_name_plural = "チェック項目"
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="item_unique_code")]

    def __str__(self):
        return f"{self.code} {self.text}"

    def get_absolute_url(self):
        template_url = reverse("inspections:template_detail", args=[self.version.template_id])
        return f"{template_url}?version={self.version.number}#item-{self.pk}"

    @property
    def is_measure(self):
        return self.answer_kind == self.AnswerKind.MEASURE

    def clean(self):
        """A rule that can decide a rating: a measured item has a rule with the bounds it
        needs (a bound it does not use is dropped), a range whose lower bound is below its
        upper one, a unit (or a slope typed as 1/N, a gradient between 0 and 1); a rated item
        has no rule at all."""
        from django.core.exceptions import ValidationError

        if not self.is_measure:
            self.unit, self.rule, self.low, self.high, self.is_ratio = "", "", None, None, False
            return
        errors = {}
        if not self.rule:
            errors["rule"] = "計測値の項目には基準（以上・以下・範囲内）を選んでください。"
        if self.rule == Rule.AT_LEAST:
            self.high = None
        if self.rule == Rule.AT_MOST:
            self.low = None
        if self.rule in (Rule.AT_LEAST, Rule.BETWEEN) and self.low is None:
            errors["low"] = "基準の下限を入力してください。"
        if self.rule in (Rule.AT_MOST, Rule.BETWEEN) and self.high is None:
            errors["high"] = "基準の上限を入力してください。"
        if (
            self.rule == Rule.BETWEEN
            and self.low is not None
            and self.high is not None
            and self.low >= self.high
        ):
            errors["high"] = "上限は下限より大きい値にしてください。"
        if self.is_ratio:
            self.unit = ""
            for name in ("low", "high"):
                bound = getattr(self, name)
                if bound is not None and not (0 < bound <= 1) and name not in errors:
                    errors[name] = "勾配は「1/12」のように、1/N の形で入力してください。"
        elif not self.unit:
            errors["unit"] = (
                "計測値の単位を入力してください（例：cm）。"
                "勾配なら「勾配（1/N）で入力する」を選びます。"
            )
        if errors:
            raise ValidationError(errors)

    def applies_to(self, place):
        return not self.place_type or self.place_type == place.place_type

    def format_value(self, value):
        """A measured value as people write it: 1/15 for a slope, 82 cm for a width."""
        if value is None:
            return "—"
        if self.is_ratio:
            if value == 0:
                return "0（水平）"
            return f"1/{(Decimal(1) / Decimal(value)).quantize(Decimal('0.1')).normalize():f}"
        number = Decimal(value).quantize(Decimal("0.1")).normalize()
        return f"{number:f}{self.unit}"

    @property
    def rule_text(self):
        """The rule in words: 「80cm以上」「1/12以下」「70cm〜75cm」."""
        if not self.is_measure or not self.rule:
            return ""
        if self.rule == Rule.AT_LEAST:
            return f"{self.format_value(self.low)}以上"
        if self.rule == Rule.AT_MOST:
            return f"{self.format_value(self.high)}以下"
        return f"{self.format_value(self.low)}〜{self.format_value(self.high)}"

    def meets_rule(self, value):
        """Whether a measured value meets the item's rule: a value outside it is 要改善."""
        value = Decimal(value)
        if self.rule == Rule.AT_LEAST:
            return value >= self.low
        if self.rule == Rule.AT_MOST:
            return value <= self.high
        if self.rule == Rule.BETWEEN:
            return self.low <= value <= self.high
        return True


# ---------------------------------------------------------------------------------------------
# Inspections


class InspectionQuerySet(OfficeScopedQuerySet):
    office_path = "office"

    def for_list(self):
        return self.select_related("office", "template_version__template", "section")


class Inspection(Versioned):
    class State(models.TextChoices):
        PLANNED = "planned", "予定"
        IN_PROGRESS = "in_progress", "点検中"
        DONE = "done", "完了"

    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("点検名", max_length=200)
    inspected_on = models.DateField("点検日")
    template_version = models.ForeignKey(
        ChecklistVersion,
        verbose_name="チェックリストの版",
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    places = models.ManyToManyField(Place, verbose_name="点検場所", related_name="inspections")
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name="実施する課",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="課長が自分の課の場所を点検するとき。空欄は推進部会の点検です。",
    )
    state = models.CharField("状況", max_length=20, choices=State.choices, default=State.PLANNED)
    notes = models.TextField("メモ", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作成者",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[places])

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = "バリアフリー点検"
        verbose_name_plural = "バリアフリー点検"
        ordering = ["-inspected_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.pk])


class TeamMemberQuerySet(OfficeScopedQuerySet):
    office_path = "inspection__office"


class TeamMember(models.Model):
    """A member of an inspection's team: staff (some walking it in a wheelchair or with a
    pram) or a resident of the panel, recorded by role, or by name only with consent."""

    class Kind(models.TextChoices):
        STAFF = "staff", "職員"
        WHEELCHAIR = "wheelchair", "車いすで点検する職員"
        PRAM = "pram", "ベビーカーで点検する職員"
        RESIDENT = "resident", "区民モニター"

    inspection = models.ForeignKey(
        Inspection, verbose_name="点検", on_delete=models.CASCADE, related_name="team"
    )
    kind = models.CharField("参加の形", max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="職員",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resident_role = models.CharField(
        "区民モニターの立場",
        max_length=100,
        blank=True,
        help_text="例：視覚に障害のある区民、外国籍の区民、子育て中の区民",
    )
    resident_name = models.CharField(
        "区民モニターの氏名",
        max_length=100,
        blank=True,
        help_text="本人の同意があるときだけ記録します。",
    )
    consent_on = models.DateField("氏名の記録に同意した日", null=True, blank=True)
    history = HistoricalRecords()

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "点検チームの一員"
        verbose_name_plural = "点検チーム"
        ordering = ["inspection", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident_name="") | Q(consent_on__isnull=False),
                name="resident_name_needs_consent",
                violation_error_message="氏名を記録するには、本人が同意した日を入力してください。",
            ),
        ]

    def __str__(self):
        if self.user_id:
            return f"{self.user.full_name}（{self.get_kind_display()}）"
        name = self.resident_name or "氏名非公開"
        return f"{self.resident_role or '区民モニター'}：{name}"


class Rating(models.TextChoices):
    OK = "ok", "適合"
    NEEDS = "needs", "要改善"
    NA = "na", "該当なし"


class AnswerQuerySet(OfficeScopedQuerySet):
    office_path = "inspection__office"


class Answer(models.Model):
    """One item answered at one place. A measured value decides the rating by the item's rule."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="点検", on_delete=models.CASCADE, related_name="answers"
    )
    place = models.ForeignKey(
        Place, verbose_name="場所", on_delete=models.PROTECT, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name="項目", on_delete=models.PROTECT, related_name="answers"
    )
    rating = models.CharField("評価", max_length=10, choices=Rating.choices)
    value = models.DecimalField("計測値", max_digits=12, decimal_places=6, null=True, blank=True)
    note = models.TextField("気づいたこと", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="記録者",
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField("記録日時", auto_now=True)
    history = HistoricalRecords()

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = "点検の回答"
        verbose_name_plural = "点検の回答"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "place", "item"], name="answer_unique_place_item"
            )
        ]

    def __str__(self):
        return f"{self.place} {self.item.code} {self.get_rating_display()}"


# ---------------------------------------------------------------------------------------------
# Findings


class FindingQuerySet(OfficeScopedQuerySet):
    office_path = "inspection__office"

    def for_list(self):
        return self.select_related(
            "inspection",
            "place",
            "place__floor",
            "place__floor__building",
            "item",
            "section",
            "proposal",
        )

    def unclosed(self):
        return self.exclude(state=Finding.State.CLOSED)

    def overdue(self, on=None):
        return self.unclosed().filter(due_on__lt=on or today())


class Finding(Versioned):
    """A 要改善 answer, tracked until a re-check confirms the fix."""

    class State(models.TextChoices):
        OPEN = "open", "未対応"
        CORRECTED = "corrected", "是正済み（再確認待ち）"
        PROPOSED = "proposed", "事業企画案で対応"
        CLOSED = "closed", "完了（再確認済み）"

    class Severity(models.TextChoices):
        HIGH = "high", "高（安全・利用に支障）"
        MEDIUM = "medium", "中（不便がある）"
        LOW = "low", "低（改善が望ましい）"

    answer = models.OneToOneField(
        Answer, verbose_name="点検の回答", on_delete=models.PROTECT, related_name="finding"
    )
    # Copied from the answer for the lists and the summary (an answer never moves).
    inspection = models.ForeignKey(
        Inspection, verbose_name="点検", on_delete=models.PROTECT, related_name="findings"
    )
    place = models.ForeignKey(
        Place, verbose_name="場所", on_delete=models.PROTECT, related_name="findings"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name="項目", on_delete=models.PROTECT, related_name="findings"
    )
    barrier = models.CharField("バリアの種類", max_length=20, choices=Barrier.choices)
    description = models.TextField("指摘の内容", blank=True)
    severity = models.CharField(
        "重要度", max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    section = models.ForeignKey(
        "accounts.Section", verbose_name="担当課", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("対応期限")
    state = models.CharField("状況", max_length=20, choices=State.choices, default=State.OPEN)
    correction = models.TextField("是正の内容", blank=True)
    corrected_on = models.DateField("是正日", null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="是正の記録者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposal = models.OneToOneField(
        "plans.Proposal",
        verbose_name="事業企画案",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_finding",
    )
    closed_on = models.DateField("完了日", null=True, blank=True)
    voices = models.ManyToManyField(
        "feedback.ResidentVoice", verbose_name="関連する区民の声", blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[voices])

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = "指摘事項"
        verbose_name_plural = "指摘事項"
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.place.name}：{self.item.text}"

    def get_absolute_url(self):
        return reverse("inspections:finding_detail", args=[self.pk])

    @property
    def is_overdue(self):
        return self.state != self.State.CLOSED and self.due_on < today()

    @property
    def closed_within_due(self):
        return self.closed_on is not None and self.closed_on <= self.due_on


class RecheckQuerySet(OfficeScopedQuerySet):
    office_path = "finding__inspection__office"


class Recheck(models.Model):
    """A look at a finding's place again: the only way a finding is closed. From the finding's
    page, or from a later inspection that answered the same item at the same place."""

    finding = models.ForeignKey(
        Finding, verbose_name="指摘事項", on_delete=models.CASCADE, related_name="rechecks"
    )
    checked_on = models.DateField("確認日")
    confirmed = models.BooleanField("是正を確認した")
    note = models.TextField("確認の内容", blank=True)
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="確認した点検",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rechecks",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="確認者",
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = RecheckQuerySet.as_manager()

    class Meta:
        verbose_name = "再確認"
        verbose_name_plural = "再確認"
        ordering = ["finding", "checked_on", "id"]

    def __str__(self):
        return f"{self.finding} {self.checked_on}"


def photo_path(instance, filename):
    # A random name: nothing the tablet said about the file reaches the disk.
    import uuid

    return f"inspections/{uuid.uuid4().hex}.jpg"


class PhotoQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The photos of `office`'s answers and findings (photo → answer or finding →
        inspection → office); none for no office (a photo has no answer when it is of a
        finding, so a filter on a missing office would match it)."""
        if office is None:
            return self.none()
        return self.filter(
            Q(answer__inspection__office=office) | Q(finding__inspection__office=office)
        )


class Photo(models.Model):
    """A photo taken on the walk (before), after a correction (after), or at a re-check.
    Stored re-encoded as JPEG without any metadata (core.uploads.validate_photo)."""

    class Stage(models.TextChoices):
        BEFORE = "before", "点検時"
        AFTER = "after", "是正後"
        RECHECK = "recheck", "再確認時"

    answer = models.ForeignKey(
        Answer,
        verbose_name="回答",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name="指摘事項",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    stage = models.CharField("撮影時点", max_length=10, choices=Stage.choices)
    image = models.FileField("写真", upload_to=photo_path)
    width = models.PositiveIntegerField("幅")
    height = models.PositiveIntegerField("高さ")
    caption = models.CharField("説明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撮影者",
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = "写真"
        verbose_name_plural = "写真"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.caption or f"写真（{self.get_stage_display()}）"

    def get_absolute_url(self):
        return reverse("inspections:photo", args=[self.pk])
