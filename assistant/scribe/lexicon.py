"""Patterns and voice helpers the scribe's fact extraction uses (speaker-aware, general)."""

from __future__ import annotations

import re

# words the extractor itself writes into fact values (never facts about the client)
OWN_WORDS = (
    "asked about suicidal or self-harm thoughts; client denied", "asked about thoughts of harming others; client denied",
    "client said", "client raised", "safety planning", "reflective listening", "psychoeducation", "therapist", "therapists",
    "client", "clients", "other participant", "other participants", "according to other participant", "follow-up", "the therapist",
    "one two three four five six seven eight nine ten several",
)
# a sentence; a title ("Mr.", "Dr.") or a decimal point ("2.5 mg") does not end it
CLAUSE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs)\.|\d\.(?=\d)|[^.!?;])+[.!?;]?")
SI_Q = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)?\s+yourself|end(?:ing)?\s+your\s+life|hurt(?:ing)?\s+yourself|harm(?:ing)?\s+yourself|"
    r"self[- ]harm\w*|cut(?:ting)?\s+(?:myself|yourself|herself|himself|themselves|my\s+(?:arms?|wrists?|legs?)|on\s+purpose)|"
    r"better\s+off\s+dead|(?:wish(?:ed)?|want(?:ed)?)\s+(?:I\s+was|to\s+be|I\s+were)\s+(?:dead|gone)|not\s+(?:being\s+)?alive|"
    r"(?:didn't|not|never)\s+wak\w+\s+up|wanting\s+to\s+die|want\s+to\s+die|thoughts\s+of\s+(?:death|dying))\b",
    re.IGNORECASE,
)
HI_Q = re.compile(r"\b(?:(?:hurt(?:ing)?|harm(?:ing)?)\s+(?:\[\w+\]|\w+)\s+or\s+(?:anyone|anybody|someone)\s+else|(?:intent|desire|urge)\s+to\s+(?:hurt|harm|kill)|hurt(?:ing)?\s+(?:anyone|someone|somebody|others)|harm(?:ing)?\s+(?:anyone|others)|homicid\w*|kill(?:ing)?\s+(?:anyone|someone))\b", re.IGNORECASE)
NO_ANSWER = re.compile(r"^\W*(?:no\b|nope\b|never\b|not\s+(?:at\s+all|really|now|anymore)|nah\b|none\b|i\s+(?:don't|do\s+not|haven't|have\s+not|wouldn't|would\s+never)\b|absolutely\s+not)", re.IGNORECASE)
# a denial inside a longer answer ("I get angry when I think about him. But no, I wouldn't hurt anyone.")
DENIAL = re.compile(r"\b(?:no|never),?\s+I\s+(?:wouldn't|would\s+never|don't|haven't|won't)\b|\bI\s+(?:wouldn't|would\s+never)\s+(?:hurt|harm|kill|do)\b", re.IGNORECASE)
# the client telling of self-injury in their own words ("I cut last night")
SELF_HARM_TOLD = re.compile(
    r"\bI\s+(?:cut|burned|scratched)\s+(?:again|last\s+night|yesterday|today|this\s+(?:morning|week)|on\s+my\s+(?:arms?|wrists?|legs?|thighs?|stomach))\b",
    re.IGNORECASE,
)
YES_ANSWER = re.compile(r"^\W*(?:yes|yeah|yep|sometimes|a\s+little|kind\s+of|sort\s+of|i\s+(?:have|do|did|guess|think)\b)", re.IGNORECASE)
SAFETY = re.compile(r"\bsafety\s+plan\w*|\bcrisis\s+line\b|\b988\b|\bcall\s+(?:911|the\s+crisis)", re.IGNORECASE)
MOOD = re.compile(
    r"\bI(?:'m|\s+am|'ve\s+been|\s+have\s+been|\s+feel|\s+felt|\s+was|\s+been)\s+(?:feeling\s+|so\s+|really\s+|pretty\s+|kind\s+of\s+|a\s+(?:bit|little)\s+|very\s+)*"
    r"(?P<mood>sad|down|depressed|anxious|angry|hopeless|happy|okay|ok|fine|good|great|better|worse|stressed|overwhelmed|numb|irritable|"
    r"frustrated|scared|afraid|lonely|guilty|ashamed|exhausted|tired|nervous|calm|relieved|hopeful|empty|miserable|awful|terrible|on\s+edge)\b",
    re.IGNORECASE,
)
MEDICATION = re.compile(
    r"\b(?:sertraline|zoloft|fluoxetine|prozac|escitalopram|lexapro|citalopram|celexa|paroxetine|paxil|venlafaxine|effexor|"
    r"duloxetine|cymbalta|desvenlafaxine|pristiq|bupropion|wellbutrin|mirtazapine|remeron|trazodone|vortioxetine|trintellix|"
    r"buspirone|buspar|hydroxyzine|lorazepam|ativan|clonazepam|klonopin|alprazolam|xanax|diazepam|valium|quetiapine|seroquel|"
    r"aripiprazole|abilify|risperidone|risperdal|olanzapine|zyprexa|lurasidone|latuda|lithium|lamotrigine|lamictal|"
    r"valproate|depakote|methylphenidate|ritalin|concerta|adderall|amphetamine|vyvanse|lisdexamfetamine|atomoxetine|strattera|"
    r"guanfacine|clonidine|prazosin|naltrexone|vivitrol|acamprosate|disulfiram|buprenorphine|suboxone|methadone|gabapentin|"
    r"propranolol|zolpidem|ambien|melatonin|ketamine|esketamine|spravato|medication|meds|pills?|antidepressant)\b",
    re.IGNORECASE,
)
MED_CONTEXT = re.compile(
    r"\b(?:\d+\s*(?:mg|milligrams?)|milligrams?|upped|raised|lowered|bumped|dose[sd]?|dosage|increas\w*|decreas\w*|start\w*|stopp?\w*|switch\w*|taper\w*|missed|skipp\w*|forgot|taking|take|"
    r"side[- ]effects?|nause\w*|drows\w*|dizz\w*|weight|sleepy|jittery|prescrib\w*|refill\w*|adheren\w*|every\s+(?:day|morning|night))\b",
    re.IGNORECASE,
)
HOMEWORK = re.compile(
    r"\b(?:for\s+(?:practice|this\s+week|the\s+week)|keep\s+(?:doing|filling|using|practicing|going\s+with|the\s+\w+\s+going)|"
    r"at\s+least\s+(?:\w+\s+)?(?:times?|twice|once)|(?:once|twice|three\s+times)\s+a\s+(?:day|week)|let's\s+put\s+it\s+down|your\s+practice|"
    r"homework|assignment|worksheet|log|diary|journal|between\s+now\s+and|this\s+(?:coming\s+)?week,?\s+(?:I'd\s+like\s+you\s+to|try|practice|keep|fill|write|notice|track|do)|"
    r"(?:try|practice|keep|fill\s+out|write\s+down|track)\s+(?:\w+\s+){0,4}(?:every\s+day|each\s+day|daily|this\s+week|before\s+(?:our\s+)?next))\b",
    re.IGNORECASE,
)
NEXT = re.compile(
    r"\b(?:next\s+(?:week|session|time|appointment|tuesday|monday|wednesday|thursday|friday)|see\s+you\s+(?:on|next|in|then|at)|same\s+time|"
    r"in\s+(?:two|three|2|3|four|4)\s+weeks|\[DATE_\d+\]|schedule[d]?\s+(?:for|our\s+next)|our\s+next\s+(?:session|appointment|meeting)|"
    r"(?:meet|come\s+back|check\s+in)\s+(?:again\s+)?(?:tomorrow|next|in\s+\w+\s+(?:days?|weeks?)))\b",
    re.IGNORECASE,
)
PLAN = re.compile(
    r"\b(?:we\s+continue|continue\s+weekly|keep\s+meeting|sessions?\s+left|keep\s+going\s+to|(?:refer|referral)\b|coordinate\s+with|"
    r"repeat\s+the\s+\w+|step\s+down|every\s+other\s+week|the\s+plan\s+is|our\s+plan|plan\s+(?:is|for)|we'll\s+(?:keep|continue|start|work|focus|move|add|try)|we\s+will\s+(?:keep|continue|start|work|focus)|"
    r"next\s+time\s+we'll|going\s+forward|i'd\s+like\s+(?:us|to\s+refer)|refer(?:ral)?\s+(?:you|to)|keep\s+working\s+on|continue\s+(?:weekly|meeting|with))\b",
    re.IGNORECASE,
)
PROGRESS = re.compile(
    r"\b(?:down|up)\s+from\b|\bfrom\s+(?:\d+|a\s+\w+|about\s+\d+)\s+(?:to|down\s+to)\s+\d+|\b(?:better|worse|easier|harder)\s+than\s+(?:last|before|it\s+was)|"
    r"\bhaven't\s+had\s+(?:a|any|one)\b|\b(?:fewer|less\s+often|not\s+as\s+(?:often|bad|much))\b|\bimprov(?:ed|ing|ement)\b|"
    r"\b(?:made|making)\s+(?:some\s+|good\s+|real\s+)?progress\b|\bprogress\s+(?:on|with|toward)\b|"
    r"\bfor\s+the\s+first\s+time\b|\bmanaged\s+to\b|\bwas\s+able\s+to\b|\b(?:went|gone|dropped|came)\s+(?:down|up)\b|\bno\s+longer\b|"
    r"\b(?:way|much|a\s+lot|so\s+much)\s+better\b",
    re.IGNORECASE,
)
ENGAGED = re.compile(
    r"\b(?:that\s+makes\s+sense|i\s+(?:can|could|will|'ll)\s+try|i'll\s+(?:do|practice|give)|that\s+help(?:s|ed)|i\s+never\s+thought|"
    r"i\s+(?:see|get\s+it|like\s+that)|that's\s+(?:true|right|helpful)|i\s+feel\s+(?:calmer|better|lighter)|okay,?\s+i'll|i\s+did\s+it|"
    r"i\s+don't\s+(?:think\s+that|want\s+to)|i\s+can't\s+do\s+that|that\s+won't\s+work|it\s+went\s+(?:down|up))\b",
    re.IGNORECASE,
)
REFLECTION = re.compile(r"^\W*(?:so\s+(?:you|it\s+sounds)|it\s+sounds\s+like|sounds\s+like|you(?:'re|\s+are)\s+(?:feeling|saying|worried|telling)|you\s+feel|what\s+i'm\s+hearing|on\s+one\s+hand)", re.IGNORECASE)
PSYCHOED = re.compile(r"\b(?:works\s+like\s+that|that's\s+the\s+cycle|the\s+cycle\s+(?:of|we)|what\s+(?:low\s+mood|anxiety|depression|trauma|avoidance|panic)\s+does|your\s+brain\s+(?:learns|is)|(?:is|are)\s+(?:a\s+)?(?:normal|common)\s+(?:reaction|response|part)|research\s+shows|what\s+happens\s+(?:in|when|is)|your\s+body'?s?\s+(?:alarm|fight)|the\s+way\s+(?:anxiety|panic|depression|trauma)\s+works|it's\s+common\s+(?:for|to)|cycle\s+of)\b", re.IGNORECASE)
FIRST_PERSON = [
    (re.compile(r"\bi'm\b", re.IGNORECASE), "they're"), (re.compile(r"\bi\s+am\b", re.IGNORECASE), "they are"),
    (re.compile(r"\bi've\b", re.IGNORECASE), "they've"), (re.compile(r"\bi\s+was\b", re.IGNORECASE), "they were"),
    (re.compile(r"\bi'd\b", re.IGNORECASE), "they'd"), (re.compile(r"\bi'll\b", re.IGNORECASE), "they'll"),
    (re.compile(r"\bi\b(?!\.)", re.IGNORECASE), "they"), (re.compile(r"\bmyself\b", re.IGNORECASE), "themselves"),
    (re.compile(r"\bmy\b", re.IGNORECASE), "their"), (re.compile(r"\bme\b", re.IGNORECASE), "them"),
    (re.compile(r"\bmine\b", re.IGNORECASE), "theirs"),
]


