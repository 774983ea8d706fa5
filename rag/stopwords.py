"""The one stopword list: function words plus the fillers and verbs of spoken lectures.

They match most passages, so they cost the lexical index time (every match is scored) and tell nothing
apart; a chapter title made of one says nothing either.
"""

STOPWORDS = frozenset(
    "a an and are as at be but by can did do does for from had has have he her his how i if in into is it its "
    "me my of on or our she so than that the their them then there these they this to was we were what when "
    "where which who why will with would you your about just like um uh yeah okay ok oh well really actually "
    "basically kind sort lot lots thing things going gonna know think want see get got make made say said way "
    "also very much many some any all one two use used using here now right let let's could should been being "
    "not no more most other into out up down over only even still back because does doing done".split()
)
