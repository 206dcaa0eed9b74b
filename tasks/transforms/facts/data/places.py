"""Gazetteer: provinces and prefecture-level divisions of China, written from public lists (2024 divisions)."""

from __future__ import annotations

# (full name, short forms). Municipalities count as province level.
PROVINCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("北京市", ("北京",)),
    ("天津市", ("天津",)),
    ("上海市", ("上海",)),
    ("重庆市", ("重庆",)),
    ("河北省", ("河北",)),
    ("山西省", ("山西",)),
    ("辽宁省", ("辽宁",)),
    ("吉林省", ()),  # 吉林 is also a city: the short form stays with the city
    ("黑龙江省", ("黑龙江",)),
    ("江苏省", ("江苏",)),
    ("浙江省", ("浙江",)),
    ("安徽省", ("安徽",)),
    ("福建省", ("福建",)),
    ("江西省", ("江西",)),
    ("山东省", ("山东",)),
    ("河南省", ("河南",)),
    ("湖北省", ("湖北",)),
    ("湖南省", ("湖南",)),
    ("广东省", ("广东",)),
    ("海南省", ("海南",)),
    ("四川省", ("四川",)),
    ("贵州省", ("贵州",)),
    ("云南省", ("云南",)),
    ("陕西省", ("陕西",)),
    ("甘肃省", ("甘肃",)),
    ("青海省", ("青海",)),
    ("台湾省", ("台湾",)),
    ("内蒙古自治区", ("内蒙古",)),
    ("广西壮族自治区", ("广西",)),
    ("西藏自治区", ("西藏",)),
    ("宁夏回族自治区", ("宁夏",)),
    ("新疆维吾尔自治区", ("新疆",)),
    ("香港特别行政区", ("香港",)),
    ("澳门特别行政区", ("澳门",)),
)

# Prefecture-level cities by province; "市" is appended. Entries with a different suffix are written in full.
_CITIES_BY_PROVINCE: dict[str, str] = {
    "河北省": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西省": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古自治区": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 兴安盟 锡林郭勒盟 阿拉善盟",
    "辽宁省": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林省": "长春 吉林 四平 辽源 通化 白山 松原 白城 延边朝鲜族自治州",
    "黑龙江省": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 大兴安岭地区",
    "江苏省": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江省": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽省": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建省": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西省": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东省": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南省": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源",
    "湖北省": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施土家族苗族自治州 仙桃 潜江 天门 神农架林区",
    "湖南省": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西土家族苗族自治州",
    "广东省": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西壮族自治区": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南省": "海口 三亚 三沙 儋州",
    "四川省": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 "
    "阿坝藏族羌族自治州 甘孜藏族自治州 凉山彝族自治州",
    "贵州省": "贵阳 六盘水 遵义 安顺 毕节 铜仁 黔西南布依族苗族自治州 黔东南苗族侗族自治州 黔南布依族苗族自治州",
    "云南省": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 楚雄彝族自治州 红河哈尼族彝族自治州 文山壮族苗族自治州 "
    "西双版纳傣族自治州 大理白族自治州 德宏傣族景颇族自治州 怒江傈僳族自治州 迪庆藏族自治州",
    "西藏自治区": "拉萨 日喀则 昌都 林芝 山南 那曲 阿里地区",
    "陕西省": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃省": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏回族自治州 甘南藏族自治州",
    "青海省": "西宁 海东 海北藏族自治州 黄南藏族自治州 海南藏族自治州 果洛藏族自治州 玉树藏族自治州 "
    "海西蒙古族藏族自治州",
    "宁夏回族自治区": "银川 石嘴山 吴忠 固原 中卫",
    "新疆维吾尔自治区": "乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉回族自治州 博尔塔拉蒙古自治州 巴音郭楞蒙古自治州 阿克苏地区 "
    "克孜勒苏柯尔克孜自治州 喀什地区 和田地区 伊犁哈萨克自治州 塔城地区 阿勒泰地区 石河子",
}

# Short forms that are also ordinary words or names: matched only with their suffix (来宾 "guest", 白银 "silver").
AMBIGUOUS_SHORT: frozenset[str] = frozenset(
    "来宾 朝阳 大同 中山 安康 长治 白山 白银 攀枝花 普洱 黄山 三明 吉安 金昌 海东 山南 "
    "吉林 黑河 北海 东营 宜春 永州 临沧 丽水 通化 南平 天门 和田 玉树 定西".split()
)

_FULL_SUFFIXES = ("自治州", "地区", "盟", "林区")


def _city_full(name: str) -> str:
    return name if name.endswith(_FULL_SUFFIXES) else name + "市"


