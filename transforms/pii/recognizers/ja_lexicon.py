"""Word lists for Japanese personal names: honorifics, titles, field labels, and
the organisation/place words that turn a surname into a company or a place
(山田商事, 松本駅). Shared by the POS-based name recognizer and the GiNZA wrapper.

>>> is_org_word("商事"), is_org_word("商事部"), is_org_word("店長"), is_org_word("店")
(True, True, False, True)
"""

from __future__ import annotations

NAME_TAG_PREFIX = "名詞-固有名詞-人名"
#: Surnames that are also place names (原田, 菅原) are often tagged 地名 in context.
PLACE_TAG_PREFIX = "名詞-固有名詞-地名"
PROPER_NOUN_TAG_PREFIX = "名詞-固有名詞"

HONORIFICS: frozenset[str] = frozenset(
    "様 さま サマ さん サン 氏 殿 どの 君 くん クン ちゃん チャン 先生 先輩 様方 氏ら".split()
)
TITLES: frozenset[str] = frozenset(
    """部長 課長 係長 社長 会長 副社長 専務 常務 取締役 代表取締役 監査役 室長 所長 店長 支店長
    局長 本部長 事業部長 次長 主任 主査 主事 係員 理事 理事長 院長 園長 校長 教頭 教授
    准教授 助教 講師 医師 看護師 弁護士 税理士 会計士 司法書士 行政書士 社労士 監督 選手
    議員 委員長 委員 博士 総理 大臣 知事 市長 町長 村長 区長 部長代理 課長代理 マネージャー
    リーダー 担当 担当者""".split()
)
LABELS: frozenset[str] = frozenset(
    """氏名 名前 お名前 姓名 担当 担当者 ご担当 ご担当者 宛先 宛名 差出人 送信者 受信者 送付者
    申請者 依頼者 作成者 記入者 記載者 承認者 確認者 決裁者 代表者 契約者 被保険者 保険者
    患者 利用者 名義 口座名義 名義人 保護者 責任者 連絡者 発表者 司会 司会者 参加者 出席者
    欠席者 面接官 応募者 候補者 本人 配偶者 世帯主 社員 従業員 上司 部下 受取人 届出人
    相談者 申込者 購入者 from to cc bcc 代表取締役 代表取締役社長 社長 部長 課長 係長 取締役
    会長 専務 常務 所長 店長 教授 先生 医師 弁護士 営業担当 技術担当 フリガナ ふりがな カナ
    承認 所属長 所属長承認 受付 お客様 顧客 訪問者 来訪者 同行者 引率者 記録者 書記 議長
    報告者 起票者 依頼主 発注者 注文者 送り主 入力者 対応者 対応 窓口 主担当 副担当 照会先
    問い合わせ先 お問い合わせ先 申請人 渡航者 搭乗者 旅行者 宿泊者 出張者 差出 会員名 契約者名
    名義人氏名 講師 登壇者 面談者 被面接者 紹介者""".split()
)
ORG_WORDS: tuple[str, ...] = tuple(
    """株式会社 有限会社 合同会社 合資会社 合名会社 商事 商店 商会 銀行 信金 信用金庫 証券 保険
    生命 工業 建設 産業 物産 製作所 電機 電気 電工 通信 自動車 不動産 事務所 法律事務所 病院
    クリニック 医院 歯科 薬局 学園 学院 大学 高校 高等学校 中学校 小学校 幼稚園 保育園 興業
    運輸 交通 食品 化学 製薬 製菓 精機 鉄工 印刷 出版 書店 新聞 放送 ホテル 旅館 酒造 農園
    工務店 設計 研究所 総研 技研 財団 協会 組合 グループ ホールディングス HD 塾 教室 整骨院
    記念館 美術館 ㈱ ㈲ (株) （株） 駅 市 区 町 村 県 郡 線 通り 街道 橋 空港 港 城 寺 神社
    公園 ビル タワー 駅前 口 方面 インター 家具 屋 堂 亭 庵 店 本店 支店 営業所 工場
    センター ステーション 物流 運送 倉庫 商社 工房 企画 技術 電子 情報 観光 システム
    システムズ ソリューションズ テクノロジー テクノロジーズ ソフト ソフトウェア サービス
    ネットワーク 製造 工芸 製紙 水産 薬品 化成 住宅 地所 設備 機械 機器 交易 貿易 企業
    ジャパン コーポレーション 会社 法人 ポータル""".split()
)
ORG_PREFIXES: frozenset[str] = frozenset(
    """株式会社 有限会社 合同会社 ㈱ ㈲ (株) （株） (有) （有） 医療法人 学校法人 社団法人
    財団法人""".split()
)
#: GiNZA labels that mean the token belongs to an organisation/facility/place.
NON_PERSON_ENE: frozenset[str] = frozenset(
    """Company Company_Group Corporation_Other Organization_Other Political_Organization_Other
    Public_Institution School Research_Institute Facility_Other GOE_Other Station Airport
    Railroad Road City Province County GPE_Other Country Product_Other Museum Theater
    Park""".split()
)

