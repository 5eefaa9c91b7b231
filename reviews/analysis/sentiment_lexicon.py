"""Lexicon scorers: a prior for short English reviews, and the plain baselines of the benchmark.

`english_lexicon_score` follows VADER's rules (Hutto & Gilbert 2014) on VADER's own word list,
shipped as `data/vader_lexicon.tsv` (MIT, see `data/LICENSES.md`), re-implemented to run about
ten times faster: word valences (-4..4), scaled up by a degree word just before ("very good"),
flipped and damped by a negator up to three words before ("not good", "never worked"), words
after "but" weighted 1.5 and before it 0.5, exclamation marks adding emphasis; the sum s becomes
s / sqrt(s^2 + 15) in [-1, 1]. `PRODUCT_PHRASES` adds what a general lexicon misses in product
reviews ("stopped working", "waste of money", "fell apart"), written for this project.

`plain_lexicon_score` is the baseline the benchmark prints beside the default model: positive
minus negative lexicon words, nothing else (no negation, no degree words). For Chinese it uses
`ZH_BASELINE_POSITIVE` / `ZH_BASELINE_NEGATIVE`, a short list of common review words written for
this project.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"

_BOOST = 0.293
_NEGATION_SCALAR = -0.74
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nowhere",
        "none",
        "nor",
        "neither",
        "without",
        "cannot",
        "nope",
        "aint",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "dont",
        "doesnt",
        "didnt",
        "cant",
        "couldnt",
        "wont",
        "wouldnt",
        "shouldnt",
        "hasnt",
        "havent",
        "hadnt",
        "rarely",
        "seldom",
        "hardly",
        "barely",
    ]
)
_BOOSTERS = {
    **dict.fromkeys(
        [
            "absolutely",
            "amazingly",
            "awfully",
            "completely",
            "considerably",
            "deeply",
            "enormously",
            "entirely",
            "especially",
            "exceptionally",
            "extremely",
            "fully",
            "greatly",
            "highly",
            "hugely",
            "incredibly",
            "intensely",
            "majorly",
            "most",
            "particularly",
            "purely",
            "quite",
            "really",
            "remarkably",
            "so",
            "substantially",
            "thoroughly",
            "totally",
            "tremendously",
            "unbelievably",
            "unusually",
            "utterly",
            "very",
            "super",
        ],
        _BOOST,
    ),
    **dict.fromkeys(
        [
            "almost",
            "barely",
            "hardly",
            "kinda",
            "less",
            "little",
            "marginally",
            "occasionally",
            "partly",
            "scarcely",
            "slightly",
            "somewhat",
        ],
        -_BOOST,
    ),
}
# Product-review phrases a general-purpose lexicon does not score (valence on VADER's scale).
PRODUCT_PHRASES = {
    "stopped working": -2.5,
    "stop working": -2.0,
    "quit working": -2.5,
    "doesnt work": -2.5,
    "didnt work": -2.5,
    "does not work": -2.5,
    "did not work": -2.5,
    "not working": -2.3,
    "never worked": -2.5,
    "waste of money": -3.0,
    "waste of time": -2.5,
    "fell apart": -2.5,
    "falling apart": -2.5,
    "cheaply made": -2.2,
    "poorly made": -2.3,
    "well made": 2.0,
    "arrived damaged": -2.5,
    "arrived broken": -2.5,
    "never arrived": -2.5,
    "never received": -2.5,
    "not as described": -2.2,
    "as described": 1.2,
    "as advertised": 1.2,
    "sent it back": -2.0,
    "send it back": -1.8,
    "returned it": -2.0,
    "returning it": -2.0,
    "return it": -1.5,
    "want a refund": -2.3,
    "money back": -1.8,
    "dont buy": -2.5,
    "do not buy": -2.5,
    "stay away": -2.3,
    "works great": 2.8,
    "works well": 2.3,
    "works perfectly": 3.0,
    "works fine": 1.8,
    "worth every penny": 3.0,
    "worth the money": 2.3,
    "worth the price": 2.3,
    "not worth": -2.3,
    "highly recommend": 3.0,
    "would recommend": 2.3,
    "would not recommend": -2.5,
    "wouldnt recommend": -2.5,
    "five stars": 2.8,
    "5 stars": 2.8,
    "one star": -2.5,
    "1 star": -2.5,
    "zero stars": -3.0,
    "0 stars": -3.0,
    "fast shipping": 1.8,
    "quick shipping": 1.8,
    "arrived quickly": 1.5,
    "arrived early": 1.5,
    "arrived late": -1.8,
    "took forever": -2.0,
    "runs small": -0.8,
    "too small": -1.2,
    "too big": -1.2,
    "too tight": -1.3,
    "too short": -1.0,
    "falls off": -1.5,
    "ripped": -2.0,
    "torn": -1.8,
    "defect": -2.0,
    "malfunction": -2.2,
    "malfunctioned": -2.2,
    "refund": -1.5,
    "refunded": -1.5,
    "overpriced": -1.8,
    "flimsy": -1.8,
    "sturdy": 1.6,
    "durable": 1.6,
    "junk": -2.5,
    "garbage": -2.5,
    "counterfeit": -2.5,
    "knockoff": -2.0,
    "unusable": -2.5,
    "unreliable": -2.0,
    "disappointing": -2.2,
    "leaks": -1.8,
    "leaked": -1.8,
    "static": -1.0,
    "no complaints": 2.0,
    "no issues": 1.8,
    "no problems": 1.8,
    "exceeded my expectations": 3.0,
    "exceeded expectations": 3.0,
    "love it": 3.0,
    "love this": 3.0,
    "love them": 3.0,
}

_EMPHASIS = frozenset("!")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|!")


@cache
def vader_lexicon() -> dict[str, float]:
    """VADER's words with their mean valence, plus `PRODUCT_PHRASES` (which win on overlap)."""
    lexicon: dict[str, float] = {}
    path = DATA_DIR / "vader_lexicon.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        token, valence = line.split("\t")[:2]
        lexicon[token] = float(valence)
    lexicon.update(PRODUCT_PHRASES)
    return lexicon


