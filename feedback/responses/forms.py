"""The public answer form, built from a survey's questions, in the resident's language.

The words of the public pages (buttons, errors, thank-you page) are here for every language a
survey can be answered in; the survey's own texts come from its translations, falling back to
Japanese. The submission key is a signed random value: it carries the survey and the time the
form was issued, so that a forged or stale form is refused, and its random part is stored with
the response (Response.submission_key) so that the same form sent twice is stored once.
"""

import secrets
from dataclasses import dataclass, field

from django import forms
from django.core import signing

from ..models import LANGUAGE_CODES, LANGUAGES, SATISFACTION_LABELS, Question
from .services import MAX_TEXT, answer_field

LANGUAGE_NAMES = dict(LANGUAGES)
KEY_SALT = "feedback.public_survey.key"
# A form may be answered for a day after it was opened (at the window, or later at home).
KEY_MAX_AGE = 24 * 3600
HONEYPOT = "website"

# Words of the public pages, per language. "{min}", "{max}" are filled in by the form;
# "%(show_value)d" by Django's length validator.
TEXTS = {
    "ja": {
        "required": "必須",
        "choose_any": "いくつでも選べます",
        "choose_window": "選んでください",
        "submit": "回答を送信する",
        "summary_title": "入力内容を確認してください",
        "err_required": "この質問にお答えください。",
        "err_choice": "選択肢の中から選んでください。",
        "err_number": "数字を入力してください。",
        "err_digits": "数字は小数点以下2桁まで、10桁以内で入力してください。",
        "err_min": "{min}以上の数字を入力してください。",
        "err_max": "{max}以下の数字を入力してください。",
        "err_length": "{max}文字以内で入力してください（現在%(show_value)d文字）。",
        "err_tampered": "送信された内容に、受け付けられない回答が含まれています。"
        "選び直して、もう一度送信してください。",
        "err_expired": "フォームを開いてから時間がたったため、送信できませんでした。"
        "回答は下に残っています。確認して、もう一度送信してください。",
        "thanks_title": "ご協力ありがとうございました",
        "thanks_body": "回答を受け付けました。いただいたご意見は、窓口サービスの改善に活用します。",
        "closed_title": "このアンケートは受付期間外です",
        "closed_before": "このアンケートは{date}から回答できます。",
        "closed_after": "このアンケートの受付は{date}で終了しました。"
        "ご協力ありがとうございました。",
        "not_found_title": "アンケートが見つかりません",
        "not_found_body": "アドレスが正しいか、もう一度お確かめください。"
        "QRコードから開いた場合は、もう一度読み取ってください。",
        "rate_title": "しばらくしてから送信してください",
        "rate_body": "短い時間に多くの回答が送信されたため、受付を一時的に止めています。"
        "10分ほどたってから、もう一度送信してください。",
        "invalid_title": "送信内容を受け付けられませんでした",
        "invalid_body": "送信されたフォームが正しくありません。"
        "お手数ですが、アンケートを開き直して回答してください。",
        "open_again": "アンケートを開き直す",
        "error_prefix": "エラー：",
        "language": "言語",
        "ask": "アンケートにご協力ください",
        "date": "{year}年{month}月{day}日",
    },
    "ja-easy": {
        "required": "かならず こたえて ください",
        "choose_any": "いくつ えらんでも いいです",
        "choose_window": "えらんで ください",
        "submit": "おくる",
        "summary_title": "こたえを たしかめて ください",
        "err_required": "この しつもんに こたえて ください。",
        "err_choice": "えらぶ ものの なかから えらんで ください。",
        "err_number": "すうじを かいて ください。",
        "err_digits": "すうじは 10けた までで かいて ください。",
        "err_min": "{min} より おおきい すうじ（{min} でも いいです）を かいて ください。",
        "err_max": "{max} より ちいさい すうじ（{max} でも いいです）を かいて ください。",
        "err_length": "{max}もじ までで かいて ください（いま %(show_value)d もじ）。",
        "err_tampered": "おくった ものに、うけとれない こたえが あります。"
        "もう いちど えらんで、おくって ください。",
        "err_expired": "じかんが たったので、おくれませんでした。"
        "こたえは したに のこって います。もう いちど おくって ください。",
        "thanks_title": "ありがとう ございました",
        "thanks_body": "こたえを うけとりました。"
        "くやくしょの まどぐちを よく するために つかいます。",
        "closed_title": "いまは この アンケートに こたえられません",
        "closed_before": "この アンケートは {date} から こたえられます。",
        "closed_after": "この アンケートは {date} で おわりました。ありがとう ございました。",
        "not_found_title": "アンケートが ありません",
        "not_found_body": "アドレスが ただしいか、たしかめて ください。"
        "QRコードの ときは、もう いちど よみとって ください。",
        "rate_title": "すこし まってから おくって ください",
        "rate_body": "みじかい じかんに たくさん おくられたので、いまは うけとれません。"
        "10ぷん ぐらい まってから、もう いちど おくって ください。",
        "invalid_title": "うけとれませんでした",
        "invalid_body": "おくった ものが ただしく ありません。"
        "もう いちど アンケートを ひらいて、こたえて ください。",
        "open_again": "アンケートを もう いちど ひらく",
        "error_prefix": "まちがい：",
        "language": "ことば",
        "ask": "アンケートに こたえて ください",
        "date": "{year}ねん{month}がつ{day}にち",
    },
    "en": {
        "required": "Required",
        "choose_any": "Choose all that apply",
        "choose_window": "Please choose",
        "submit": "Send my answers",
        "summary_title": "Please check your answers",
        "err_required": "Please answer this question.",
        "err_choice": "Please choose one of the options.",
        "err_number": "Please enter a number.",
        "err_digits": "Please enter a number with at most 10 digits and 2 decimal places.",
        "err_min": "Please enter a number of {min} or more.",
        "err_max": "Please enter a number of {max} or less.",
        "err_length": "Please use {max} characters or fewer (now %(show_value)d).",
        "err_tampered": "Some of the answers sent could not be accepted. "
        "Please choose again and send the form.",
        "err_expired": "The form was open for too long and could not be sent. "
        "Your answers are still below: please check them and send again.",
        "thanks_title": "Thank you for your answers",
        "thanks_body": "We have received your answers. "
        "We will use them to improve the service at our windows.",
        "closed_title": "This survey is not open",
        "closed_before": "This survey opens on {date}.",
        "closed_after": "This survey closed on {date}. Thank you for your interest.",
        "not_found_title": "Survey not found",
        "not_found_body": "Please check the address. "
        "If you opened it from a QR code, please scan the code again.",
        "rate_title": "Please try again later",
        "rate_body": "Many answers were sent from your connection in a short time, so we have "
        "paused accepting them. Please wait about 10 minutes and send again.",
        "invalid_title": "We could not accept this form",
        "invalid_body": "The form that was sent is not valid. "
        "Please open the survey again and answer it.",
        "open_again": "Open the survey again",
        "error_prefix": "Error: ",
        "language": "Language",
        "ask": "Please answer our survey",
        "date": "{year}-{month:02d}-{day:02d}",
    },
    "zh": {
        "required": "必填",
        "choose_any": "可多选",
        "choose_window": "请选择",
        "submit": "提交回答",
        "summary_title": "请检查您的回答",
        "err_required": "请回答此问题。",
        "err_choice": "请从选项中选择。",
        "err_number": "请输入数字。",
        "err_digits": "数字最多10位，小数点后最多2位。",
        "err_min": "请输入{min}以上的数字。",
        "err_max": "请输入{max}以下的数字。",
        "err_length": "请在{max}个字以内填写（目前%(show_value)d个字）。",
        "err_tampered": "提交的内容中有无法接受的回答。请重新选择后再提交。",
        "err_expired": "表格打开时间过长，未能提交。您的回答仍保留在下方，请确认后再次提交。",
        "thanks_title": "感谢您的协助",
        "thanks_body": "我们已收到您的回答，将用于改善窗口服务。",
        "closed_title": "此问卷目前不在受理期间",
        "closed_before": "此问卷将于{date}开始受理。",
        "closed_after": "此问卷已于{date}结束受理。感谢您的关注。",
        "not_found_title": "找不到问卷",
        "not_found_body": "请确认网址是否正确。如果是通过二维码打开的，请重新扫描。",
        "rate_title": "请稍后再试",
        "rate_body": "短时间内提交的回答过多，暂时停止受理。请等待约10分钟后再次提交。",
        "invalid_title": "无法受理提交的内容",
        "invalid_body": "提交的表格不正确。请重新打开问卷并回答。",
        "open_again": "重新打开问卷",
        "error_prefix": "错误：",
        "language": "语言",
        "ask": "请协助填写问卷调查",
        "date": "{year}年{month}月{day}日",
    },
    "ko": {
        "required": "필수",
        "choose_any": "여러 개 선택할 수 있습니다",
        "choose_window": "선택해 주세요",
        "submit": "답변 보내기",
        "summary_title": "답변을 확인해 주세요",
        "err_required": "이 질문에 답해 주세요.",
        "err_choice": "선택지 중에서 골라 주세요.",
        "err_number": "숫자를 입력해 주세요.",
        "err_digits": "숫자는 10자리 이내, 소수점 이하 2자리까지 입력해 주세요.",
        "err_min": "{min} 이상의 숫자를 입력해 주세요.",
        "err_max": "{max} 이하의 숫자를 입력해 주세요.",
        "err_length": "{max}자 이내로 입력해 주세요(현재 %(show_value)d자).",
        "err_tampered": "보낸 내용에 받을 수 없는 답변이 있습니다. 다시 선택해서 보내 주세요.",
        "err_expired": "양식을 연 지 오래되어 보내지 못했습니다. "
        "답변은 아래에 남아 있습니다. 확인 후 다시 보내 주세요.",
        "thanks_title": "협조해 주셔서 감사합니다",
        "thanks_body": "답변을 받았습니다. 창구 서비스 개선에 활용하겠습니다.",
        "closed_title": "이 설문조사는 접수 기간이 아닙니다",
        "closed_before": "이 설문조사는 {date}부터 답변할 수 있습니다.",
        "closed_after": "이 설문조사는 {date}에 접수가 끝났습니다. 관심을 가져 주셔서 감사합니다.",
        "not_found_title": "설문조사를 찾을 수 없습니다",
        "not_found_body": "주소가 맞는지 확인해 주세요. QR코드로 열었다면 다시 읽어 주세요.",
        "rate_title": "잠시 후 다시 보내 주세요",
        "rate_body": "짧은 시간에 많은 답변이 보내져 접수를 잠시 멈췄습니다. "
        "10분 정도 지난 후 다시 보내 주세요.",
        "invalid_title": "보낸 내용을 받을 수 없습니다",
        "invalid_body": "보낸 양식이 올바르지 않습니다. 설문조사를 다시 열어 답해 주세요.",
        "open_again": "설문조사 다시 열기",
        "error_prefix": "오류: ",
        "language": "언어",
        "ask": "설문조사에 협조해 주세요",
        "date": "{year}년 {month}월 {day}일",
    },
    "pt": {
        "required": "Obrigatório",
        "choose_any": "Escolha quantas quiser",
        "choose_window": "Escolha",
        "submit": "Enviar respostas",
        "summary_title": "Verifique suas respostas",
        "err_required": "Responda a esta pergunta.",
        "err_choice": "Escolha uma das opções.",
        "err_number": "Digite um número.",
        "err_digits": "Digite um número com até 10 dígitos e 2 casas decimais.",
        "err_min": "Digite um número igual ou maior que {min}.",
        "err_max": "Digite um número igual ou menor que {max}.",
        "err_length": "Use no máximo {max} caracteres (agora %(show_value)d).",
        "err_tampered": "Algumas respostas enviadas não puderam ser aceitas. "
        "Escolha novamente e envie o formulário.",
        "err_expired": "O formulário ficou aberto por muito tempo e não foi enviado. "
        "Suas respostas continuam abaixo: verifique e envie novamente.",
        "thanks_title": "Obrigado pela sua colaboração",
        "thanks_body": "Recebemos suas respostas. "
        "Elas serão usadas para melhorar o atendimento nos nossos balcões.",
        "closed_title": "Esta pesquisa não está aberta",
        "closed_before": "Esta pesquisa abre em {date}.",
        "closed_after": "Esta pesquisa foi encerrada em {date}. Obrigado pelo interesse.",
        "not_found_title": "Pesquisa não encontrada",
        "not_found_body": "Verifique o endereço. "
        "Se você abriu pelo código QR, leia o código novamente.",
        "rate_title": "Tente novamente mais tarde",
        "rate_body": "Muitas respostas foram enviadas em pouco tempo, por isso pausamos o "
        "recebimento. Aguarde cerca de 10 minutos e envie novamente.",
        "invalid_title": "Não foi possível aceitar este formulário",
        "invalid_body": "O formulário enviado não é válido. Abra a pesquisa novamente e responda.",
        "open_again": "Abrir a pesquisa novamente",
        "error_prefix": "Erro: ",
        "language": "Idioma",
        "ask": "Por favor, responda à nossa pesquisa",
        "date": "{day:02d}/{month:02d}/{year}",
    },
    "vi": {
        "required": "Bắt buộc",
        "choose_any": "Có thể chọn nhiều",
        "choose_window": "Vui lòng chọn",
        "submit": "Gửi câu trả lời",
        "summary_title": "Vui lòng kiểm tra câu trả lời",
        "err_required": "Vui lòng trả lời câu hỏi này.",
        "err_choice": "Vui lòng chọn một trong các lựa chọn.",
        "err_number": "Vui lòng nhập một số.",
        "err_digits": "Vui lòng nhập số có tối đa 10 chữ số và 2 chữ số thập phân.",
        "err_min": "Vui lòng nhập số từ {min} trở lên.",
        "err_max": "Vui lòng nhập số từ {max} trở xuống.",
        "err_length": "Vui lòng nhập tối đa {max} ký tự (hiện tại %(show_value)d).",
        "err_tampered": "Một số câu trả lời không thể được chấp nhận. "
        "Vui lòng chọn lại và gửi biểu mẫu.",
        "err_expired": "Biểu mẫu đã mở quá lâu nên không gửi được. "
        "Câu trả lời của bạn vẫn còn bên dưới: vui lòng kiểm tra và gửi lại.",
        "thanks_title": "Cảm ơn bạn đã hợp tác",
        "thanks_body": "Chúng tôi đã nhận được câu trả lời của bạn "
        "và sẽ sử dụng để cải thiện dịch vụ tại quầy.",
        "closed_title": "Khảo sát này hiện không mở",
        "closed_before": "Khảo sát này bắt đầu từ {date}.",
        "closed_after": "Khảo sát này đã kết thúc vào {date}. Cảm ơn bạn đã quan tâm.",
        "not_found_title": "Không tìm thấy khảo sát",
        "not_found_body": "Vui lòng kiểm tra địa chỉ. Nếu bạn mở từ mã QR, vui lòng quét lại mã.",
        "rate_title": "Vui lòng thử lại sau",
        "rate_body": "Có quá nhiều câu trả lời được gửi trong thời gian ngắn nên chúng tôi tạm "
        "dừng tiếp nhận. Vui lòng đợi khoảng 10 phút rồi gửi lại.",
        "invalid_title": "Không thể tiếp nhận biểu mẫu này",
        "invalid_body": "Biểu mẫu đã gửi không hợp lệ. Vui lòng mở lại khảo sát và trả lời.",
        "open_again": "Mở lại khảo sát",
        "error_prefix": "Lỗi: ",
        "language": "Ngôn ngữ",
        "ask": "Xin vui lòng trả lời khảo sát",
        "date": "{day:02d}/{month:02d}/{year}",
    },
}
assert set(TEXTS) == set(LANGUAGE_CODES), "every language has the public pages' words"