THERAPIST_VOICE = [
    (re.compile(r"\bI'm\b"), "the therapist is"), (re.compile(r"\bI've\b"), "the therapist has"),
    (re.compile(r"\bI\s+am\b"), "the therapist is"), (re.compile(r"\bI\s+was\b"), "the therapist was"),
    (re.compile(r"\bI'll\b"), "the therapist will"), (re.compile(r"\bI'd\b"), "the therapist would"),
    (re.compile(r"\bI\b"), "the therapist"), (re.compile(r"\byourself\b", re.IGNORECASE), "themselves"),
    # "you" as an object ("take them with you", "tell you about") is "them", not "they"
    (re.compile(r"\b(with|to|for|about|at|from|of|tell|give|help|ask|show|let|make|see|thank|remind|call|text|send|meet|get|bring|want)\s+you\b(?!'| are| were| have| can| will| do)",
                re.IGNORECASE), r"\1 them"),
    (re.compile(r"\byour\b", re.IGNORECASE), "their"), (re.compile(r"\byou're\b", re.IGNORECASE), "they're"),
    (re.compile(r"\byou\b", re.IGNORECASE), "they"),
]


def therapist_voice(text: str) -> str:
    """Therapist words as note text ("Your PHQ-9 is 14" → "the client's PHQ-9 is 14")."""
    for pattern, repl in THERAPIST_VOICE:
        text = pattern.sub(repl, text)
    return text


