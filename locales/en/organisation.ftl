# A bot that serves several organisations learns which one from a code (on the poster,
# in the link). Without it, it asks, and names none of them.
reporter-code-ask =
    Hello. To reach the confidential counsellors of your organisation, I need its code first. You find it on the poster or in the link your organisation gave you (the link sends it for you). Send me the code as a message: one word, nothing else.
    Nothing you send me is kept until I know the code.