@cache
def _phrase_index() -> dict[str, list[tuple[list[str], float]]]:
    """Multi-word phrases by first word, longest first."""
    index: dict[str, list[tuple[list[str], float]]] = {}
    for phrase, valence in vader_lexicon().items():
        words = phrase.split()
        if len(words) > 1:
            index.setdefault(words[0], []).append((words, valence))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


def _english_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    # "doesn't" and "doesnt" are the same word for the lexicon.
    return [token.replace("n't", "nt") for token in _WORD.findall(text)]


def english_lexicon_score(text: str) -> float:
    """VADER-style compound score in [-1, 1] (0: no sentiment word)."""
    lexicon = vader_lexicon()
    phrases = _phrase_index()
    tokens = _english_tokens(text)
    words = [token for token in tokens if token not in _EMPHASIS]
    valences: list[float] = []
    i = 0
    while i < len(words):
        word = words[i]
        valence = 0.0
        span = 1
        for phrase, phrase_valence in phrases.get(word, ()):
            if words[i : i + len(phrase)] == phrase:
                valence, span = phrase_valence, len(phrase)
                break
        else:
            valence = lexicon.get(word, 0.0) if word not in _BOOSTERS else 0.0
        if valence:
            for back in (1, 2, 3):
                if i - back < 0:
                    break
                before = words[i - back]
                if before in _BOOSTERS:
                    valence += math.copysign(_BOOSTERS[before], valence) * (1.0 - 0.05 * back)
                if before in _NEGATORS:
                    valence *= _NEGATION_SCALAR
                    break
        valences.append(valence)
        valences.extend([0.0] * (span - 1))
        i += span
    if "but" in words:
        at = words.index("but")
        valences = [v * 0.5 for v in valences[:at]] + [v * 1.5 for v in valences[at:]]
    total = sum(valences)
    if total:
        total += math.copysign(min(tokens.count("!"), 4) * 0.292, total)
    return total / math.sqrt(total * total + 15.0)