def html_lang(language):
    """The value of the page's lang attribute: plain Japanese for やさしい日本語."""
    return "ja" if language == "ja-easy" else language


def format_date(day, language):
    return TEXTS[language]["date"].format(year=day.year, month=day.month, day=day.day)


def survey_languages(survey):
    """Japanese, then every language the survey's title or introduction is translated into."""
    translated = survey.translations or {}
    return ["ja"] + [
        code
        for code in LANGUAGE_CODES
        if code != "ja" and any((translated.get(code) or {}).values())
    ]


def fallback_lang(obj, field, language):
    """The language `obj.field` shows in on a page in `language`: the page's own when the text
    is translated, else "ja" (the Japanese text it falls back to), for the lang attribute."""
    if language != "ja" and ((obj.translations or {}).get(language) or {}).get(field):
        return html_lang(language)
    return "ja"


def pick_language(survey, requested):
    return requested if requested in survey_languages(survey) else "ja"


# ---------------------------------------------------------------------------------------------
# The submission key


class KeyExpired(Exception):
    pass


class KeyInvalid(Exception):
    pass


def issue_key(survey):
    return signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(24)}, salt=KEY_SALT)


def read_key(survey, signed):
    """The random part of a key issued for `survey`, or KeyInvalid / KeyExpired."""
    if not signed or len(signed) > 300:
        raise KeyInvalid
    try:
        payload = signing.loads(signed, salt=KEY_SALT, max_age=KEY_MAX_AGE)
    except signing.SignatureExpired:
        raise KeyExpired from None
    except signing.BadSignature:
        raise KeyInvalid from None
    nonce = payload.get("n") if isinstance(payload, dict) else None
    if payload.get("s") != survey.pk or not isinstance(nonce, str) or not 0 < len(nonce) <= 64:
        raise KeyInvalid
    return nonce