def voiced(text: str, role: str) -> str:
    """A clause in note voice for the speaker's role."""
    return third_person(text) if role == "client" else therapist_voice(text) if role == "therapist" else text


def third_person(text: str) -> str:
    """Client words in the third person ("I had 3 panic attacks" → "they had 3 panic attacks")."""
    for pattern, repl in FIRST_PERSON:
        text = pattern.sub(repl, text)
    return text


def sentences(text: str) -> list[str]:
    """The sentences (and ";"-clauses) of ``text``, stripped, empty ones left out."""
    return [s.strip() for s in CLAUSE.findall(text) if s.strip()]


def clause_with(text: str, position: int, max_words: int = 24) -> str:
    """The sentence of ``text`` around ``position``; a long one is cut to the clause and marked "…"."""
    for m in CLAUSE.finditer(text):
        if m.start() <= position < max(m.end(), m.start() + 1):
            sentence = m.group(0).strip()
            words = sentence.split()
            if len(words) <= max_words:
                return sentence.rstrip(",;")
            # keep the comma-delimited stretch around the match, widened to at least 8 words
            offset = position - m.start()
            pieces = [(p.start(), p.end()) for p in re.finditer(r"[^,]+,?", sentence)]
            idx = next((i for i, (a, b) in enumerate(pieces) if a <= offset < b), 0)
            lo, hi = idx, idx
            while len(sentence[pieces[lo][0]:pieces[hi][1]].split()) < 8 and (lo > 0 or hi < len(pieces) - 1):
                lo, hi = max(0, lo - 1), min(len(pieces) - 1, hi + 1)
            chosen = sentence[pieces[lo][0]:pieces[hi][1]].split()[:max_words]
            return ("… " if lo > 0 else "") + " ".join(chosen).rstrip(",;") + " …"
    return " ".join(text.split()[:max_words])