ZH_BASELINE_POSITIVE = (
    "好",
    "不错",
    "满意",
    "喜欢",
    "推荐",
    "很好",
    "好用",
    "好吃",
    "漂亮",
    "舒服",
    "方便",
    "快",
    "便宜",
    "实惠",
    "划算",
    "值得",
    "正品",
    "清晰",
    "流畅",
    "干净",
    "新鲜",
    "热情",
    "周到",
    "完美",
    "超值",
    "给力",
    "赞",
    "棒",
    "优秀",
    "精美",
    "结实",
    "耐用",
    "稳定",
    "合适",
    "支持",
    "惊喜",
    "物美价廉",
    "性价比高",
    "好评",
    "喜爱",
    "开心",
    "感谢",
    "谢谢",
    "放心",
)
ZH_BASELINE_NEGATIVE = (
    "差",
    "不好",
    "失望",
    "垃圾",
    "后悔",
    "退货",
    "退款",
    "坏",
    "破",
    "慢",
    "贵",
    "假",
    "假货",
    "问题",
    "难用",
    "难吃",
    "难看",
    "脏",
    "旧",
    "臭",
    "吵",
    "烂",
    "坑",
    "骗",
    "不满意",
    "不值",
    "投诉",
    "差评",
    "太差",
    "糟糕",
    "恶心",
    "生气",
    "无语",
    "郁闷",
    "麻烦",
    "故障",
    "掉色",
    "起球",
    "异味",
    "不新鲜",
    "少",
    "缺",
    "错",
    "不行",
    "一般",
    "不如",
    "别买",
)


# The Chinese lexicon of `chinese_lexicon_score` (valence on VADER's -4..4 scale), written for
# this project: common words of product, delivery and service reviews.
ZH_LEXICON = {
    **dict.fromkeys(
        [
            "好",
            "不错",
            "满意",
            "喜欢",
            "好用",
            "好吃",
            "好看",
            "漂亮",
            "舒服",
            "舒适",
            "方便",
            "实惠",
            "划算",
            "值得",
            "正品",
            "清晰",
            "流畅",
            "干净",
            "新鲜",
            "热情",
            "周到",
            "耐心",
            "结实",
            "耐用",
            "稳定",
            "合适",
            "合身",
            "精致",
            "精美",
            "香",
            "快",
            "及时",
            "准时",
            "便宜",
            "实用",
            "省心",
            "放心",
            "支持",
            "推荐",
            "满分",
            "好评",
            "惊喜",
            "靠谱",
            "贴心",
            "细心",
            "柔软",
            "透气",
            "保温",
            "安静",
            "清爽",
            "顺滑",
            "滑",
            "甜",
            "嫩",
            "赞",
            "棒",
            "爱",
        ],
        2.0,
    ),
    **dict.fromkeys(
        [
            "完美",
            "超值",
            "给力",
            "优秀",
            "物美价廉",
            "性价比高",
            "非常满意",
            "五星",
            "太好了",
            "很棒",
            "超赞",
            "一流",
            "回购",
            "还会再来",
            "还会再买",
            "强烈推荐",
        ],
        3.0,
    ),
    **dict.fromkeys(
        [
            "差",
            "不好",
            "失望",
            "后悔",
            "退货",
            "退款",
            "坏",
            "坏了",
            "破",
            "破损",
            "慢",
            "贵",
            "问题",
            "难用",
            "难吃",
            "难看",
            "脏",
            "旧",
            "臭",
            "吵",
            "烂",
            "坑",
            "骗",
            "投诉",
            "差评",
            "麻烦",
            "故障",
            "掉色",
            "起球",
            "异味",
            "少",
            "缺",
            "错",
            "不行",
            "一般",
            "不如",
            "凉",
            "冷了",
            "硬",
            "咸",
            "淡",
            "油腻",
            "不新鲜",
            "不满意",
            "不值",
            "不好用",
            "不好吃",
            "不舒服",
            "不合适",
            "慢死",
            "漏",
            "卡",
            "死机",
            "发热",
            "没电",
            "掉",
            "粗糙",
            "单薄",
            "褪色",
            "变形",
        ],
        -2.0,
    ),
    **dict.fromkeys(
        [
            "垃圾",
            "假货",
            "太差",
            "很差",
            "糟糕",
            "恶心",
            "骗子",
            "上当",
            "别买",
            "千万别",
            "再也不",
            "无语",
            "郁闷",
            "生气",
            "气死",
            "差劲",
            "坑人",
            "太慢",
            "最差",
            "极差",
            "退了",
            "不会再买",
            "假的",
        ],
        -3.0,
    ),
}
_ZH_NEGATORS = (
    "不",
    "没",
    "没有",
    "别",
    "无",
    "非",
    "未",
    "不是",
    "不太",
    "不怎么",
    "并不",
    "毫不",
)
_ZH_DEGREE = {
    **dict.fromkeys(
        [
            "很",
            "非常",
            "太",
            "特别",
            "超",
            "超级",
            "十分",
            "极",
            "极其",
            "真",
            "真的",
            "挺",
            "好",
            "相当",
            "最",
            "超级",
        ],
        _BOOST,
    ),
    **dict.fromkeys(["有点", "有些", "稍微", "略", "比较", "还算", "还"], -_BOOST),
}


