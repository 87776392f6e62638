"""Language names for reports: ISO code -> (English name, endonym in its own script).

An explicit, written-out registry. Endonyms are shown beside codes so a reader sees the scripts
(Arabic, Myanmar, CJK, Cyrillic, ...) that the results are about; the PDF must render all of them.
"""

from __future__ import annotations

LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "af": ("Afrikaans", "Afrikaans"),
    "ar": ("Arabic", "العربية"),
    "az": ("Azerbaijani", "Azərbaycanca"),
    "bg": ("Bulgarian", "Български"),
    "bn": ("Bengali", "বাংলা"),
    "de": ("German", "Deutsch"),
    "el": ("Greek", "Ελληνικά"),
    "en": ("English", "English"),
    "es": ("Spanish", "Español"),
    "et": ("Estonian", "Eesti"),
    "eu": ("Basque", "Euskara"),
    "fa": ("Persian", "فارسی"),
    "fi": ("Finnish", "Suomi"),
    "fr": ("French", "Français"),
    "gu": ("Gujarati", "ગુજરાતી"),
    "he": ("Hebrew", "עברית"),
    "hi": ("Hindi", "हिन्दी"),
    "ht": ("Haitian Creole", "Kreyòl ayisyen"),
    "hu": ("Hungarian", "Magyar"),
    "id": ("Indonesian", "Bahasa Indonesia"),
    "it": ("Italian", "Italiano"),
    "ja": ("Japanese", "日本語"),
    "jv": ("Javanese", "Basa Jawa"),
    "ka": ("Georgian", "ქართული"),
    "kk": ("Kazakh", "Қазақ тілі"),
    "ko": ("Korean", "한국어"),
    "lt": ("Lithuanian", "Lietuvių"),
    "ml": ("Malayalam", "മലയാളം"),
    "mr": ("Marathi", "मराठी"),
    "ms": ("Malay", "Bahasa Melayu"),
    "my": ("Burmese", "မြန်မာဘာသာ"),
    "nl": ("Dutch", "Nederlands"),
    "pa": ("Punjabi", "ਪੰਜਾਬੀ"),
    "pl": ("Polish", "Polski"),
    "pt": ("Portuguese", "Português"),
    "qu": ("Quechua", "Runa Simi"),
    "ro": ("Romanian", "Română"),
    "ru": ("Russian", "Русский"),
    "sw": ("Swahili", "Kiswahili"),
    "ta": ("Tamil", "தமிழ்"),
    "te": ("Telugu", "తెలుగు"),
    "th": ("Thai", "ไทย"),
    "tl": ("Tagalog", "Tagalog"),
    "tr": ("Turkish", "Türkçe"),
    "uk": ("Ukrainian", "Українська"),
    "ur": ("Urdu", "اردو"),
    "vi": ("Vietnamese", "Tiếng Việt"),
    "wo": ("Wolof", "Wolof"),
    "yo": ("Yoruba", "Yorùbá"),
    "zh": ("Chinese", "中文"),
    # AmericasNLI (not in XLM-R's pretraining data).
    "aym": ("Aymara", "Aymar aru"),
    "bzd": ("Bribri", "Bribri"),
    "cni": ("Asháninka", "Asháninka"),
    "gn": ("Guarani", "Avañeʼẽ"),
    "hch": ("Wixárika", "Wixárika"),
    "nah": ("Nahuatl", "Nāhuatl"),
    "oto": ("Otomí", "Hñähñu"),
    "quy": ("Ayacucho Quechua", "Runasimi"),
    "shp": ("Shipibo-Konibo", "Shipibo-Konibo"),
    "tar": ("Rarámuri", "Rarámuri"),
}


def english_name(lang: str) -> str:
    """English name of ``lang``, or the code itself when unknown."""
    return LANGUAGE_NAMES.get(lang, (lang, lang))[0]


def endonym(lang: str) -> str:
    """The language's own name in its own script, or the code when unknown."""
    return LANGUAGE_NAMES.get(lang, (lang, lang))[1]
