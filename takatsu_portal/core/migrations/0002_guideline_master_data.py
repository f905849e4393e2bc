"""The guideline's five basic policies and its initiative areas, with its own wording
(高津区役所サービス向上指針, 2014年4月, sections 1 and 2)."""

from django.db import migrations
from django.utils import timezone

POLICIES = [
    (
        1,
        "区民の声に耳を傾け、区民の視点に立った区役所",
        "サービスの利用者である区民が十分に満足できるサービス提供を行うために、区民の声を大切にし、"
        "常に区民の視点に立った利用しやすい区役所をめざして、不断の努力を継続的に続けていきます。",
    ),
    (
        2,
        "区民に対して親切で分かりやすい区役所",
        "いわゆる役所言葉や専門用語は平易な分かりやすい言葉に直し、親切丁寧な案内を心がけます。"
        "また、区民に不快感を抱かせない清潔かつ適切な身だしなみに気を配り、区民に対して積極的に声を"
        "かけて、やさしい言葉づかいで話しやすい環境づくりを進めます。",
    ),
    (
        3,
        "区民に正確かつ迅速にサービスを提供する区役所",
        "区役所サービスの基本である正確かつ迅速な対応を行うため、職員一人ひとりが日々研鑽に励んで業務"
        "に関する能力を高め、マニュアル作成等による業務手順の標準化を行うなど、常に事務の改善を心がけ、"
        "満足度の高いサービスの提供に努めます。",
    ),
    (
        4,
        "各部署の連携を図り、効率的な手続きが行える区役所",
        "区民が区役所に手続きに来られたときに、関連するいくつかの部署に足を運ばなければならない場合、"
        "各部署が横断的に連携を図り、効率的にサービスを提供できるよう工夫することを心がけます。",
    ),
    (
        5,
        "心・情報・物のバリアフリーを進め、点検と改善を実践する区役所",
        "利用者には多様な立場の方がいることを十分認識し、誰もが利用しやすい区役所となるよう、「心」"
        "「情報」「物」のバリアフリーを心がけます。また、そのような環境整備や対応ができていないか点検を"
        "重ね、必要に応じて随時改善していきます。",
    ),
]

INITIATIVE_AREAS = [
    (
        1,
        "window-satisfaction",
        "ward",
        "窓口サービスの満足度の向上",
        "窓口サービスの満足度を高めていくためには、実際に利用する区民の立場に立った視点が必要です。"
        "アンケート等により区民の声を広く聴き、区民の視点に立った窓口サービスの点検・改善を進め、"
        "来庁されたすべての方が、利便性を感じ、快適に手続きが行える満足度の高いサービスの実現を図ります。",
    ),
    (
        2,
        "amenity",
        "ward",
        "区役所アメニティの向上",
        "区役所は、高齢者の方、外国人の方、ベビーカーを押す方、車いすで来庁される方など、さまざまな方が"
        "利用します。ユニバーサルデザインや省エネ・創エネ等の視点に基づき、来庁されたすべての方に安全・"
        "安心かつ快適な庁舎環境を実感していただけるよう、誰もが利用しやすい庁舎環境の実現を図ります。",
    ),
    (
        3,
        "information-sharing",
        "ward",
        "職員の情報共有の促進",
        "区役所では、日々さまざまな部署で多種多様な事業が行われています。区民からの問合せに的確に対応"
        "できるよう、区役所職員として知っておくべき事項や職員間における情報の共有化を図るため、職員向け"
        "の情報紙を定期的に発行します。",
    ),
    (
        4,
        "training",
        "ward",
        "各種研修の充実",
        "区民への利便性の向上と利用者の視点に立った満足度の高いサービスを提供していくためには、職員一人"
        "ひとりのスキルアップが必要です。区民に対する親切・丁寧な対応はもとより、専門性を高める業務知識"
        "を習得し、事務処理を迅速かつ正確に行い、また区固有の課題に対応するため、区独自で企画した職員研修"
        "を実施します。",
    ),
    (
        5,
        "cross-section",
        "ward",
        "各課を横断した取組",
        "区役所サービスの向上に当たっては、庁舎の耐震対策や大規模修繕の実施、庁舎内外の案内サインの改修"
        "等、各課を横断して取り組むべき課題があり、これらの課題解決については、区役所が一体となって総合的"
        "な取組を推進します。",
    ),
    (
        6,
        "individual-improvement",
        "individual",
        "個別業務の改善",
        "区・部・課の組織目標に基づき、職員一人ひとりが個別業務の改善を中心に、広範囲で質の高いサービス"
        "向上の取組を展開します。",
    ),
]


REASON = "高津区役所サービス向上指針（2014年4月）から登録"


def _record_creation(historical_model, obj, fields):
    """Historical models are not tracked inside migrations: write the '+' row ourselves, so
    that the history of master data starts with its creation."""
    historical_model.objects.create(
        id=obj.id,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason=REASON,
        **{name: getattr(obj, name) for name in fields},
    )


def _template(model):
    """The lookup of the city's template rows: at this migration every row is one; once rows
    belong to offices (0006), tests that load this data again (tests/conftest.py) must find
    only the template's, not an office's copy of the same number."""
    if any(field.name == "office" for field in model._meta.get_fields()):
        return {"office": None}
    return {}


def load(apps, schema_editor):
    Policy = apps.get_model("core", "Policy")
    InitiativeArea = apps.get_model("core", "InitiativeArea")
    for number, title, description in POLICIES:
        policy, created = Policy.objects.update_or_create(
            number=number,
            **_template(Policy),
            defaults={"title": title, "description": description},
        )
        if created:
            _record_creation(
                apps.get_model("core", "HistoricalPolicy"),
                policy,
                ["number", "title", "description"],
            )
    for number, code, scope, title, description in INITIATIVE_AREAS:
        area, created = InitiativeArea.objects.update_or_create(
            code=code,
            **_template(InitiativeArea),
            defaults={
                "number": number,
                "scope": scope,
                "title": title,
                "description": description,
            },
        )
        if created:
            _record_creation(
                apps.get_model("core", "HistoricalInitiativeArea"),
                area,
                ["code", "number", "scope", "title", "description"],
            )


def unload(apps, schema_editor):
    apps.get_model("core", "HistoricalPolicy").objects.all().delete()
    apps.get_model("core", "HistoricalInitiativeArea").objects.all().delete()
    apps.get_model("core", "Policy").objects.all().delete()
    apps.get_model("core", "InitiativeArea").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
