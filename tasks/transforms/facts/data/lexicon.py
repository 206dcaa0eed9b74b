"""Generic word lists: surnames, title words, organization suffixes, verbs that end a name or start a clause."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# The 100 most frequent single-character surnames, in order (Ministry of Public Security counts: ~85% of people).
SURNAMES_TOP100: frozenset[str] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# The common single-character surnames (Ministry of Public Security counts cover ~99% of people with ~400 of them).
SURNAMES_SINGLE: frozenset[str] = SURNAMES_TOP100 | frozenset(
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜"
    "印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由习"
)
SURNAMES_DOUBLE: frozenset[str] = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 司徒 端木 独孤 南宫 西门 轩辕 呼延".split()
)

# Title words, longest first when matched. A leading 副/常务副 is handled by the matcher.
TITLES: tuple[str, ...] = tuple(
    sorted(
        """
        党组书记 党委书记 党工委书记 纪委书记 省委书记 市委书记 县委书记 区委书记 书记 党组成员 常委
        省长 市长 区长 县长 镇长 乡长 州长 主席 总理 部长 厅长 局长 处长 科长 司长 署长 主任 秘书长 委员
        董事长 董事 总经理 经理 总裁 首席执行官 首席投资官 首席技术官 首席经济学家 创始人 合伙人 负责人 高管
        院长 校长 所长 会长 理事长 社长 行长 馆长 站长 台长 团长 队长 总监 主编 总编辑 总工程师 发言人 新闻发言人
        教授 研究员 院士 专家 分析师 工程师 记者 见习记者 特约记者 大使 巡视员 调研员 法官 检察官 律师 医生 警官 民警
        行政长官 特首 总统 首相 总书记 国务委员 国务卿 外长 议长 议员 参议员 众议员 总干事 司令员 司令 政委 参谋长
        首席运营官 首席财务官 执行董事 监事长 副总裁 总会计师 常务理事 理事 主任委员 审计长 检察长 总警监 教练 主教练
        讲师 副研究员 博士生导师 摄影记者 通讯员 CEO CFO CTO COO 党主席 总领事 领事 参赞 公使 财长 防长 总检察长 大法官
        """.split(),
        key=len,
        reverse=True,
    )
)
# Modifiers that may precede a title inside one chain element (轮值主席, 常务副市长).
TITLE_MODIFIERS: tuple[str, ...] = (
    "常务副",
    "执行副",
    "联合",
    "副",
    "常务",
    "执行",
    "轮值",
    "名誉",
    "高级",
    "首席",
    "第一",
    "荣誉",
)
# Titles that are jobs rather than posts in an organization: they do not make a role chain inherit an org.
PROFESSIONS: frozenset[str] = frozenset(
    "教授 研究员 院士 专家 分析师 工程师 律师 医生 记者 见习记者 特约记者".split()
)

# Organization suffixes, longest first when matched.
ORG_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        """
        人民政府 政府 委员会 党委 党组 市委 省委 县委 区委 州委 工委 管委会 常委会 人大 政协 纪委 监委
        局 部 厅 署 办公室 办公厅 联席会议 公司 集团 银行 大学 学院 商学院 研究院 研究所 研究中心 中心
        协会 学会 商会 基金会 联合会 委员会 法院 检察院 医院 日报社 报社 通讯社 新华社 电视台 出版社 交易所
        事务所 实验室 工作站 俱乐部 联盟 理事会 总局 分局 支队 大队 派出所
        """.split(),
        key=len,
        reverse=True,
    )
)
# Words ending in a suffix that are not organizations (大局 "overall situation", 内部 "inside").
NOT_ORG_WORDS: frozenset[str] = frozenset(
    """
    大局 格局 布局 结局 全局 开局 局部 全部 大部 内部 外部 干部 部分 部署 部门 东部 西部 南部 北部 中部 头部 底部 局面
    中心 重心 核心 信心 决心 爱心 用心 开心 中心城区 会议室 以人民为中心 工作会议 这次会议 此次会议
    签署 部署 困局 僵局 变局 危局 赌局 饭局 骗局 残局 政局 时局 世局 棋局 当局 总部
    大厅 客厅 餐厅 歌厅 舞厅 展厅 营业厅 音乐厅 录像厅 游艺厅 歌舞厅 门厅 前厅 中餐厅 西餐厅 发布厅 宴会厅 大堂
    """.split()
)
# Suffixes that also name a generic thing (政府 of any country, a 中心 of anything): the name must open with a
# place, a known organization or one of ORG_HEAD_ANCHORS (美国政府, 国家信息中心; not 两国政府, 技术中心).
WEAK_ORG_SUFFIXES: frozenset[str] = frozenset("政府 人民政府 中心".split())
ORG_HEAD_ANCHORS: tuple[str, ...] = ("国家", "中国", "中共", "中华", "全国", "中央", "联邦", "特区", "自治区")
# Short names of national and international bodies, frequent in news and absent from (or mis-tagged in) the
# jieba-derived lexicon; they are organizations wherever they stand and never a sub-unit of a longer name.
ORG_ABBREVIATIONS: tuple[str, ...] = tuple(
    """
    国务院 中共中央 党中央 中共 中央军委 全国人大 全国人大常委会 全国政协 政协 最高人民法院 最高人民检察院
    中组部 中宣部 统战部 中联部 国台办 港澳办 国新办 发改委 国资委 证监会 银保监会 金融监管总局 央行 外管局
    住建部 工信部 人社部 市场监管总局 海关总署 国家统计局 中科院 社科院 工程院 中国科协 全国总工会 共青团 团中央
    人力资源和社会保障部 住房和城乡建设部 文化和旅游部 工业和信息化部 国家发展和改革委员会
    全国妇联 全国工商联 工商联 民革 民盟 民建 民进 农工党 致公党 九三学社 台盟 新华社 央视 人民日报社
    联合国 安理会 联合国大会 世贸组织 世界贸易组织 世卫组织 世界卫生组织 国际货币基金组织 世界银行 亚投行
    东盟 欧盟 北约 非盟 阿盟 上合组织 金砖国家 二十国集团 七国集团 亚太经合组织 欧佩克 石油输出国组织 国际奥委会
    """.split()
)
# Short names of companies frequent in today's news that the tagger, trained on 1998 text, misses or reads as people
# and places (腾讯, 阿里巴巴 PER, 宁德|时代 LOC). Names that are also common words are left out (苹果, 小米, 美的,
# 大众, 平安, 三星, 联想, 吉利, 日产, 亚马逊, 甲骨文, 奔驰, 松下, 本田, 滴滴), or a place or word's chars too
# (京东 east of Beijing: 京东燕郊; 花旗 in 紫荆花旗): there the tagger's context decides.
KNOWN_COMPANIES: tuple[str, ...] = tuple(
    """
    腾讯 阿里巴巴 百度 华为 网易 新浪 搜狐 美团 拼多多 字节跳动 比亚迪 中兴 宁德时代 中芯国际 紫光展锐 海康威视
    京东方 蔚来 小鹏汽车 理想汽车 长城汽车 大疆 格力 万科 海尔 富士康 鸿海 台积电 联发科 中国移动 中国联通 中国电信
    工商银行 建设银行 农业银行 招商银行 交通银行 中国平安 中国石油 中国石化 中国海油 国家电网
    微软 谷歌 脸书 英伟达 英特尔 高通 特斯拉 索尼 丰田 波音 空客 思科 戴尔 高盛 摩根大通 贝莱德 奈飞 优步
    三菱 东芝 阿斯麦 博通 美光
    """.split()
)
# Heads that make a suffix a common noun rather than a name (地方政府, 上市公司, 研发中心, 历史性会议).
GENERIC_ORG_HEADS: frozenset[str] = frozenset(
    """
    地方 当地 本地 外地 基层 上级 下级 有关 相关 其他 其它 外资 中资 合资 独资 外国 国外 境外 海外 国有 民营 私营
    上市 保险 互联网 网络 科技 技术 研发 大型 小型 中小 知名 著名 一流 正规 历史性 电话 全体 各级 县级 乡级 省级
    市级 村级 地级 省部 部委 企业 新 老 原 该 主要 重要 其 本 全国 社会 发展 活动 服务 信息 营业 指挥 管理
    行业 人工智能 媒体 金融 投资 咨询 物流 电商 商业 股份 有限 股份有限 律师 事务 律师事务 进出口 经营 营销 劳动 跨国
    重点 众多 国内外 世界 村民 居民
    """.split()
)
# Stand-alone function words, pronouns, determiners and classifiers: an organization name never holds one as a
# word of its own (两国|政府, 我国|政府, 等|90多|家|公司), so the name starts after the last of them.
ORG_STOP_WORDS: frozenset[str] = frozenset(
    """
    的 地 得 之 其 和 与 及 或 并 而 且 但 向 在 于 对 从 把 将 被 为 是 了 着 过 让 使 给 跟 同 以 由 据 致 经 至 到 去 来 当
    也 还 都 就 又 再 已 曾 要 会 能 可 应 有 无 不 没 未 很 更 最 多 少 各 每 某 该 此 这 那 本 我 你 他 她 它 咱 谁 等 归 往 请
    当年 同年 当时 此时 那时
    些 前 后 年 月 日 号 时 今天 昨天 明天 今年 去年 明年 当天 日前 近日 目前
    我国 我们 你们 他们 她们 它们 我方 双方 两国 各国 各地 各级 许多 一些 这些 那些 有些 所有 上述 任何 整个 此次
    不是 不仅 不但 伙同 本次 这次 该次 首次 再次 其中 其他 以及 通过 经过 根据 按照 关于 对于 由于 为了 作为 包括 来自 位于 随着
    """.split()
)
# Verbs from org_verbs.tsv that do name the work of an organization (疾病预防控制中心, 农业技术推广站).
ORG_MODIFIER_VERBS: frozenset[str] = frozenset(
    "控制 推广 创新 孵化 执法 审批 认证 示范 互助 就业 救援 治疗 体检 健身 度假 租赁 拍卖 批发 采购 结算 留学 "
    "投诉 进修 扶持 选举 仲裁 殡葬 理财 排水 输电 导航 造纸 采矿 驾驶 种植 饲养 捕捞 超市 保定 应城 招办 促进".split()
)
# Conjunctions: inside a name they join two fields (国家发展和改革委员会), between names two bodies (中共中央和国务院).
ORG_CONJUNCTIONS: frozenset[str] = frozenset("和 与 及 以及 或 同 暨".split())


@lru_cache(maxsize=1)
def org_verbs() -> frozenset[str]:
    """Verbs that end an organization name when they stand before it (org_verbs.tsv and the clause verbs)."""
    path = Path(__file__).with_name("org_verbs.tsv")
    words = {w for w in path.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")}
    words |= {v for v in CLAUSE_VERBS if len(v) > 1}
    return frozenset(words - ORG_MODIFIER_VERBS)


# Words that end a person name when they follow it.
NAME_FOLLOWERS: tuple[str, ...] = tuple(
    sorted(
        """
        表示 指出 强调 认为 介绍 说 称 谈到 透露 坦言 告诉 在 主持 出席 参加 会见 看望 调研 带领 率 率领 致辞 讲话
        发言 宣布 回答 对 向 与 和 及 同 等 也 还 则 又 都 就 已 曾 将 是 为 的 接受 作 做 从 到 通过 一行 同志 先生 女士 不 没 未
        摄 报道 获 要 今天 昨天 明天 日前 近日 当天 当面 当时 此前 随后 目前 正在 刚刚 亲自 认真 提出 希望 说道 答道
        """.split(),
        key=len,
        reverse=True,
    )
)
# Reporting verbs that introduce a quote.
SPEECH_VERBS: tuple[str, ...] = (
    "表示",
    "指出",
    "强调",
    "认为",
    "介绍",
    "坦言",
    "透露",
    "告诉记者",
    "说",
    "称",
)

# Verbs after which an organization or event name may start (they are never its first characters).
CLAUSE_VERBS: tuple[str, ...] = tuple(
    sorted(
        """
        实施 建设 推动 推进 发挥 加快 深入 围绕 服务 聚焦 设立 打造 获批 支持 指导 主办 举办 承办 协办 联合 发布 召开
        成立 组织 开展 参加 出席 来自 位于 担任 通过 根据 按照 依托 联系 吸引 面向 探索 建立 健全 完善 促进 强化
        拥有 成为 入选 筹建 包括 针对 没有 作为 带领 现任 赶到 前往 违反 损害 缓解 购买 展望 达到 突破 考上 提供 进入 加入 离开 当 去 到 的 等 前 后 而 还 也 据 由 在 和 与 及 对 向 从 把 将 被 为 是 了 让 使 给 跟 同 于 以 之 其 各 至
        """.split(),
        key=len,
        reverse=True,
    )
)

# Words after a candidate name that confirm it is one (李鹏说, 克林顿总统); title words confirm it too.
NAME_CONFIRMERS: tuple[str, ...] = tuple(
    sorted(
        """
        说 表示 指出 强调 认为 介绍 谈到 透露 坦言 告诉 宣布 回答 称 说道 答道 问道 同志 先生 女士 夫人 小姐
        主持 出席 会见 会晤 接见 看望 访问 致辞 讲话 发言 一行 等人
        """.split(),
        key=len,
        reverse=True,
    )
)
# Characters of transliterated foreign names (克林顿, 叶利钦, 扎琳娜), after the usual Xinhua transcription tables;
# a run of them no lexicon word covers is a foreign name only where context confirms it.
TRANSLIT_CHARS: frozenset[str] = frozenset(
    "阿埃艾安昂奥巴拜班邦保鲍贝本比彼毕宾波伯博布查达戴丹道德登迪蒂丁杜多厄恩尔法范菲费芬丰弗福盖甘冈戈格"
    "古贡圭哈海汉豪赫亨胡华霍基吉加贾杰捷金卡凯坎康柯科克肯库奎拉莱赖兰朗劳勒雷蕾里利莉丽列林琳隆卢鲁路伦"
    "罗洛马玛迈麦曼梅门蒙米密明莫姆穆纳娜奈南内尼妮涅宁纽努诺帕潘佩彭皮珀普齐奇恰乔切钦琴琼丘萨塞赛桑瑟森"
    "沙莎舍什施史斯松苏索塔泰坦汤唐特滕提汀图托瓦万旺威韦维温沃乌西希夏谢辛休雅亚扬耶伊因英尤约泽扎詹茨佐"
    "夫娃娅姆兹茹热若思"
)
