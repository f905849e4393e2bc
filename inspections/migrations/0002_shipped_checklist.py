"""The checklist shipped with the portal: 区役所バリアフリー点検チェックリスト, version 1.

Written for this project. The figures of 物 come from the 建築物移動等円滑化基準 (バリアフリー法
施行令) and the national design standard (高齢者、障害者等の円滑な移動等に配慮した建築設計標準):
doorways ≥ 80 cm, corridors ≥ 120 cm, ramps ≤ 1/12 (1/8 for a rise of 16 cm or less) with a
landing every 75 cm of rise, lift doors ≥ 80 cm and cars ≥ 140 × 135 cm, accessible parking
≥ 350 cm wide, low counters 70–75 cm high with knee space 65–70 cm high and ≥ 45 cm deep.
情報 and 心 follow the ward's own guideline (第5の基本方針) and the やさしい日本語 guidelines.

`load` is idempotent and can be called again by a test that emptied the tables.
"""

from decimal import Decimal

from django.db import migrations

NAME = "区役所バリアフリー点検チェックリスト"
DESCRIPTION = (
    "高津区役所サービス向上指針の基本方針5「心・情報・物のバリアフリー」を点検するための"
    "チェックリストです。物のバリアは建築物移動等円滑化基準と建築設計標準の数値で計測し、"
    "情報と心のバリアは、高齢の方、外国籍の方、ベビーカーを押す方、車いすを使う方、"
    "目や耳の不自由な方の立場で確認します。"
)

R, M = "rating", "measure"
LEAST, MOST, BETWEEN = "at_least", "at_most", "between"

