"""Clinical vocabulary the scribe adds to the co-pilot's: how sessions say things, not how notes do.

Notes write "sleep disturbance" and "means restriction"; sessions say "I haven't slept",
"who could hold onto the rifle", "Your SPIN today is 38". Each list is a general family
of phrasings a clinician would recognise, kept apart from the extraction logic.
"""

from __future__ import annotations

import re

from assistant.scribe.lexicon import NUMBER

# symptoms as clients and parents describe them (sleep, appetite, arousal, behaviour, use, cognitions)
SPOKEN_SYMPTOM = re.compile(
    r"\b(?:slept|sleeping|fall(?:ing)?\s+asleep|can't\s+(?:sleep|eat)|haven't\s+(?:slept|eaten)|lie\s+there|wak(?:e|ing)\s+up|"
    r"(?:racing|pounding)\s+heart|heart(?:'s|\s+is|\s+was)?\s+(?:racing|pounding)|throw\s+up|"
    r"failure|worthless|burden|useless|ashamed|shame|rejected|"
    r"images?\s+of|picture\s+(?:myself|him|her)|thoughts?\s+(?:about|of)\s+(?:\w+\s+){0,2}(?:dropping|hurting|harming|stabbing|drowning)|"
    r"punch\w*|kick\w*|scream\w*|throw(?:ing|s)?\s+\w+|slamm?\w*|hit(?:s|ting)?\s+(?:me|him|her|his|the)|"
    r"tantrums?|meltdowns?|argues|arguing|blackouts?|black(?:ed)?\s+out|don't\s+(?:really\s+)?remember|"
    r"using|smoked|smoking|a\s+gram|hits?\s+(?:in|of)|drinks?|beers?|"
    r"stay(?:ed)?\s+in\s+bed|won't\s+come\s+back|cr(?:y|ied|ies|ying)|stomach\w*|"
    r"rehears\w*|safety\s+behaviou?rs?|avoid\w*|checking|re-?check\w*)\b",
    re.IGNORECASE,
)
# what a session's work, school, home or social life costs, said in the first or third person
SPOKEN_IMPACT = re.compile(
    r"\b(?:(?:had|have)\s+to\s+leave|left\s+(?:the\s+)?(?:floor|room|early|work|class)|(?:made|make)\s+(?:a|an)\s+(?:\w+\s+)?(?:error|mistake)|"
    r"wrote\s+(?:me|him|her)\s+up|written\s+up|calls?\s+(?:from|this\s+week)|(?:two|three|\d+)\s+calls|"
    r"covered\s+(?:a|the|my|for)|over\s+and\s+over|(?:eat|ate|eating)\s+(?:lunch\s+)?(?:in\s+my\s+car|alone|at\s+my\s+desk|in\s+my\s+room)|"
    r"turned\s+down|(?:didn't|don't|haven't)\s+(?:go|take|leave|cook|called?)|out\s+of\s+the\s+house|"
    rf"(?:went|go|goes)\s+{NUMBER}\s+days?|{NUMBER}\s+(?:days?|times?)\s+out\s+of|truan\w*|been\s+out|"
    r"forgot|"
    r"missing\s+work|running\s+out\s+of\s+days|behind\s+on)\b",
    re.IGNORECASE,
)
# life domains sessions name that the co-pilot's impairment list leaves out (housing, money)
SPOKEN_DOMAIN = re.compile(r"\b(?:apartment|housing|lease|landlord|rent|bills?|money|finances?|debt|paycheck|commute|errands?)\b", re.IGNORECASE)
# techniques by the names sessions use for them (CBT, exposure, DBT, CPT, MI, family, crisis work)
SPOKEN_TECHNIQUE = re.compile(
    r"\b(?:response\s+prevention|safety\s+behaviou?rs?|when[- ]then|labell?ed\s+praise|planned\s+ignoring|time[- ]?out|"
    r"reward\s+chart|sticker\s+chart|brave\s+ladder|ABC\s+worksheet|impact\s+statement|stuck\s+points?|"
    r"thinking\s+traps?|cognitive\s+distortions?|automatic\s+thoughts?|balanced\s+thoughts?|alternative\s+thoughts?|"
    r"catastrophi[sz]\w*|fortune[- ]telling|mind[- ]reading|all[- ]or[- ]nothing|black[- ]and[- ]white\s+thinking|"
    r"should\s+statements|overgenerali[sz]\w*|emotional\s+reasoning|jumping\s+to\s+conclusions|"
    r"opposite\s+action|check\s+the\s+facts|PLEASE\s+skills?|self[- ]soothe|wise\s+mind|radical\s+acceptance|"
    r"STOP\s+skill|urge\s+surfing|diary\s+card|behaviou?ral\s+experiment|worry\s+(?:exposure|script|period)|"
    r"uncertainty\s+script|hotspots?|present\s+tense|communication\s+exercise|reflect(?:s)?\s+back|"
    r"problem[- ]solv\w*|pros\s+and\s+cons|readiness\s+ruler|importance\s+ruler|confidence\s+ruler|"
    r"(?:slow|deep|belly)\s+breathing|fit\s+the\s+facts|double[- ]sided|change\s+plan|hyperventilat\w*|straw\s+breathing|spinning|sleep\s+window)\b",
    re.IGNORECASE,
)
# therapeutic moves said as questions or requests (means restriction, Socratic questioning, rulers,
# role-play, weighing options): recorded with the clause that makes them, not as a bare name
SPOKEN_MOVE = re.compile(
    r"\b(?:harder\s+to\s+get\s+to|hold\s+onto\s+(?:it|the)|lock\s+(?:it|them)\s+up|get\s+rid\s+of\s+(?:it|them|the)|"
    r"come\s+get\s+(?:it|them|the)|give\s+(?:it|them|me)\s+(?:to|the\s+keys)|what\s+are\s+(?:the|your)\s+options|"
    r"the\s+evidence|what\s+would\s+you\s+(?:tell|say\s+to|think\s+if)|if\s+a\s+friend|more\s+(?:balanced|accurate|helpful)\s+thought|"
    r"who\s+is\s+responsible|what\s+does\s+that\s+tell\s+you|I'll\s+be\s+(?:him|her|them|your|Dr\b)|"
    r"how\s+(?:ready|important|confident)[^?]{0,40}(?:zero|0)\s+to\s+(?:ten|10))",
    re.IGNORECASE,
)
# standardized measures by their full names, and a score said in the next sentence ("It came out at 18")
MEASURE_NAME = re.compile(
    r"\b(?:Insomnia\s+Severity\s+Index|Panic\s+Disorder\s+Severity\s+Scale|(?:Short\s+)?Health\s+Anxiety\s+Inventory|"
    r"Social\s+Phobia\s+Inventory|SPIN|SHAI|Beck\s+(?:Depression|Anxiety)\s+Inventory|Edinburgh\s+\w+|"
    r"Patient\s+Health\s+Questionnaire|sleep\s+efficiency|PHQ-?9|PHQ-?A|GAD-?7|PCL-?5|Y-?BOCS|AUDIT(?:-C)?|ISI|PDSS|"
    r"BDI(?:-II)?|BAI|EPDS|DAST(?:-10)?|OCI-R|DERS|CAPS-5)\b",
    re.IGNORECASE,
)
MEASURE_VALUE = re.compile(
    r"(?:today|now|came\s+(?:in|out)\s+at|is|was|of|at|score[ds]?|total(?:ed)?|[:=])\s*(?:about\s+)?(?P<score>\d{1,3})\b"
    r"(?!\s*(?:min|mg|weeks?|days?|hours?|years?|times?|am|pm|a\.m|p\.m|o'clock))",
    re.IGNORECASE,
)
DEFERRED = re.compile(r"\b(?:next\s+(?:time|week|session)|will\s+do|we'll\s+do|going\s+to\s+(?:do|give)|start\s+of\s+our\s+next)\b", re.IGNORECASE)
# care coordination and disposition the therapist takes on (plan)
COORDINATION = re.compile(
    r"\b(?:(?:talk|speak|consult|check\s+in)\s+with\s+(?:the|your|his|her|their|our|Dr|Mr|Mrs|Ms|\[)|"
    r"send\s+(?:her|him|them|your\s+\w+|a|an)\s+(?:\w+\s+){0,2}(?:note|update|letter|summary)|"
    r"(?:I'll|I\s+will)\s+(?:call|email|contact|let)\s+|our\s+nurse|crisis\s+center|emergency\s+room|"
    r"(?:review|adjust|repeat|recheck)\s+(?:the|your)\s+\w+\s+(?:next|again|in)|"
    r"(?:court|judge)[\w\s-]{0,20}(?:ordered|said|sessions)|sessions?\s+after|this\s+is\s+(?:session|number)\s+\w+|"
    r"let's\s+make\s+a\s+plan|what\s+nights?\s+would\s+you|support\s+group|medication\s+consult|"
    r"twice\s+a\s+week|rejoin|recommend\w*|because\s+of\s+the\s+court|court[- ]ordered|probation\s+officer|mandated)\b",
    re.IGNORECASE,
)
# homework said without the word "homework": what to do, how often, before next time
ASSIGNMENT = re.compile(
    r"\b(?:track\s+(?:each|every|how|which|your|it|the)|keep\s+track|rate\s+(?:your|the)\s+\w+\s+(?:before|after|each|every)|"
    rf"listen\s+to\s+(?:today's|the)\s+recording|(?:do|try|practice)\s+(?:that|this|it|the\s+\w+(?:\s+\w+)?)\s+(?:daily|twice|every|each|once|{NUMBER}\s+times)|"
    rf"(?:daily|every\s+day|each\s+day|each\s+night|every\s+night),?\s+{NUMBER}\s+(?:trials?|times?)|"
    r"(?:look\s+at|call|text|visit)\s+\w+[^.?!]{0,30}\bby\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)|"
    r"would\s+you\s+be\s+willing\s+to\s+(?:keep|track|try|write|call|do)|also\s+continue|continue\s+the\s+\w+|"
    r"next\s+step(?=:)|(?:step\s+\w+|steps?\s+\w+\s+and\s+\w+)(?=:)|delay\s+any|(?:a|the)\s+(?:reward|sticker)\s+chart|"
    r"let's\s+(?:start|do)\s+(?:the|that)\s+\w+\s+(?:plan|twice|daily)|(?:say|write)\s+(?:your|the)\s+\w+\s+first|"
    r"on\s+the\s+calendar)\b",
    re.IGNORECASE,
)
# Socratic questions that examine what the client just said (the client's turn is the thought examined)
COGNITIVE_QUESTION = re.compile(
    r"\b(?:what\s+would\s+you\s+(?:tell|say\s+to|think\s+if)|if\s+a\s+friend|more\s+(?:balanced|accurate|helpful)\s+thought|"
    r"what's\s+the\s+evidence|who\s+is\s+responsible|what\s+does\s+that\s+tell\s+you|another\s+way\s+(?:to\s+)?(?:see|look\s+at))\b",
    re.IGNORECASE,
)