# ---------------------------------------------------------------------------------------------
# The form


def _number_text(value):
    return f"{value.normalize():f}"


@dataclass
class Option:
    id: str
    value: str
    label: str
    checked: bool
    lang: str


@dataclass
class QuestionView:
    """What the template needs to draw one question."""

    question: Question
    name: str
    id: str
    kind: str
    text: str
    help: str
    required: bool
    errors: list
    options: list = field(default_factory=list)
    text_lang: str = "ja"
    help_lang: str = "ja"
    hint: str = ""
    value: str = ""
    min: str = ""
    max: str = ""

    @property
    def uses_fieldset(self):
        return self.kind in (
            Question.Kind.SATISFACTION,
            Question.Kind.SINGLE,
            Question.Kind.MULTIPLE,
        )

    @property
    def target(self):
        """The element the error summary links to: the first option of a group."""
        return self.options[0].id if self.uses_fieldset and self.options else self.id

    @property
    def hint_id(self):
        return f"{self.id}-hint" if self.hint else ""

    @property
    def help_id(self):
        return f"{self.id}-help" if self.help else ""

    @property
    def error_id(self):
        return f"{self.id}-error" if self.errors else ""

    @property
    def describedby(self):
        return " ".join(i for i in (self.hint_id, self.help_id, self.error_id) if i)