# (code, barrier, place type ("" = every place), text, guidance, kind, unit, rule, low, high,
#  ratio, photo)
ITEMS = [
    # ---- 物のバリア
    ("物-01", "thing", "entrance", "出入口の有効幅",
     "扉を開けた状態で、枠や取っ手を除いた通り抜けられる幅を計測します。"
     "車いすが通るには80cm以上が必要です（建築物移動等円滑化基準）。",
     M, "cm", LEAST, "80", None, False, True),
    ("物-02", "thing", "entrance", "出入口に段差がない",
     "敷居や床材の継ぎ目に2cmを超える段差がないか、車いすとベビーカーで実際に通って確かめます。",
     R, "", "", None, None, False, True),
    ("物-03", "thing", "entrance", "自動扉の開く時間が十分",
     "杖を使う方がゆっくり通っても扉が閉まり始めないか、センサーの範囲とあわせて確認します。",
     R, "", "", None, None, False, False),
    ("物-04", "thing", "entrance", "視覚障害者誘導用ブロックが受付まで連続している",
     "道路から出入口、総合案内（受付）まで点字ブロックが途切れずに続いているか、"
     "上に物が置かれていないかを確認します。",
     R, "", "", None, None, False, True),
    ("物-05", "thing", "corridor", "廊下の有効幅",
     "掲示板や消火器など出っ張りを除いた最も狭い所で計測します。"
     "車いすと人がすれ違うには120cm以上が必要です。",
     M, "cm", LEAST, "120", None, False, True),
    ("物-06", "thing", "corridor", "通路に物が置かれていない",
     "段ボール、パンフレットスタンド、ベンチ等が通行の妨げになっていないか確認します。",
     R, "", "", None, None, False, True),
    ("物-07", "thing", "ramp", "スロープの勾配",
     "水平距離と高低差から勾配を求め、「1/15」のように入力します。"
     "1/12以下が基準です（高低差16cm以下の場合は1/8以下）。",
     M, "勾配", MOST, None, "0.083333", True, True),
    ("物-08", "thing", "ramp", "スロープの踊り場",
     "高低差75cmごとに、長さ150cm以上の踊り場があるか確認します。",
     R, "", "", None, None, False, False),
    ("物-09", "thing", "ramp", "スロープ・階段の手すり",
     "両側に連続した手すりがあり、端部が壁側か下に曲げてあるか確認します。",
     R, "", "", None, None, False, True),
    ("物-10", "thing", "counter", "ローカウンターの天板の高さ",
     "床から天板の上面までを計測します。車いすで記入しやすい高さは70〜75cmです。",
     M, "cm", BETWEEN, "70", "75", False, True),
    ("物-11", "thing", "counter", "ローカウンターの膝が入る空間の高さ",
     "床から天板の下端までを計測します。車いすのひじ掛けと膝が入るには65〜70cmが必要です。",
     M, "cm", BETWEEN, "65", "70", False, False),
    ("物-12", "thing", "counter", "ローカウンターの膝が入る空間の奥行き",
     "天板の手前の縁から、膝の入る空間の奥までを計測します。45cm以上が基準です。",
     M, "cm", LEAST, "45", None, False, False),
    ("物-13", "thing", "lift", "エレベーターの出入口の有効幅",
     "扉が開いた状態の有効幅を計測します。80cm以上が基準です。",
     M, "cm", LEAST, "80", None, False, True),
    ("物-14", "thing", "lift", "エレベーターのかごの奥行き",
     "かごの奥行きを計測します。車いすが乗るには135cm以上が必要です（幅は140cm以上）。",
     M, "cm", LEAST, "135", None, False, False),
    ("物-15", "thing", "lift", "エレベーターのかごの幅",
     "かごの内法の幅を計測します。140cm以上が基準です。",
     M, "cm", LEAST, "140", None, False, False),
    ("物-16", "thing", "lift", "車いす用操作盤と鏡",
     "低い位置の操作盤と、後ろ向きで降りるときに後方を確認できる鏡があるか確認します。",
     R, "", "", None, None, False, True),
    ("物-17", "thing", "toilet", "車いす使用者用トイレの出入口の有効幅",
     "引き戸を開けた状態で計測します。80cm以上が基準です。",
     M, "cm", LEAST, "80", None, False, True),
    ("物-18", "thing", "toilet", "オストメイト設備・おむつ交換台・手すり",
     "オストメイト用汚物流し、大人も使える介助用ベッドまたはおむつ交換台、"
     "便器の両側の手すりがあり、使える状態か確認します。",
     R, "", "", None, None, False, True),
    ("物-19", "thing", "toilet", "非常用呼び出しボタンが床に倒れても届く位置にある",
     "便座に座った位置と、床に倒れた位置の両方から手が届くか確認します。"
     "押したときに誰が駆けつけるかも確認します。",
     R, "", "", None, None, False, False),
    ("物-20", "thing", "parking", "車いす使用者用駐車区画の幅",
     "区画の白線の中心から中心までを計測します。乗り降りのため350cm以上が基準です。",
     M, "cm", LEAST, "350", None, False, True),
    ("物-21", "thing", "parking", "駐車区画から出入口まで屋根のある段差のない経路",
     "駐車区画から建物の出入口まで、段差がなく、できるだけ雨に濡れずに移動できるか確認します。",
     R, "", "", None, None, False, True),
    ("物-22", "thing", "waiting", "待合に車いす・ベビーカーの待機場所がある",
     "いすの列の間に、車いすやベビーカーのまま順番を待てる場所があるか確認します。",
     R, "", "", None, None, False, True),
    ("物-23", "thing", "baby", "授乳室に鍵と授乳いす、おむつ交換台がある",
     "内側から鍵がかかり、授乳いす、おむつ交換台、手洗い、ごみ箱があるか確認します。"
     "男性も使えるおむつ交換の場所が案内されているかも確認します。",
     R, "", "", None, None, False, True),
    # ---- 情報のバリア
    ("情-01", "information", "entrance", "フロア案内が大きな文字と多言語、ピクトグラムで表示されている",
     "総合案内や出入口の案内板に、大きな文字、日本語・英語・中国語・韓国語・ポルトガル語等と"
     "ピクトグラム（JIS Z8210）が使われているか確認します。",
     R, "", "", None, None, False, True),
    ("情-02", "information", "", "案内表示の文字と背景の明暗の差（コントラスト）が十分",
     "弱視の方や高齢の方が読めるよう、文字と背景の明るさに十分な差があるか、"
     "反射や日差しで読みにくくないか確認します。",
     R, "", "", None, None, False, True),
    ("情-03", "information", "counter", "窓口の番号と手続きの名前が離れた場所から読める",
     "待合の奥からでも窓口番号と手続き名が読める大きさか、呼び出し番号の表示と合っているか確認します。",
     R, "", "", None, None, False, True),
    ("情-04", "information", "counter", "やさしい日本語のお知らせがある",
     "窓口の主な掲示に、短い文、ふりがな、易しい言葉で書いたお知らせがあるか確認します"
     "（例：「もうしこみ（申込）は　ここです」）。",
     R, "", "", None, None, False, True),
    ("情-05", "information", "counter", "ヒアリングループ（磁気誘導ループ）が使え、表示がある",
     "補聴器のTモードで実際に聞こえるか、耳マークとループ設置の表示があるか確認します。",
     R, "", "", None, None, False, False),
    ("情-06", "information", "counter", "筆談ボードとコミュニケーションボードが手の届く所にある",
     "筆談ボード、指差しで使えるコミュニケーションボード、多言語の指差しシートが"
     "すぐ出せる場所にあるか確認します。",
     R, "", "", None, None, False, True),
    ("情-07", "information", "counter", "呼び出し番号を音と表示の両方で知らせている",
     "呼び出しが音声だけ、表示だけになっていないか確認します。",
     R, "", "", None, None, False, False),
    ("情-08", "information", "toilet", "光で知らせる非常警報（フラッシュライト）がある",
     "耳の不自由な方にも火災等を知らせる光警報装置が、個室の中から見える位置にあるか確認します。",
     R, "", "", None, None, False, False),
    ("情-09", "information", "lift", "エレベーターの音声案内と点字表示",
     "行き先階と扉の開閉の音声案内、操作ボタンの点字表示があるか確認します。",
     R, "", "", None, None, False, False),
    ("情-10", "information", "toilet", "トイレの配置と設備が触知図・音声で分かる",
     "男女別や多機能トイレの位置が、触知案内図か音声案内で分かるか確認します。",
     R, "", "", None, None, False, False),
    ("情-11", "information", "baby", "授乳室の場所が案内されている",
     "フロア案内と各階の案内表示に、授乳室・おむつ交換台の場所がピクトグラムで示されているか確認します。",
     R, "", "", None, None, False, False),
    # ---- 心のバリア
    ("心-01", "heart", "", "職員が先に声をかけている",
     "困っている様子の方（案内板の前で立ち止まる方、車いすやベビーカーの方）に、"
     "職員から「何かお手伝いしましょうか」と声をかけているか、点検チームの区民モニターにも聞きます。",
     R, "", "", None, None, False, False),
    ("心-02", "heart", "counter", "専門用語を使わず、平易な言葉で説明している",
     "窓口でのやりとりを見て、役所言葉や専門用語を言い換えているか、"
     "一文を短くしているか（公用文作成の考え方）を確認します。",
     R, "", "", None, None, False, False),
    ("心-03", "heart", "counter", "急がせず、相手のペースに合わせている",
     "高齢の方や日本語に慣れない方に、せかさず、聞き返しや確認の時間を取っているか確認します。",
     R, "", "", None, None, False, False),
    ("心-04", "heart", "counter", "筆談や指差しでのやりとりを自分から申し出ている",
     "耳の不自由な方や日本語が話せない方に、職員の方から筆談ボードや多言語シートを"
     "使うことを申し出ているか確認します。",
     R, "", "", None, None, False, False),
    ("心-05", "heart", "entrance", "視覚障害のある方の誘導の仕方を職員が知っている",
     "総合案内の職員が、肘を貸す、半歩前を歩く、方向を言葉で伝えるなどの誘導の基本を"
     "実際にできるか、区民モニターの協力で確認します。",
     R, "", "", None, None, False, False),
    ("心-06", "heart", "waiting", "車いすやベビーカーの方の順番や場所に配慮している",
     "待合で、職員が場所を空けたり、呼び出し時にそばまで行ったりしているか確認します。",
     R, "", "", None, None, False, False),
]


def load(apps, schema_editor):
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Version = apps.get_model("inspections", "ChecklistVersion")
    Item = apps.get_model("inspections", "ChecklistItem")
    template, _ = Template.objects.get_or_create(name=NAME, defaults={"description": DESCRIPTION})
    version, _ = Version.objects.get_or_create(
        template=template, number=1, defaults={"note": "初版（ポータルに同梱）"}
    )
    for order, row in enumerate(ITEMS, start=1):
        code, barrier, place_type, text, guidance, kind, unit, rule, low, high, ratio, photo = row
        Item.objects.get_or_create(
            version=version,
            code=code,
            defaults={
                "barrier": barrier,
                "place_type": place_type,
                "order": order,
                "text": text,
                "guidance": guidance,
                "answer_kind": kind,
                "unit": unit,
                "rule": rule,
                "low": Decimal(low) if low is not None else None,
                "high": Decimal(high) if high is not None else None,
                "is_ratio": ratio,
                "photo_expected": photo,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
