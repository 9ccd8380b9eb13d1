# The intake dialog (dialogs/intake.toml).
intake-welcome =
    Welcome. Here you can talk in confidence about unwanted behaviour at work: harassment, bullying, discrimination, aggression or something that is not honest.

    You are talking to the confidential counsellors of { $organisation }: { $counsellors }.
    • A counsellor listens, thinks along with you about what you could do, and does nothing without your consent.
    • A counsellor is not an investigator or a mediator, and is not for ordinary labour disputes or reorganisations.
    • What you tell stays confidential; your name and phone number are not passed on. One limit: for a serious crime the law can require a report. So complete anonymity cannot be promised.
    • Reporting has no consequences for your position.
    • A counsellor will contact you within { $hours } hours, here in this chat.

    You can skip any question. It takes a few minutes. In acute danger: call { $emergency }.
intake-welcome-continue = Continue
intake-welcome-language = Other language / andere taal
intake-safety = First: is anyone in acute danger right now, you or someone else?
intake-safety-no = No
intake-safety-yes = Yes
intake-safety-help =
    In acute danger, call { $emergency } now.

    Other help, day and night:
    • Police (non-urgent): { $police }
    • 113 Suicide prevention (anonymous): { $suicide_prevention }
    • Centre for Sexual Violence (free): { $sexual_violence }
    • Veilig Thuis (domestic violence): { $domestic_violence }
    • Victim Support Netherlands: { $victim_support }
    • Whistleblowers Authority (advice, can be anonymous): { $whistleblowers }

    Would you like to continue here afterwards? You always can.
intake-safety-continue = Continue with the report
intake-category = What is it about? If you are not sure, that is fine too.
intake-category-summary = Topic
category-sexual-harassment = Sexual harassment
category-sexual-harassment-hint = remarks, touching or advances of a sexual nature
category-aggression = Aggression or violence
category-aggression-hint = shouting, threats, pushing or hitting
category-discrimination = Discrimination
category-discrimination-hint = treated differently because of, for example, origin, religion, sex or orientation
category-bullying = Bullying
category-bullying-hint = left out, ridiculed or belittled again and again
category-intimidation = Intimidation
category-intimidation-hint = put under pressure or made afraid
category-integrity = Integrity
category-integrity-hint = fraud, theft, corruption, abuse of power or blackmail
category-other = Something else / not sure
category-other-hint = you do not need to give it a name
intake-ongoing = Is it still going on?
intake-ongoing-summary = Still going on
intake-ongoing-yes = Yes
intake-ongoing-no = No
intake-since = Since when?
intake-since-summary = Since
intake-since-recent = Recently
intake-since-months = A few months
intake-since-long-ago = A long time
intake-relation = Who is the other person to you?
intake-relation-summary = The other person is
intake-relation-manager = Manager
intake-relation-colleague = Colleague
intake-relation-client = Client or tenant
intake-relation-other = Someone else
intake-others = Does this happen to others too?
intake-others-summary = Others too
intake-others-yes = Yes
intake-others-no = No
intake-others-unknown = I don't know
intake-unit = Which part of the organisation do you work in? This is only counted anonymously and helps us find a counsellor for your area.
intake-unit-summary = Part of the organisation
intake-wishes = What would you like? Choose as many as you want, then press "Done".
intake-wishes-summary = Wishes
intake-wishes-listening = A listening ear
intake-wishes-advice = Advice on what I can do
intake-wishes-conversation = Help with a conversation
intake-wishes-mediation = Mediation
intake-wishes-complaint = A formal complaint
intake-wishes-police = A police report
intake-wishes-not-sure = Not sure yet
intake-gender = Would you rather talk to a woman or a man?
intake-gender-summary = Counsellor
intake-gender-female = A woman
intake-gender-male = A man
intake-no-preference = No preference
intake-kind = Someone from inside the organisation, or from outside?
intake-kind-summary = Internal or external
intake-kind-internal = Internal
intake-kind-external = External
intake-exclude = Is there a counsellor you would rather not talk to? Then give their first name. If not, skip this question.
intake-exclude-summary = Rather not
intake-contact = How would you like to be contacted?
intake-contact-summary = Contact
intake-contact-this-chat = Here in this chat
intake-contact-phone = By phone
intake-contact-phone-hint = the counsellor first asks for your number here; your number identifies you
intake-story = Tell in your own words what happened. Several messages are fine. Press "Done" (or send /done) when you are finished.
intake-story-summary = Your story
intake-consent = May the counsellor keep a file on your report?
intake-consent-summary = File
intake-consent-dossier = Yes, keep a file
intake-consent-dossier-hint = only the counsellor can see it
intake-consent-tally = No, only count it
intake-consent-tally-hint = only the topic counts in the anonymous yearly figures
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
    Your secret code is { $code }. You see it only this once. With /resume { $token } { $code } you can continue this report from another device or from Matrix.
    A counsellor will contact you by { $due } at the latest, here in this chat. Meanwhile you can simply go on writing here. Send /status to see where things stand.
intake-welcome-advice = Advice as a manager, colleague or witness
intake-welcome-accused = I have been accused myself
intake-advice-category =
    You are asking advice about someone else's situation, for example as a manager, colleague or witness. A confidential counsellor will think it through with you; it is best not to give names.

    What is it about?
intake-advice-story = Describe the situation and your question in your own words. You can send several messages; tap Done when you have finished.
intake-advice-story-summary = Your question
intake-accused =
    A confidential counsellor supports people who have experienced unwanted behaviour. Someone who is accused themselves cannot be supported by a confidential counsellor: it would give the counsellor two roles at once. You are not on your own. You can turn to:
    • the company doctor, through HR or the occupational health service, for how this affects you;
    • your GP, for support or a referral to a psychologist;
    • Het Juridisch Loket, free legal advice: { $legal_advice };
    • your trade union or legal expenses insurer, if you are a member.
    In a formal complaint you are heard before anything is decided.

    Nothing about you is kept; only an anonymous number is counted.
intake-accused-understood = Understood, thank you
intake-accused-back = Back
intake-accused-own =
    A confidential counsellor supports people who have experienced unwanted behaviour, and so cannot also support someone who is accused. { $organisation } has a separate confidential counsellor for that, who does not support the people reporting. Would you like to talk with that counsellor, or rather know where else you can turn?
intake-accused-talk = Talk with the counsellor for the accused
intake-accused-referral = Where can I turn?
intake-accused-story = Tell in your own words what is going on and what worries you. You can send several messages; tap Done when you have finished.
intake-accused-story-summary = Your story
