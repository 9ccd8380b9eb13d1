# The intake dialog (dialogs/intake.toml).
intake-welcome =
    Welcome. Here you can report, in confidence, unwanted behaviour at work, such as harassment, bullying, discrimination, aggression or an integrity issue.

    Behind this chat are the confidential counsellors of { $organisation }: { $counsellors }.
    • A counsellor listens, thinks along with you and does nothing without your consent. They are not an investigator.
    • What you tell is confidential. Your name and phone number are not passed on. One limit: for a serious crime there can be a legal duty to report, so complete anonymity cannot be guaranteed.
    • Reporting has no consequences for your position.
    • A counsellor will contact you within { $hours } hours, here in this chat.

    In acute danger: call { $emergency }.
intake-welcome-continue = Continue
intake-welcome-language = Other language / andere taal
intake-category = What is it about? If you are not sure, that is fine too.
intake-category-summary = Topic
category-sexual-harassment = Sexual harassment
category-aggression = Aggression, violence or threats
category-discrimination = Discrimination
category-bullying = Bullying
category-integrity = Integrity (fraud, theft, abuse of power)
category-other = Something else / not sure
intake-story = Tell in your own words what happened. You may send several messages. Press "Done" (or send /done) when you are finished.
intake-story-summary = Your story
intake-confirm =
    This is what you told:

    { $answers }

    Is this right, and may it go to a counsellor?
intake-confirm-send = Yes, send it
intake-confirm-change = Change something
intake-confirm-cancel = Stop (keep nothing)
intake-submitted =
    Thank you. Your report has been sent.

    Your report code is { $token }. Keep it safe.
    A counsellor will contact you by { $due } at the latest, here in this chat. Meanwhile you can simply go on writing here.