CITIES: tuple[tuple[str, str], ...] = tuple(
    (_city_full(n), prov) for prov, names in _CITIES_BY_PROVINCE.items() for n in names.split()
)
COUNTRIES: tuple[str, ...] = (
    "中国",
    "中华人民共和国",
    "美国",
    "日本",
    "韩国",
    "俄罗斯",
    "英国",
    "法国",
    "德国",
    "印度",
)

# One-character short forms (中美 -> 中, 美; 京津冀; 访华), as the tagger emits them under MSRA's convention: each
# mapped to the one place it names in news text. Ambiguous ones (巴: 巴西/巴基斯坦, 澳: 澳门/澳大利亚, 新, 蒙, 宁,
# 伊, 阿, 马) are left out on purpose, so the entity layer drops them rather than guess.
PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "京": "北京市",
    "津": "天津市",
    "沪": "上海市",
    "渝": "重庆市",
    "冀": "河北省",
    "晋": "山西省",
    "辽": "辽宁省",
    "吉": "吉林省",
    "黑": "黑龙江省",
    "苏": "江苏省",
    "浙": "浙江省",
    "皖": "安徽省",
    "闽": "福建省",
    "赣": "江西省",
    "鲁": "山东省",
    "豫": "河南省",
    "鄂": "湖北省",
    "湘": "湖南省",
    "粤": "广东省",
    "琼": "海南省",
    "川": "四川省",
    "蜀": "四川省",
    "黔": "贵州省",
    "贵": "贵州省",
    "滇": "云南省",
    "云": "云南省",
    "陕": "陕西省",
    "甘": "甘肃省",
    "陇": "甘肃省",
    "青": "青海省",
    "台": "台湾省",
    "桂": "广西壮族自治区",
    "藏": "西藏自治区",
    "疆": "新疆维吾尔自治区",
    "港": "香港特别行政区",
}
COUNTRY_ABBREVIATIONS: dict[str, str] = {
    "中": "中国",
    "华": "中国",
    "美": "美国",
    "英": "英国",
    "法": "法国",
    "德": "德国",
    "日": "日本",
    "韩": "韩国",
    "朝": "朝鲜",
    "俄": "俄罗斯",
    "印": "印度",
    "加": "加拿大",
    "墨": "墨西哥",
    "意": "意大利",
    "葡": "葡萄牙",
    "西": "西班牙",
    "荷": "荷兰",
    "比": "比利时",
    "奥": "奥地利",
    "瑞": "瑞士",
    "芬": "芬兰",
    "波": "波兰",
    "罗": "罗马尼亚",
    "保": "保加利亚",
    "塞": "塞尔维亚",
    "乌": "乌克兰",
    "土": "土耳其",
    "以": "以色列",
    "埃": "埃及",
    "叙": "叙利亚",
    "越": "越南",
    "泰": "泰国",
    "缅": "缅甸",
    "菲": "菲律宾",
    "印尼": "印度尼西亚",
    # Short forms of pairs (印孟, 中老铁路, 中蒙, 中柬, 黎总统) a reader resolves without context.
    "孟": "孟加拉国",
    "黎": "黎巴嫩",
    "柬": "柬埔寨",
    "老": "老挝",
    "蒙": "蒙古",
    "匈": "匈牙利",
    "捷": "捷克",
    "希": "希腊",
    "欧": "欧洲",
    "亚": "亚洲",
    "非": "非洲",
    "拉": "拉美",
}
# A country's other names that only a recognised mention is looked up under (like the short forms above), never
# matched in running text: 中华 in 中华民族, 中华文化 (CC-CEDICT: "China (alternate formal name)"; 华夏, 神州: "old
# name for China").
COUNTRY_OTHER_NAMES: dict[str, str] = {"中华": "中国", "华夏": "中国", "神州": "中国"}
# A short form of two places, told apart by the short forms written next to it: 澳 beside 港 or 台 is Macau (港澳,
# 港澳台), anywhere else Australia (澳中贸易, 在澳).
SHORT_BY_NEIGHBOUR: dict[str, tuple[frozenset[str], str, str]] = {
    "澳": (frozenset("港台"), "澳门特别行政区", "澳大利亚"),
}
# A short form named only beside these neighbours (巴以: Palestine; 印巴: Pakistan); elsewhere, 中巴 with 圣保罗 is
# Brazil and 中巴 alone a minibus, so it stays unnamed (and so no place).
SHORT_ONLY_BESIDE: dict[str, dict[str, str]] = {"巴": {"以": "巴勒斯坦", "印": "巴基斯坦"}}
