# Texts of the dialog engine and of commands, shared by every dialog.
language-name = English
datetime-format = %Y-%m-%d at %H:%M

dialog-not-understood = I didn't quite get that. Please choose one of the buttons, or type its number.
dialog-option-hint = • { $label }: { $hint }
dialog-ticked = ✓ { $label }
dialog-done = Done
dialog-skip = Skip
dialog-skipped = (skipped)
dialog-summary-line = { $label }: { $value }
dialog-edit-which = What would you like to change?
dialog-edit-back = Nothing, back to the overview
dialog-numbered-option = { $number }. { $label }
dialog-reply-with-number = Reply with the number of your choice.
dialog-button-expired = This button belongs to an earlier question.
dialog-story-kept = Received. You can write more, or press "Done" when you have told everything.
dialog-chosen = Chosen: { $label }

reporter-help =
    How this works: you tell here what happened, and a confidential counsellor contacts you within { $hours } hours, in this chat. Your name and phone number are not passed on.

    Commands:
    /start: begin or continue
    /status: where my report stands
    /token: my report code
    /language: choose a language
    /done: finished telling
    /stop: stop a report that has not been sent yet (nothing is kept)
    /consent: change what the counsellor may keep
    /wipe: delete my messages in this chat
    /forget: withdraw my report and erase it
    /mydata: a copy of everything kept about my report
    /resume CODE SECRET: continue a report from another device

    In acute danger: call 112.
reporter-unknown-command = I don't know { $command }. These are the commands you can use: { $commands }
reporter-did-you-mean = Did you mean { $command }?
reporter-too-long = This message is too long ({ $length } characters; the limit is { $limit }). It was not kept. Could you send it as a few shorter messages?
reporter-unsupported = I can't pass on this kind of message (yet). Could you describe it in text?
reporter-language-pick = Choose your language:
reporter-language-set = The language is now English.
reporter-stopped = Stopped. Nothing was kept and nothing was passed on. You can start again at any time with /start.
reporter-nothing-to-stop = There is no report in progress, so there is nothing to stop.
reporter-stop-submitted = Your report { $token } is already with a counsellor. You can simply go on writing here.
reporter-status-none = You have not made a report yet. Send /start to begin.
reporter-status-intake = You are in the middle of a report; it has not been sent yet.
reporter-status-waiting = Your report { $token } has been received. A counsellor will contact you by { $due } at the latest.
reporter-status-contacted = Your report { $token } is being handled by { $counsellor }. Write here if you want to ask or tell something.
reporter-token = Your report code is { $token }. Keep it safe: it lets you refer to your report later.
reporter-token-none = You get a report code as soon as your report has been sent.
reporter-already-open = Your report { $token } is already open. Just write here: your message goes to your counsellor.
reporter-continue-intake = You had already started. Let's continue where you were:
reporter-done-nothing = There is nothing to finish right now.
reporter-intake-expired = Your report had not been sent and nothing happened for a while, so everything you had filled in has been erased. You can start again with /start.
reporter-counsellor-says = { $name }: { $text }
reporter-counsellor-emote = { $name } { $text }

reporter-resume-usage = Usage: /resume REPORT-CODE SECRET-CODE, for example /resume VP-7KQ3-M9TD AB12-CD34. You got both codes at the end of your report.
reporter-resume-wrong = I do not know that combination of report code and secret code. Please check both; after a few tries you will have to wait a while.
reporter-resume-locked = Too many tries. You can try again after { $until }.
reporter-resume-notice = Note: another chat has just been linked to your report with /resume. If that was not you, please tell your counsellor here.
reporter-resumed = This chat is now linked to your report. Your counsellor's messages come here too, and what you write here goes to them.
reporter-resume-own-case = This chat already belongs to a report of its own, so it cannot be linked to another one as well. Use /resume in a new chat with the bot, or first erase this chat's report with /forget.
reporter-undecryptable = I could not decrypt your last message, so it was not passed on. Please verify your session in your Matrix app (Settings → Security) and send it again.
reporter-not-encrypted = Your message arrived without encryption, so I did not read it: without encryption I ask nothing about what happened. If this chat now shows as encrypted, please send it again; if not, start a new chat with me with encryption on (Element does this by default: "Start chat").
reporter-correction = Correction from { $name }: { $text }
reporter-edit-not-taken = I see you changed a message. During the questions I keep the first answer; if you want to say something else, simply send it again.
reporter-referred = Take care. Nothing about you was kept. If you ever experience unwanted behaviour yourself, you can always come back here with /start.
