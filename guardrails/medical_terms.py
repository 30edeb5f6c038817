"""Clinical vocabulary that looks like names: eponyms, scales and drug names.

"Parkinson's", "Beck Depression Inventory", "Wells criteria", "Lyme disease" and
"lisinopril" are not identifiers; dropping them keeps redaction from eating clinical
meaning. Checked against the span and the words right after it.
"""

from __future__ import annotations

import re

EPONYMS = frozenset(
    """
    addison alzheimer apgar asperger babinski barrett beck bell broca brugada buerger chaddock
    charcot chiari conn crohn creutzfeldt cushing dandy duchenne dupuytren ehlers epstein fabry
    fallot framingham friedreich gaucher gehrig gilbert glasgow gleason goodpasture graves guillain
    hamilton hashimoto heberden hirschsprung hodgkin horner huntington kaposi kawasaki korsakoff
    krabbe lewy lyme marfan mcgill meniere munchausen nissen osgood paget parkinson peyronie pick
    raynaud reiter rett reye rorschach sjogren sjögren stevens tay tourette turner willebrand wells
    wernicke whipple wilms wilson zollinger kubler maslow piaget erikson freud jung skinner pavlov
    linehan gottman bowlby ainsworth millon wechsler binet conners vanderbilt zung zarit edinburgh
    columbia
    """.split()
)
# Eponyms that are almost never a person's name in a clinical note, even alone.
STRONG_EPONYMS = frozenset(
    """
    alzheimer asperger babinski brugada chaddock creutzfeldt crohn dupuytren framingham friedreich
    gaucher gehrig goodpasture guillain hashimoto heberden hirschsprung hodgkin huntington kaposi
    kawasaki korsakoff krabbe lyme marfan meniere munchausen parkinson peyronie raynaud rett
    rorschach sjogren sjögren tourette wernicke willebrand wilms zollinger gleason
    """.split()
)
EPONYM_HEADS = re.compile(
    r"^\s*(?:'s|’s)?\s*(?:disease|syndrome|sign|signs|score|scale|scales|criteria|criterion|index|"
    r"test|inventory|questionnaire|study|risk|classification|reflex|maneuver|manoeuvre|rule|"
    r"equation|staging|palsy|phenomenon|method|model|hierarchy|theory|triad|lymphoma|sarcoma|"
    r"dementia|chorea|disorder|anomaly|ulcer|esophagus|ataxia|dystrophy|effect|technique|"
    r"assessment|battery|checklist|rating|depression|anxiety|method|approach|protocol)\b",
    re.IGNORECASE,
)
DRUG_SUFFIX = re.compile(
    r"(?:pril|sartan|olol|alol|statin|mab|nib|azole|cillin|mycin|micin|floxacin|prazole|tidine|"
    r"gliflozin|gliptin|glutide|xaban|parin|dipine|azepam|zolam|oxetine|aline|pramine|triptyline|"
    r"apine|idone|iprazole|peridol|azine|barbital|caine|profen|oxacin|vudine|navir|tegravir|cycline|"
    r"semide|thiazide|lukast|terol|sonide|olone|asone|ipine|afil|tropin|setron|trelin|relin)$",
    re.IGNORECASE,
)


def is_clinical_term(surface: str, following: str) -> bool:
    """Whether a name-like span is clinical vocabulary rather than an identifier."""
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in re.findall(r"[^\W\d_][\w'’-]*", surface)]
    if not words:
        return False
    parts = {p for w in words for p in re.split(r"[-]", w)}
    if parts & STRONG_EPONYMS and len(words) <= 3:
        return True
    if parts & EPONYMS and EPONYM_HEADS.match(following):
        return True
    if EPONYM_HEADS.match(following) and len(words) <= 2 and surface[:1].isupper():
        # "Framingham Risk Score", "Wells criteria": named instruments, not people
        return bool(parts & EPONYMS) or bool(re.match(r"^\s*(?:'s|’s)", following))
    return len(words) == 1 and bool(DRUG_SUFFIX.search(words[0])) and len(words[0]) > 6
