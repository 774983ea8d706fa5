"""The one stopword list: function words plus the fillers and verbs of spoken lectures; and the words that
are no topic, which neither make a title nor make a sentence worth quoting.

Stopwords match most passages, so they cost the lexical index time (every match is scored) and tell nothing
apart; a chapter title made of one says nothing either.
"""

import re

STOPWORDS = frozenset(
    "a an and are as at be but by can did do does for from had has have he her his how i if in into is it its "
    "me my of on or our she so than that the their them then there these they this to was we were what when "
    "where which who why will with would you your about just like um uh yeah okay ok oh well really actually "
    "basically kind sort lot lots thing things going gonna know think want see get got make made say said way "
    "also very much many some any all one two use used using here now right let let's could should been being "
    "not no more most other into out up down over only even still back because does doing done".split()
)

# Words that are not topics: spoken verbs, adverbs and vague nouns/adjectives common in any lecture.
NOT_TOPIC = frozenset(
    "go goes went come comes came take takes took give gives gave put puts look looks looked need needs needed "
    "try tries tried call calls called mean means meant start starts started keep keeps kept work works worked "
    "happen happens happened find finds found show shows showed shown tell tells told feel feels felt seem "
    "seems seemed become becomes became turn turns turned bit little pretty sure able okay yes yeah hey hi "
    "whatever anything something everything nothing someone everyone anyone somebody kinda gotta wanna "
    "maybe probably definitely exactly simply certain different same new old good bad great big small nice "
    "important interesting whole entire next last first second third time times today people guys stuff "
    "example examples case cases point points part parts fact idea question answer talk talking thinking "
    "getting doing going making looking trying saying coming taking using basically actually literally "
    "certainly obviously especially fairly quite rather again already always never sometimes often usually too "
    "per blah another inside outside onto throughout underneath beneath via versus among amongst besides beside "
    "despite himself herself itself themselves yourself yourselves ourselves myself somewhere anywhere everywhere "
    "nowhere somehow episode episodes sense terms number numbers kind sort type types piece pieces bunch couple level there's here's that's "
    "what's it's let's i'm we're you're they're don't doesn't didn't isn't aren't wasn't can't won't "
    "wouldn't shouldn't couldn't i've we've you've i'll we'll you'll i'd we'd you'd they've they'll he's "
    "she's single every respect less tiny huge large lots real true false fine kinds ways thing things "
    "create creates fill fills draw predict predicts basic simple easy hard above below under between across "
    "along around without within through during beyond behind toward towards upon whether unless".split()
)


def content_words(text: str) -> list[str]:
    """The text's words that are no stopword, lower case, in order ("why?" has none)."""
    return [w for w in re.findall(r"[\w']+", text.lower()) if w not in STOPWORDS]