@cache
def _zh_pattern() -> re.Pattern[str]:
    words = sorted(ZH_LEXICON, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in words))


def chinese_lexicon_score(text: str) -> float:
    """Like `english_lexicon_score`, for Chinese: lexicon words, a negator in the three characters
    before flips and damps a word ("不是很好"), a degree word scales it ("非常好", "有点慢"), text
    after 但/但是/可是/不过 weighs 1.5 and before it 0.5; s / sqrt(s^2 + 15)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    turn = max(folded.rfind(word) for word in ("但", "可是", "不过", "就是"))
    total = 0.0
    for match in _zh_pattern().finditer(folded):
        valence = ZH_LEXICON[match.group()]
        window = folded[max(0, match.start() - 3) : match.start()]
        for degree, step in _ZH_DEGREE.items():
            if window.endswith(degree):
                valence += math.copysign(step, valence) * 2
                break
        if any(negator in window for negator in _ZH_NEGATORS):
            valence *= _NEGATION_SCALAR
        if turn >= 0:
            valence *= 1.5 if match.start() > turn else 0.5
        total += valence
    return total / math.sqrt(total * total + 15.0)


def lexicon_score(text: str, language: str) -> float:
    """The lexicon score of `text` in [-1, 1] for "zh" or "en"."""
    return chinese_lexicon_score(text) if language == "zh" else english_lexicon_score(text)


def plain_lexicon_score(text: str, language: str) -> float:
    """Positive minus negative lexicon hits, nothing else (the benchmark's baseline)."""
    if language == "zh":
        folded = unicodedata.normalize("NFKC", text).lower()
        return float(
            sum(folded.count(word) for word in ZH_BASELINE_POSITIVE)
            - sum(folded.count(word) for word in ZH_BASELINE_NEGATIVE)
        )
    lexicon = vader_lexicon()
    return float(sum(lexicon.get(token, 0.0) for token in _english_tokens(text)))


def plain_lexicon_proba(texts: Sequence[str], language: str) -> np.ndarray:
    """The baseline as a probability: 0.5 + a step in the direction of the score."""
    scores = np.array([plain_lexicon_score(text, language) for text in texts], dtype=float)
    # Ties (no sentiment word) count as positive, the more common class in reviews.
    return np.where(scores >= 0, 0.75, 0.25)