NUMBER = (
    r"(?:\d+(?:\.\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|once|twice|a\s+couple|half)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"  # "sixty-five"
)
HAS_NUMBER = re.compile(rf"\b{NUMBER}\b", re.IGNORECASE)
MOOD_WORD = re.compile(
    r"\b(?:sad|down|low|depressed|anxious|angry|hopeless|happy|okay|ok|fine|good|great|better|worse|stressed|overwhelmed|"
    r"numb|irritable|frustrated|scared|afraid|lonely|guilty|ashamed|exhausted|tired|drained|nervous|calm|calmer|relieved|"
    r"hopeful|empty|miserable|awful|terrible|on\s+edge|flat|gray|grey|up\s+and\s+down|proud|lighter|heavy|blah|meh|"
    r"content|peaceful|restless|tense|worried|panicky|hopeless|sluggish|foggy|raw|edgy|grumpy|cranky|joyful|excited)\b",
    re.IGNORECASE,
)
MOOD_QUESTION = re.compile(
    r"\bmood\b|how\s+(?:are|were|have)\s+you\s+(?:been\s+)?(?:feeling|doing)|how\s+do\s+you\s+feel|how\s+did\s+(?:that|it)\s+feel|"
    r"how\s+are\s+you\s+(?:now|today|right\s+now)|what\s+(?:are|were)\s+you\s+feeling|how(?:'s|\s+is)\s+(?:your\s+)?(?:mood|week|it\s+been)",
    re.IGNORECASE,
)
RATING_QUESTION = re.compile(
    r"\brate\b|\brating\b|\bnumber\b|0\s+to\s+10|zero\s+to\s+(?:ten|a\s+hundred|100)|\bscale\b|\bSUDS?\b|"
    r"^\W*(?:and\s+)?(?:SUDS|anxiety|distress|fear|urges?|ratings?|mood)(?:\s+now)?\?|how\s+(?:confident|ready|important|likely|similar)|"
    r"how\s+(?:strong|intense|high|bad|much\s+(?:do|did)\s+you\s+(?:believe|want))|where\s+(?:is|'s)\s+(?:it|that|the\s+\w+)\s+now|"
    r"what(?:'s|\s+is)\s+(?:it|that|the\s+\w+)\s+now|\bnow\?",
    re.IGNORECASE,
)
COUNT_QUESTION = re.compile(r"how\s+(?:many|often|much|long)|how\s+many\s+times|how\s+was\s+(?:the|your)\s+\w+|any\s+\w+\s+this\s+week", re.IGNORECASE)
DID_IT = re.compile(
    r"\bI\s+(?:did|tried|practiced|practised|used|went|managed|made|called|finished|completed|kept|stayed|walked|wrote|filled|"
    r"touched|drove|took|ate|talked|texted|got|haven't|didn't|skipped|forgot)\b",
    re.IGNORECASE,
)
CHANGE = re.compile(
    rf"\b(?:down|up)\s+(?:from|to)\b|\bfrom\s+{NUMBER}\s+(?:to|down\s+to)\s+{NUMBER}|\b(?:better|worse|easier|harder)\s+than\b|"
    rf"\bhaven't\s+had\s+(?:a|any|one)\b|\b(?:fewer|less\s+often|not\s+as\s+(?:often|bad|much))\b|\bimprov(?:ed|ing|ement)\b|"
    rf"\b(?:made|making)\s+(?:some\s+|good\s+|real\s+)?progress\b|\bprogress\s+(?:on|with|toward)\b|\bfor\s+the\s+first\s+time\b|"
    rf"\bmanaged\s+to\b|\bwas\s+able\s+to\b|\b(?:went|gone|dropped|came|brought\s+it)\s+(?:down|up)\b|\bno\s+longer\b|\breal\s+drop\b|"
    rf"\bsince\s+the\s+last\b|\bbeen\s+{NUMBER}\s+(?:days|weeks|months)\b|\b{NUMBER}\s+out\s+of\s+{NUMBER}\b|\binstead\s+of\b|\bused\s+to\s+be\b|\bbefore\s+it\s+was\b",
    re.IGNORECASE,
)
WEEKLY_COUNT = re.compile(rf"\b(?:{NUMBER}\s+(?:times?|days?|nights?)|once|twice|every\s+(?:day|night|morning)|this\s+week|last\s+week)\b", re.IGNORECASE)
SCORE_LOOSE = re.compile(
    r"\b(?P<name>PHQ-?9|PHQ-?A|GAD-?7|PCL-?5|Y-?BOCS|AUDIT(?:-C)?|BDI(?:-II)?|BAI|EPDS|DAST(?:-10)?|ISI|PSS|C-SSRS|SCARED|"
    r"CAPS-5|OCI-R|DERS|ORS|SRS)\b[^.?!]{0,40}?\b(?:at|of|was|is|came\s+(?:in|out)\s+at|score[ds]?|total(?:ed)?|=|:)\s*(?P<score>\d{1,3})\b(?!\s*(?:min|mg|weeks?|days?|%))",
    re.IGNORECASE,
)
SOMATIC = re.compile(
    r"\b(?:heart\s+(?:pounding|racing|rate)|pounding|tingl\w*|(?:short(?:ness)?\s+of\s+)?breath\w*|chest|dizz\w*|sweat\w*|"
    r"nause\w*|shak\w*|trembl\w*|headaches?|stomach\w*|skip\w*\s+(?:meals?|lunch|breakfast|dinner)|not\s+eating|"
    r"can't\s+(?:sleep|eat|focus|concentrate)|wak(?:e|ing)\s+up\s+at|lying\s+(?:there|awake)|urges?|cravings?|"
    r"counting|checking|washing|handwashing|drinks?|drinking|smok\w*|cigarettes?|joints?|high)\b",
    re.IGNORECASE,
)
QUANTITY = re.compile(
    rf"\b{NUMBER}\b|\b(?:every|most|almost|still|always|constantly|all\s+(?:day|night|the\s+time)|nightly|daily|weekly|"
    rf"a\s+lot|worse|bad|really\s+bad)\b",
    re.IGNORECASE,
)
ACTIVITY = re.compile(
    r"\b(?:let's\s+(?:try|practice|do|build|look|pull|put|go\s+over|review|start|make|write|rate|role[- ]?play|walk\s+through)|"
    r"on\s+a\s+(?:scale|zero\s+to\s+(?:ten|10))|scale\s+of\s+(?:zero|0|one|1)|what's\s+the\s+evidence|evidence\s+(?:for|against|that)|"
    r"can\s+we\s+build|i'd\s+like\s+(?:you|us)\s+to\s+(?:try|practice|imagine|notice)|role[- ]?play|next,\s+\w+|"
    r"change\s+plan|ladder|exposure|i'm\s+going\s+to\s+suggest|instead\s+of\s+(?:threats|yelling|punish\w*)|on\s+one\s+side)\b",
    re.IGNORECASE,
)
RISK_FOLLOWUP = re.compile(
    r"\b(?:plan|intent|how\s+(?:you\s+)?would\s+(?:you\s+)?do\s+it|thought\s+about\s+how|method|how\s+often|how\s+strong|taken\s+any|that\s+part|what\s+(?:keeps|stops|stopped)\s+you|means|guns?|firearms?|weapons?|pills|razors?|blades?|safe\s+(?:tonight|right\s+now|at\s+home)|"
    r"tried\s+(?:before|to\s+(?:hurt|kill))|attempt\w*|keep\s+yourself\s+safe|act\s+on|reasons?\s+(?:for\s+)?(?:living|to\s+live)|"
    r"stops?\s+you|drink\w*|alcohol|hurt\s+anyone)\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:I'll|I\s+will|we'll|we\s+will|I'd\s+like|let's|for\s+this\s+week|next\s+week|going\s+to|plan\b|keep\s+(?:going|doing|using|the)|"
    r"continue|try\s+to|make\s+sure|before\s+(?:our\s+)?next)\b",
    re.IGNORECASE,
)
RATING_ANSWER = re.compile(
    rf"\b(?:SUDS|anxiety|urge|rating|fear|distress|belief|confidence|importance|that\s+one|it)\b[^.?!]{{0,25}}\b(?:was|is|at|like|maybe|about|to|down\s+to)\s+(?:a\s+)?{NUMBER}\b|"
    rf"^\W*(?:maybe\s+|about\s+|like\s+|probably\s+)?(?:an?\s+)?{NUMBER}\b[\s.!,]",
    re.IGNORECASE,
)
BETWEEN_SESSIONS = re.compile(r"\b(?:days?|nights?|times?|every\s+\w+|week|weekend|by\s+(?:sunday|friday|saturday|the\s+end)|first\s+day|since)\b", re.IGNORECASE)
DIRECTIVE = re.compile(
    r"^\W*(?:(?:okay|ok|right|good|great|alright)[,.!]?\s+)?(?:now|next|try|go\s+ahead|keep|notice|breathe|touch|imagine|close\s+your\s+eyes|"
    r"rate|tell\s+me\s+what\s+you\s+notice|let's|we'll\s+start|we're\s+going\s+to|i\s+want\s+you\s+to|i'd\s+like\s+you\s+to|stay\s+with)\b",
    re.IGNORECASE,
)
EXTRA_TECHNIQUE = re.compile(
    r"\b(?:schedul\w+\s+(?:\w+\s+){0,2}activit\w+|pleasure\s+or\s+accomplishment|praise\b|means\s+restriction|"
    r"safety\s+plan|warning\s+signs|coping\s+card|chain\s+analysis|opposite\s+action|check\s+the\s+facts|"
    r"worry\s+(?:period|time)|thought\s+record|imaginal|in\s+vivo|hierarchy|ladder|ruler|decisional\s+balance|"
    r"role[- ]?play|rehears\w+|homework\s+review|values?)\b",
    re.IGNORECASE,
)
