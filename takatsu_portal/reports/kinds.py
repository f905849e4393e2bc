"""The registry of report kinds. A kind says what the report is called, who may ask for it and
read it, which parameters it takes (a form for the reports page, options for the
`render_report` command), the parameters of "the current one" (this fiscal year's plan, the
latest period), and how to build its HTML. The apps register their kinds in the
`report.py` of each feature, imported by their AppConfig.ready."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms


@dataclass(frozen=True)
class Param:
    """One parameter of a kind: its key in the job's params and the command's --option."""

    name: str
    help: str


@dataclass(frozen=True)
class Built:
    """What a kind's build returns: the PDF's title, its HTML, and the facts it was made from
    (fiscal year, period, plan version, counts...), kept with the version as JSON."""

    title: str
    html: str
    facts: dict = field(default_factory=dict)


class ReportForm(forms.Form):
    """The parameters of a kind on the reports page. Subclasses declare ModelChoiceFields named
    as the kind's params and narrow their querysets to what `user` may see in `limit`."""

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.limit(user)

    def limit(self, user):
        """Narrow the fields' choices to `user`'s office (override)."""

    def params(self):
        """The job's params: each field's object as its primary key."""
        return {
            name: getattr(value, "pk", value)
            for name, value in self.cleaned_data.items()
            if value is not None
        }


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: str
    description: str
    build: Callable[[dict], Built]
    office_of: Callable[[dict], int]
    form: type[ReportForm]
    default_params: Callable[..., dict]
    params: tuple[Param, ...]
    # Who reads the versions of this kind, and who may ask for a new one.
    # The labels of the facts its build returns (Built.facts), shown on the job's page.
    fact_labels: dict = field(default_factory=dict)
    permission: str = "portal.view_reports"
    request_permission: str = "portal.request_reports"
    order: int = 100
    # False for a kind asked for and read on its app's own pages (a training certificate):
    # the reports page neither offers it nor lists its jobs.
    on_reports_page: bool = True


# Facts that any kind may record; a kind labels its own in `fact_labels`.
COMMON_FACT_LABELS = {"fiscal_year": "年度", "as_of": "基準日"}

REGISTRY: dict[str, ReportKind] = {}


def register(kind):
    REGISTRY[kind.key] = kind
    return kind


def get_kind(key):
    try:
        return REGISTRY[key]
    except KeyError:
        raise ValueError(f"unknown report kind: {key!r}") from None


def kinds():
    """Every kind, in the order of the reports page."""
    return sorted(REGISTRY.values(), key=lambda k: (k.order, k.key))


def all_param_names():
    """Every parameter of every kind (the command's options)."""
    names = {}
    for kind in kinds():
        for param in kind.params:
            names.setdefault(param.name, param.help)
    return names