ORG_SET = frozenset(ORG_WORDS)
ORG_LONG = tuple(w for w in ORG_WORDS if len(w) >= 2)


def is_org_word(word: str) -> bool:
    """商事, 株式会社… exactly; longer words also as a prefix (商事部)."""
    return word in ORG_SET or word.startswith(ORG_LONG)


#: "開発部の中村": a department + の before a surname marks a person.
DEPARTMENT_SUFFIXES: tuple[str, ...] = tuple(
    "部 課 室 係 班 チーム グループ センター 本部 支店 営業所 事業所".split()
)

#: Honorifics written in romaji after a romaji name (Yamada-san, Taro-kun).
ROMAJI_HONORIFICS: tuple[str, ...] = tuple(
    "sama san kun chan sensei senpai dono".split()
)
#: The most common Japanese surnames in Hepburn romaji (with common long-vowel spellings).
ROMAJI_SURNAMES: frozenset[str] = frozenset(
    """sato satou suzuki takahashi tanaka ito itou watanabe yamamoto nakamura kobayashi kato
    katou yoshida yamada sasaki yamaguchi matsumoto inoue kimura hayashi saito saitou shimizu
    yamazaki yamasaki mori abe ikeda hashimoto yamashita ishikawa nakajima nakashima maeda
    fujita ogawa goto gotou okada hasegawa murakami kondo kondou ishii sakamoto endo endou aoki
    fujii nishimura fukuda ota oota ohta miura fujiwara okamoto matsuda nakagawa nakano harada
    ono tamura takeuchi kaneko wada nakayama ishida ueda morita hara shibata sakai kudo kudou
    yokoyama miyazaki miyamoto uchida takagi ando andou taniguchi ohno ono maruyama imai takada
    fujimoto takeda murata ueno sugiyama masuda sugawara hirano otsuka ootsuka chiba kubo matsui
    iwasaki sakurai kinoshita noguchi matsuo nomura kikuchi sano onishi oonishi sugimoto arai
    hamada ichikawa furukawa mizuno komatsu shimada koyama takano yamauchi nishida kikuchi
    kojima kubota hattori kawaguchi tsuji kurihara hirata yano nagai nishikawa igarashi
    kitamura yasuda nakata kawakami tsuchiya ishihara honda""".split()
)
#: Romaji words that turn a surname into a company or place (Yamada Shoji, Suzuki Motor).
ROMAJI_ORG_WORDS: frozenset[str] = frozenset(
    """shoji shouji shoten shokai sangyo sangyou kogyo kougyou kensetsu seisakusho denki denko
    seiyaku bussan tsusho unyu butsuryu kaihatsu sekkei komuten jimusho kabushiki kaisha gakuen
    byoin shinkin hoken seimei fudosan shokuhin kikai seiki tekko insatsu shuppan hoso zaidan
    kyokai kumiai gumi eki ginko motor motors co corp corporation inc ltd llc holdings group
    bank pharma pharmaceutical industries industry electric shoko trading station line city
    prefecture ward town japan nippon nihon""".split()
)
