"""Character repairs shared by the table reader and the NLP pass."""

from __future__ import annotations

# CJK Radicals Supplement code points that PDF text extraction emits instead of the ordinary
# ideographs (人⺠ for 人民, 部⻔ for 部门); NFKC maps only the Kangxi radicals block, not these.
# One character each way, so replacing them keeps every offset.
RADICALS: dict[str, str] = {
    "⺁": "厂", "⺇": "几", "⺌": "小", "⺍": "小", "⺕": "彐", "⺗": "心", "⺝": "月", "⺟": "母",
    "⺠": "民", "⺡": "水", "⺢": "水", "⺣": "火", "⺤": "爪", "⺥": "爪", "⺦": "丬", "⺨": "犭",
    "⺫": "目", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺶": "羊", "⺸": "羊",
    "⺻": "聿", "⺼": "肉", "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎", "⻄": "西", "⻅": "见",
    "⻆": "角", "⻈": "讠", "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶",
    "⻏": "阝", "⻐": "钅", "⻑": "長", "⻓": "长", "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青",
    "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻢": "马", "⻣": "骨", "⻤": "鬼",
    "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿",
    "⻰": "龙", "⻳": "龟",
}
