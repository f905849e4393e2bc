import datetime

import factory

from feedback.models import (
    Answer,
    Choice,
    Question,
    ResidentVoice,
    Response,
    ServiceWindow,
    Survey,
)
from tests.factories import OfficeFactory, SectionFactory, UserFactory


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceWindow

    section = factory.SubFactory(SectionFactory)
    name = factory.Sequence(lambda n: f"住民記録窓口{n}")
    location = "1階 3番窓口"


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    office = factory.SubFactory(OfficeFactory)
    title = "窓口サービス満足度アンケート"
    introduction = "本日の窓口でのご用件についてお聞かせください。"
    opens_on = datetime.date(2026, 4, 1)
    closes_on = datetime.date(2027, 3, 31)
    created_by = factory.SubFactory(UserFactory)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.SATISFACTION
    text = "本日の窓口の対応に満足しましたか。"
    required = True


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.SINGLE)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"選択肢{n}")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    submitted_on = datetime.date(2026, 6, 1)
    channel = Response.Channel.WEB
    submission_key = factory.Sequence(lambda n: f"key-{n}")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)


class VoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentVoice

    office = factory.SubFactory(OfficeFactory)
    channel = ResidentVoice.Channel.COUNTER
    category = ResidentVoice.Category.WAITING
    section = factory.SubFactory(SectionFactory)
    received_on = datetime.date(2026, 6, 1)
    due_on = datetime.date(2026, 6, 15)
    summary = "転入手続きの待ち時間が長い"
    body = "土曜開庁日に1時間以上待った。待ち時間の目安を表示してほしい。"
    recorded_by = factory.SubFactory(UserFactory)
