# What happens after a report is sent: consent, closing and aftercare, /forget, /wipe,
# and questions a counsellor asks (!share-request). Dialogs: dialogs/{forget,consent,
# share,closing,aftercare}.toml.

forget-confirm =
    Do you want to withdraw your report? Then I erase everything I keep about it: your story, the conversation and your answers. Your counsellor is told that you withdrew, and can no longer read the conversation back through me.

    This cannot be undone. Only an anonymous count remains (kind of report and month), without your words.
forget-confirm-erase = Yes, erase everything
forget-confirm-keep = No, keep my report
forget-done =
    Your report has been erased.

    What I cannot erase: the messages in your own Telegram or Matrix, and messages your counsellor has already read on their own device. You can clear your side yourself: in Telegram with "Clear history" or auto-delete in this chat, in Matrix I leave this chat myself; leave and delete it too. With /wipe I first delete my own messages here where Telegram allows it (messages younger than 48 hours); do that before /forget.

    If you want to report something again later, just send a message.
forget-kept = All right, your report is kept. Nothing changes.

consent-change =
    What may the counsellor keep?

    • A dossier: the conversation stays stored, encrypted, until { $retention_days } days after closing, so you can come back to it later.
    • Only an anonymous count: the conversation is erased as soon as the report is closed. Only the kind of report and the month are counted, without your words.
consent-summary = Consent to keep a dossier
consent-dossier = Keep a dossier
consent-tally = Only an anonymous count
consent-changed = Your choice is saved and passed on to your counsellor. You can change it any time with /consent.

share-question =
    Your counsellor asks whether something from your report may be shared outside the counsellors, for example with HR or a manager, so that something can be done about it. Nothing is shared without your consent, and the bot itself never shares anything.

    May it be shared?
share-summary = Sharing outside the counsellors
share-with-name = Yes, with my name
share-anonymous = Yes, but anonymously
share-not = No, do not share
share-thanks = Thank you. Your answer has been passed on to your counsellor; you can talk it over with them in this chat.

closing-message =
    Your counsellor has closed your report. Thank you for your trust.

    If you need help again later, just send a message. In acute danger: call { $emergency }. With dark thoughts you can reach 113 Suicide Prevention anonymously, day and night ({ $suicide-prevention }). Victim Support Netherlands: { $victim-support }. Whistleblowers Authority: { $whistleblowers }.

    May we ask in { $aftercare_days } days how you are doing?
closing-aftercare-yes = Yes, please
closing-aftercare-no = No, thank you
closing-see-you = All right, you will hear from us in { $aftercare_days } days. If you would rather not, type /forget.
closing-goodbye = All right. All the best, and you know where to find us.

aftercare-check-in = Your report was closed a while ago. How are you doing now?
aftercare-talk = I would like to talk again
aftercare-fine = I am doing well
aftercare-leave = Please leave me alone
aftercare-reopened = Your counsellor is told and will contact you in this chat.
aftercare-glad = Good to hear. All the best!
aftercare-left-alone = We respect that. You will not hear from us about this report again.

reporter-nothing-kept = I keep nothing about you: there is no report in this chat.
reporter-wipe-nothing = There are no messages of mine to delete.
reporter-wiped =
    I am deleting my messages in this chat where I can: Telegram only allows that for messages younger than 48 hours. Older messages and your own you can delete yourself with "Clear history". If you use Matrix, leave this chat to remove it from your device.

    Your report itself is kept; to have it erased as well, type /forget.
reporter-consent-in-intake = You choose this in the questions shortly; you can still change it at the summary.

room-reporter-withdrew = The reporter withdrew report { $token }. Everything the bot kept about it is erased; the history can no longer be read through the bot and messages here are no longer passed on. Please delete your own notes on this report too.
room-reporter-answered = The reporter answered "{ $question }": { $answer }
room-reporter-reopened = The reporter would like to talk again: the report is reopened. Please make contact in this room.
room-share-asked = The reporter has been asked whether something may be shared. The answer will appear here.
room-closed = The report is closed. The reporter got a closing message, asking whether they would like an aftercare check-in.
room-close-usage = Usage: !close OUTCOME, with one of: { $outcomes }
room-reopened = The report is reopened.
room-not-closed = This report is not closed.
