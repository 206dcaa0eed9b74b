"""Generate ner_lexicon.tsv from jieba 0.42.1 (MIT): dict.txt words with nr/ns/nt tags and HMM name-char odds,
plus given-name char odds from ngender 0.1.1 (MIT): its charfreq.csv counts each char's uses in given names.

jieba's dict.txt and its posseg HMM were estimated by jieba's authors from segmented news corpora (People's Daily
among them), so the lexicon carries 1990s news vocabulary; nothing here reads ner_gold. Run from the repo root:

    .venv/bin/python -m tasks.transforms.facts.data.build_ner_lexicon
"""

from __future__ import annotations

import math
from pathlib import Path

from tasks.transforms.chars import is_han
from tasks.transforms.facts.data.lexicon import SURNAMES_DOUBLE, SURNAMES_SINGLE

OUT = Path(__file__).with_name("ner_lexicon.tsv")
# Plain words with at least this jieba frequency stop entity words matching inside them (城市 keeps 城 off LOC).
WORD_MIN_FREQ = 30
ENTITY_MIN_FREQ = {"nr": 3, "ns": 3, "nt": 3}
# A surname + two-char nr entry whose given part or whose first two chars are a common plain word is a word that
# dict.txt mis-tags (高水平 = 高 + 水平, 宣传周 = 宣传 + 周): it needs context to count as a name.
COMMON_PART_FREQ = 200
# nrt/nrfg are left out: their heads are ordinary words (令人, 崇高, 在世 are all nrt in dict.txt).
TAG_OF = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
# Name-character odds kept: log P(char | name position) / P(char | any word) above this (one nat ~ 2.7x).
MIN_LOG_ODDS = 1.0
# dict.txt keeps one tag per word, its most frequent: these frequent ones are ordinary words in news text
# (read off the top of the nr/ns/nt lists of dict.txt itself, not off any gold data).
NOT_ENTITY = frozenset(
    """
    上市 东西 共和国 冰川 南路 古城 哥哥 回国 城市 城镇 外国 大国 大桥 大街 山区 山水 山脉 平原 庆典 建国 开国 新鲜 朝廷
    永乐 江湖 治安 海峡 海洋 深度 湖泊 爱国 王国 美丽 自治县 自治州 英雄 长度 阿哥 高原 太阳 河口 大都 中南部 人民公社
    国家机关 联合会 卫星 和尚 文明 明白 武功 王朝 道德 阳光 陆军 宝玉 小龙 解放区 高级中学 文理学院 理工学院
    """.split()
)


def _is_han(word: str) -> bool:
    return all(is_han(c) or c == "·" for c in word)


def given_name_odds(charfreq: Path, char_freq: dict[str, float]) -> dict[str, float]:
    """log P(char | given name) / P(char | any dict word), from ngender's per-char given-name counts."""
    counts: dict[str, int] = {}
    for line in charfreq.read_text(encoding="utf-8").splitlines()[1:]:
        ch, male, female = line.split(",")
        counts[ch] = int(male) + int(female)
    total_names, total = sum(counts.values()), sum(char_freq.values())
    return {
        c: math.log(n / total_names) - math.log(char_freq[c] / total)
        for c, n in counts.items()
        if c in char_freq and is_han(c)
    }


def _surname_size(word: str) -> int:
    """Chars of the surname `word` opens with (2 for 欧阳, 1 for 李), 0 when it opens with none."""
    return 2 if word[:2] in SURNAMES_DOUBLE else (1 if word[0] in SURNAMES_SINGLE else 0)


def _is_plain_name(word: str, common: set[str]) -> bool:
    """A surname plus one or two given chars that make no common word (李强, 聂荣臻; not 张家, 庄稼人, 刘姓, 孙文说)."""
    size = _surname_size(word)
    given = word[size:]
    if not size or not 1 <= len(given) <= 2 or any(c in "家氏姓的说了是" for c in given):
        return False
    return len(given) == 1 or not (given in common or word[:2] in common)


def build(jieba_dir: Path, charfreq: Path | None = None) -> list[str]:
    """Lines `word<TAB>TAG` (TAG in PER/PER?/LOC/ORG/W) then `#B<TAB>char<TAB>odds` / `#E...` / `#G...` name-char odds."""
    from jieba.posseg.prob_emit import P as emit

    lines: list[str] = []
    char_freq: dict[str, float] = {}
    entries = (jieba_dir / "dict.txt").read_text(encoding="utf-8").splitlines()
    common = {
        w
        for w, f, t in (raw.split(" ") for raw in entries)
        if int(f) >= COMMON_PART_FREQ and not t.startswith("nr")
    }
    for raw in entries:
        word, freq_s, tag = raw.split(" ")
        freq = int(freq_s)
        for c in word:
            char_freq[c] = char_freq.get(c, 0) + freq
        if not _is_han(word) or len(word) < 2:
            continue
        etag = None if word in NOT_ENTITY else TAG_OF.get(tag)
        if etag and freq >= ENTITY_MIN_FREQ[tag]:
            # Surname + two chars only: two-char nr entries are mostly words (文明, 明白), four-char ones phrases.
            size = _surname_size(word)
            if tag == "nr" and size and len(word) - size == 1:
                etag = "PER?"  # 李鹏 or 文明: a name only where context says so (总理李鹏, 李鹏说)
            elif (
                tag == "nr"
                and size
                and len(word) - size == 2
                and (word[size:] in common or word[:2] in common)
            ):
                etag = "PER?"
            elif tag == "nr" and not (size and len(word) - size == 2):
                etag = None if freq < WORD_MIN_FREQ else "W"  # 一劳永逸 is tagged nr in dict.txt
            lines.append(f"{word}\t{etag}" if etag else "")
        elif tag == "nrfg" and _is_plain_name(word, common):
            lines.append(f"{word}\tPER?")  # 李强, 聂荣臻: jieba's nrfg names, a name where context says so
        elif (freq >= WORD_MIN_FREQ or word in NOT_ENTITY) and len(word) <= 6:
            lines.append(f"{word}\tW")
    total = sum(char_freq.values())
    for state in ("B", "M", "E"):
        probs = emit[(state, "nr")]
        for c, logp in sorted(probs.items()):
            if not is_han(c) or c not in char_freq:
                continue
            odds = logp - math.log(char_freq[c] / total)
            if odds >= MIN_LOG_ODDS:
                lines.append(f"#{state}\t{c}\t{odds:.1f}")
    if charfreq is not None:
        for c, odds in sorted(given_name_odds(charfreq, char_freq).items()):
            if odds >= MIN_LOG_ODDS:
                lines.append(f"#G\t{c}\t{odds:.1f}")
    return [line for line in lines if line]


def main() -> None:
    """Write the lexicon next to this script."""
    import jieba
    import ngender  # type: ignore[import-untyped]

    lines = build(Path(jieba.__file__).parent, Path(ngender.__file__).parent / "charfreq.csv")
    header = (
        "# generated by build_ner_lexicon.py from jieba 0.42.1 (MIT) dict.txt + posseg/prob_emit.py"
        " and ngender 0.1.1 (MIT) charfreq.csv\n"
    )
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} lines, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
