"""Interface strings of the pages the generator adds, in each language."""

from __future__ import annotations

HTML_LANG = {"zh": "zh-CN", "en": "en"}
LANG_LABEL = {"zh": "中文", "en": "English"}
OTHER = {"zh": "en", "en": "zh"}

STRINGS: dict[str, dict[str, str]] = {
    "site_name": {"zh": "肝细胞癌治疗文献综述", "en": "Reviews of Hepatocellular Carcinoma Treatment"},
    "site_intro": {"zh": "肝细胞癌治疗文献综述，中英双语。", "en": "Literature reviews of hepatocellular carcinoma treatment, in Chinese and English."},
    "choose_language": {"zh": "请选择语言", "en": "Choose your language"},
    "reviews": {"zh": "综述", "en": "Reviews"},
    "switch_to": {"zh": "切换到 English", "en": "切换到中文 (Chinese)"},
    "parallel_view": {"zh": "中英对照", "en": "Parallel view (Chinese | English)"},
    "parallel_title": {"zh": "中英对照：", "en": "Parallel view: "},
    "back_to_section": {"zh": "返回本节", "en": "Back to the section"},
    "editor_note": {"zh": "编者注", "en": "Editor's note"},
    "editor_notes_all": {"zh": "本综述的全部编者注", "en": "All editor's notes in this review"},
    "in_section": {"zh": "位置", "en": "In"},
    "pending": {"zh": "翻译中：此段尚无中文译文，下面显示英文原文。",
                "en": "Translation pending (翻译中): this passage has not been translated yet; the Chinese original is shown below."},
    "pending_page": {"zh": "本节翻译中，部分段落尚未翻译。", "en": "Translation in progress: some passages of this section are not yet translated."},
    "abstract": {"zh": "摘要", "en": "Abstract"},
    "keywords": {"zh": "关键词", "en": "Keywords"},
    "authors": {"zh": "作者", "en": "Authors"},
    "affiliation": {"zh": "单位", "en": "Affiliation"},
    "source": {"zh": "出处", "en": "Source"},
    "license": {"zh": "许可协议", "en": "Licence"},
    "corresponding": {"zh": "通讯作者", "en": "corresponding author"},
    "contents": {"zh": "目录", "en": "Contents"},
    "no_authors": {"zh": "原文未提供作者信息。", "en": "The source gives no authors."},
    "received": {"zh": "收稿日期", "en": "Received"},
    "accepted": {"zh": "录用日期", "en": "Accepted"},
    "published": {"zh": "发布日期", "en": "Published"},
    "glossary": {"zh": "术语表", "en": "Glossary"},
    "abbreviation": {"zh": "缩写", "en": "Abbreviation"},
    "term_zh": {"zh": "中文", "en": "Chinese"},
    "term_en": {"zh": "英文", "en": "English"},
}


def t(key: str, lang: str) -> str:
    return STRINGS[key][lang]