# Errors that a person using the form cannot cause: the page was altered or is stale.
TAMPER_CODES = {"invalid_choice", "max_length"}


class PublicSurveyForm(forms.Form):
    """One field per question (named like services.answer_field), the signed key, the
    honeypot and, when the poster named a window and no question asks for it, that window."""

    key = forms.CharField(widget=forms.HiddenInput, required=False)
    window = forms.TypedChoiceField(
        widget=forms.HiddenInput, coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, survey, questions, windows, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = questions
        self.language = language
        self.words = TEXTS[language]
        self.windows = windows
        self.fields[HONEYPOT] = forms.CharField(required=False, max_length=200)
        self.fields["window"].choices = [("", "")] + [(w.pk, w.name) for w in windows]
        self.fields["window"].error_messages["invalid_choice"] = self.words["err_choice"]
        for question in questions:
            self.fields[answer_field(question)] = self._field_for(question)

    def _messages(self, **extra):
        words = self.words
        return {"required": words["err_required"], "invalid_choice": words["err_choice"], **extra}

    def _field_for(self, question):
        kind = question.kind
        words = self.words
        lang = self.language
        if kind == Question.Kind.SATISFACTION:
            labels = SATISFACTION_LABELS[lang]
            # Satisfied first, as on the paper form: 5 (満足) down to 1 (不満).
            choices = [(point, labels[point - 1]) for point in range(5, 0, -1)]
            return forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                required=question.required,
                error_messages=self._messages(),
            )
        if kind == Question.Kind.SINGLE:
            return forms.TypedChoiceField(
                choices=[(c.pk, c.translated("text", lang)) for c in question.choices.all()],
                coerce=int,
                required=question.required,
                error_messages=self._messages(),
            )
        if kind == Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=[(c.pk, c.translated("text", lang)) for c in question.choices.all()],
                coerce=int,
                required=question.required,
                error_messages=self._messages(invalid_list=words["err_choice"]),
            )
        if kind == Question.Kind.NUMBER:
            minimum, maximum = question.min_value, question.max_value
            return forms.DecimalField(
                max_digits=12,
                decimal_places=2,
                min_value=minimum,
                max_value=maximum,
                required=question.required,
                error_messages=self._messages(
                    invalid=words["err_number"],
                    max_digits=words["err_digits"],
                    max_decimal_places=words["err_digits"],
                    max_whole_digits=words["err_digits"],
                    min_value=words["err_min"].format(
                        min=_number_text(minimum) if minimum is not None else ""
                    ),
                    max_value=words["err_max"].format(
                        max=_number_text(maximum) if maximum is not None else ""
                    ),
                ),
            )
        if kind == Question.Kind.TEXT:
            return forms.CharField(
                max_length=MAX_TEXT,
                required=question.required,
                error_messages=self._messages(max_length=words["err_length"].format(max=MAX_TEXT)),
            )
        if kind == Question.Kind.WINDOW:
            return forms.TypedChoiceField(
                choices=[("", words["choose_window"])]
                + [(w.pk, w.public_label(self.language)) for w in self.windows],
                coerce=int,
                empty_value=None,
                required=question.required,
                error_messages=self._messages(),
            )
        raise ValueError(f"unknown question kind {kind}")

    # -- reading

    def honeypot_filled(self):
        return bool((self.data.get(HONEYPOT) or "").strip())

    def tampered(self):
        """Whether an error is one only an altered (or stale) page can cause."""
        return any(
            getattr(error, "code", None) in TAMPER_CODES
            for errors in self.errors.as_data().values()
            for error in errors
        )

    def answers(self):
        """{question id: value} for services.response_submit."""
        return {q.pk: self.cleaned_data.get(answer_field(q)) for q in self.questions}

    # -- drawing

    def question_views(self):
        views = []
        lang = self.language
        for question in self.questions:
            bound = self[answer_field(question)]
            kind = question.kind
            view = QuestionView(
                question=question,
                name=bound.html_name,
                id=bound.auto_id,
                kind=kind,
                text=question.translated("text", lang),
                text_lang=fallback_lang(question, "text", lang),
                help=question.translated("help_text", lang),
                help_lang=fallback_lang(question, "help_text", lang),
                required=question.required,
                errors=list(bound.errors),
                hint=self.words["choose_any"] if kind == Question.Kind.MULTIPLE else "",
            )
            raw = bound.value()
            if kind in (Question.Kind.SATISFACTION, Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                selected = {str(v) for v in (raw if isinstance(raw, list) else [raw]) if v}
                langs = {c.pk: fallback_lang(c, "text", lang) for c in question.choices.all()}
                view.options = [
                    Option(
                        id=f"{bound.auto_id}-{index}",
                        value=str(value),
                        label=label,
                        checked=str(value) in selected,
                        lang=langs.get(value, html_lang(lang)),
                    )
                    for index, (value, label) in enumerate(bound.field.choices)
                ]
            elif kind == Question.Kind.WINDOW:
                # A translated window reads in the page's language (the Japanese name beside
                # it); an untranslated one is Japanese; the empty choice is the page's.
                langs = {w.pk: fallback_lang(w, "name", lang) for w in self.windows}
                view.options = [
                    Option(
                        id="",
                        value=str(value),
                        label=label,
                        checked=str(value) == str(raw),
                        lang=langs.get(value, "ja") if value != "" else html_lang(lang),
                    )
                    for value, label in bound.field.choices
                ]
            else:
                view.value = "" if raw is None else str(raw)
            if kind == Question.Kind.NUMBER:
                view.min = (
                    _number_text(question.min_value) if question.min_value is not None else ""
                )
                view.max = (
                    _number_text(question.max_value) if question.max_value is not None else ""
                )
            views.append(view)
        return views

    def error_summary(self):
        """(target id, question text, its lang, message) for every error."""
        rows = []
        for view in self.question_views():
            for message in view.errors:
                rows.append((view.target, view.text, view.text_lang, message))
        for message in self.non_field_errors():
            rows.append(("", "", "ja", message))
        if self.errors.get("window"):
            rows.append(("", "", "ja", self.words["err_tampered"]))
        return rows
