"""ZIP codes: after a state, after "ZIP", or in ZIP+4 form (never a bare 5-digit CPT code)."""

from guardrails.recognizers.base import RegexRecognizer, context, trie_regex

STATE_ABBR = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH"
    r"|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|VI|GU"
)
STATE_NAMES = (
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia"
    r"|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts"
    r"|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey"
    r"|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania"
    r"|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington"
    r"|West Virginia|Wisconsin|Wyoming"
)


_STATES = trie_regex(f"{STATE_ABBR}|{STATE_NAMES}")


class ZipCodeRecognizer(RegexRecognizer):
    """ZIP and ZIP+4 codes in address position or with ZIP context."""

    ENTITY = "ZIP"
    PATTERNS = [
        ("after_state", rf"\b(?:{_STATES})\.?,?[^\S\n]{{1,3}}(?P<v>\d{{5}}(?:-\d{{4}})?)\b", 0.9),
        ("zip_context", context(r"zip|zip code|zipcode|postal code|postcode") + r"(?P<v>\d{3,5}(?:-\d{4})?)\b", 0.9),
        ("after_city", r"(?<=[a-z]),[^\S\n]+(?P<v>\d{5}(?:-\d{4})?)\b(?![^\S\n]*(?:minutes|min|dollars|units))", 0.6),
        ("zip_plus4", r"(?<![\d-])(?P<v>\d{5}-\d{4})(?![\d-])", 0.8),
        ("zip3", context(r"zip|zip code|zipcode") + r"(?P<v>\d{3})(?:xx|\*\*)\b", 0.7),
    ]
